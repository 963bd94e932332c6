"""The money and people guards of the workflow, in one place."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.roles import Permission, Role
from app.auth.services import users_who_can
from grants.models import Assessment, Report
from grants.models.enums import ReportKind, TrancheCondition
from grants.services.calls import lock_call, remaining_budget
from grants.services.errors import GuardViolation, NotAllowed


def ensure_four_eyes(session: Session, application, user) -> None:
    """With four-eyes on, whoever created, submitted or assessed an application may not decide it.

    Holds in every scheme, the fast track (no assessment) included; the refusal names who may decide.
    """
    if not application.scheme.four_eyes:
        return
    excluded = four_eyes_excluded(session, application)
    if user.id not in excluded:
        return
    managers = users_who_can(session, Permission.MANAGE_GRANTS, application.programme_id)
    deciders = [f"{u.name} ({u.email})" for u in managers if u.id not in excluded]
    if deciders:
        raise NotAllowed(_("Under the four-eyes rule someone else decides this application: you created, "
                           "submitted or assessed it. May decide: %(names)s.", names=", ".join(deciders)))
    raise NotAllowed(_("Under the four-eyes rule someone else decides this application: you created, "
                       "submitted or assessed it, and nobody else manages this scheme's programme yet: an "
                       "administrator gives someone that role first."))


def four_eyes_excluded(session: Session, application) -> set[int]:
    """The users who may not decide ``application``: its creator, its submitter and its assessors."""
    assessors = set(session.scalars(select(Assessment.assessor_id)
                                    .where(Assessment.application_id == application.id)))
    return (assessors | {application.created_by, application.submitted_by}) - {None}


def ensure_call_budget(session: Session, application, amount: Decimal, user, override: bool,
                       override_reason: str | None) -> bool:
    """Refuse an approval above the call's remaining budget, unless an admin overrides.

    Returns True when the approval goes through on an override.
    """
    call = application.call
    if call is None:
        return False
    lock_call(session, call)
    remaining = remaining_budget(session, call)
    if amount <= remaining:
        return False
    if not override:
        raise GuardViolation(f"only {remaining} of call {call.code} is left; {amount} cannot be approved "
                             f"without an explicit override by an admin", "amount")
    if not user.has_role(Role.ADMIN):
        raise NotAllowed("only an admin may approve above the call's remaining budget", "override_budget")
    if not override_reason:
        raise GuardViolation("an override needs a reason", "override_reason")
    return True


def ensure_within_commitment(application, amount: Decimal) -> None:
    """No payment above what is approved and still committed."""
    if amount > application.unpaid_amount:
        raise GuardViolation(f"{amount} is more than the {application.unpaid_amount} still to pay on "
                             f"{application.reference} (approved {application.approved_amount}, paid "
                             f"{application.paid_amount}, decreased {application.decreased_amount})", "amount")


def reports_of(session: Session, application) -> list[Report]:
    return list(session.scalars(select(Report).where(Report.application_id == application.id)
                                .order_by(Report.due_date, Report.id)))


def tranche_block_reason(session: Session, application, tranche, today: date) -> str | None:
    """Why a tranche cannot be paid now, or None. An overdue report blocks every tranche."""
    reports = reports_of(session, application)
    overdue = [r for r in reports if r.is_overdue(today)]
    if overdue:
        return f"the {overdue[0].kind} report due {overdue[0].due_date.isoformat()} is overdue"
    wanted = {TrancheCondition.INTERIM_REPORT_RECEIVED: ReportKind.INTERIM,
              TrancheCondition.FINAL_REPORT_RECEIVED: ReportKind.FINAL}.get(tranche.condition)
    if wanted is None:
        return None
    due = [r for r in reports if r.kind == wanted and (wanted == ReportKind.FINAL or r.due_date <= tranche.due_date)]
    if not due or any(r.received_on is None for r in due):
        return f"the tranche waits for the {wanted.value} report"
    return None
