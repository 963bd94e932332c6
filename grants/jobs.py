"""Scheduled jobs of the grants domain: small functions ``job(session) -> counts``.

The scheduler (app/scheduler) opens the unit of work, runs the job and records the run.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.roles import Permission
from app.scheduler.registry import scheduled_job
from grants.models import Application, Payment, Tranche
from grants.models.enums import TrancheStatus
from grants.services.matching import match_document
from grants.services.reminders import issue_reminders
from grants.workflow import OPEN_GRANT


@scheduled_job(id="grants_reminders", trigger="cron", hour=6, minute=15, misfire_grace_time=6 * 3600,
                concerns=(Permission.MANAGE_GRANTS,))
def grant_reminders(session: Session) -> dict:
    """Reminders before tranche due dates and report deadlines; overdue reports flagged."""
    return issue_reminders(session)


@scheduled_job(id="grants_match_ledger", trigger="cron", hour=6, minute=45, misfire_grace_time=6 * 3600,
                concerns=(Permission.MANAGE_GRANTS, Permission.RECORD_TRANSACTION))
def match_ledger_payments(session: Session) -> dict:
    """Safety net: match ledger lines of planned tranches that the event handler did not link."""
    documents = session.scalars(
        select(Tranche.document_number).join(Application, Application.id == Tranche.application_id)
        .where(Tranche.status == TrancheStatus.PLANNED.value, Tranche.document_number.is_not(None),
               Application.status.in_(OPEN_GRANT), ~Tranche.id.in_(select(Payment.tranche_id)))).all()
    counts: dict[str, int] = {"looked_at": len(documents)}
    for number in documents:
        outcome = match_document(session, number)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
