"""Decisions: approval (possibly for less than asked) or rejection with a reason."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import utcnow
from grants import workflow
from grants.models import Assessment, Decision
from grants.services.common import clean_text, money, publish_step, shareable
from grants.services.errors import GrantsError, NotAllowed
from grants.services.guards import ensure_call_budget, ensure_four_eyes
from programmes.models.enums import MainObjective


def _latest_assessment(session: Session, application) -> Assessment | None:
    return session.scalar(select(Assessment).where(Assessment.application_id == application.id)
                          .order_by(Assessment.id.desc()).limit(1))


def approve(session: Session, application, user, amount: Decimal, reason: str | None = None,
            main_objective: str | None = None, override_budget: bool = False,
            override_reason: str | None = None) -> Decision:
    """In assessment → approved (``ApplicationApproved``).

    Guards: the amount is positive and at most what was asked; the approver did not
    create, submit or assess it (four-eyes schemes, the fast track too); it fits the call's remaining budget unless an
    admin overrides explicitly, with a reason.
    """
    workflow.ensure(application, "approve", user)
    if user is None:
        raise NotAllowed("an approval needs the user who decides")
    amount = money(amount, "amount")
    if amount <= 0:
        raise GrantsError("the approved amount must be positive", "amount")
    if amount > application.amount_requested:
        raise GrantsError(f"the approved amount cannot exceed the {application.amount_requested} asked", "amount")
    if main_objective is not None and main_objective not in set(MainObjective):
        raise GrantsError(f"unknown main objective {main_objective!r}", "main_objective")
    latest = _latest_assessment(session, application)
    if application.scheme.requires_assessment and latest is None:
        raise GrantsError("record an assessment before deciding", "assessment")
    ensure_four_eyes(session, application, user)
    reason = clean_text(reason, "reason", 5000)
    override_reason = clean_text(override_reason, "override_reason", 2000)
    overridden = ensure_call_budget(session, application, amount, user, bool(override_budget), override_reason)
    objective = main_objective or (latest.main_objective if latest else None)
    if objective:
        application.crs_overrides = {**application.crs_overrides, "main_objective": objective}
    decision = Decision(application_id=application.id, outcome="approved", amount=amount, reason=reason,
                        main_objective=objective, budget_override=overridden,
                        override_reason=override_reason if overridden else None, decided_by=user.id)
    session.add(decision)
    before, _ = workflow.move(application, "approve")
    application.approved_amount = amount
    application.decided_at = utcnow()
    session.flush()
    publish_step(session, "ApplicationApproved", application, before=before, decision_id=decision.id,
                 amount=amount, amount_requested=application.amount_requested, decided_by=user.id,
                 main_objective=objective, budget_override=overridden,
                 override_reason=decision.override_reason, reason=shareable(application, reason))
    return decision


def reject(session: Session, application, user, reason: str) -> Decision:
    """In assessment → rejected, with the reason (``ApplicationRejected``); four-eyes as for an approval."""
    workflow.ensure(application, "reject", user)
    if user is None:
        raise NotAllowed("a rejection needs the user who decides")
    ensure_four_eyes(session, application, user)
    reason = clean_text(reason, "reason", 5000, required=True)
    decision = Decision(application_id=application.id, outcome="rejected", reason=reason, decided_by=user.id)
    session.add(decision)
    before, _ = workflow.move(application, "reject")
    application.decided_at = utcnow()
    session.flush()
    publish_step(session, "ApplicationRejected", application, before=before, decision_id=decision.id,
                 decided_by=user.id, reason=shareable(application, reason))
    return decision
