"""Decreases and withdrawals: negative commitments with a reason, never edits of history."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grants import workflow
from grants.models import CommitmentChange
from grants.models.enums import ApplicationStatus, CommitmentChangeKind, TrancheStatus
from grants.services.common import (clean_text, money, publish_step, require_date,
                                     shareable, today as _today, user_id)
from grants.services.errors import GrantsError, GuardViolation
from grants.services.schedule import scheduled_total, tranches_of
from programmes.models import Activity
from programmes.services.transactions import record_transaction

SOURCE = "grants"
LEDGER_WORD = {CommitmentChangeKind.DECREASE: "Decrease", CommitmentChangeKind.WITHDRAWAL: "Withdrawal",
               CommitmentChangeKind.CLOSURE: "Unspent balance at closure"}


def _effective_date(application, when: date | None, today: date | None) -> date:
    day = require_date(when or today or _today(), "date")
    if application.commitment_date and day < application.commitment_date:
        raise GrantsError("a change cannot precede the commitment", "date")
    return day


def take_off(session: Session, application, kind: CommitmentChangeKind, amount: Decimal, reason: str,
             when: date, user=None) -> CommitmentChange:
    """Reduce the commitment by ``amount``; in the ledger once it was committed there."""
    transaction = None
    if application.activity_id is not None:
        count = session.scalar(select(func.count()).select_from(CommitmentChange)
                               .where(CommitmentChange.application_id == application.id))
        activity = session.get(Activity, application.activity_id)
        transaction = record_transaction(
            session, activity, "commitment", when, -amount, f"{application.reference}/D{count + 1}",
            currency=application.currency, source=SOURCE,
            description=f"{LEDGER_WORD[kind]}: grant {application.reference}")
    change = CommitmentChange(application_id=application.id, kind=kind.value, amount=amount, reason=reason,
                              transaction_id=transaction.id if transaction else None, created_by=user_id(user))
    session.add(change)
    application.decreased_amount += amount
    session.flush()
    return change


def decrease_commitment(session: Session, application, amount: Decimal, reason: str, user=None,
                        when: date | None = None, today: date | None = None) -> CommitmentChange:
    """Lower a committed grant (``CommitmentDecreased``); what is paid or scheduled stays covered."""
    workflow.ensure(application, "decrease", user)
    amount = money(amount, "amount")
    reason = clean_text(reason, "reason", 2000, required=True)
    if amount <= 0:
        raise GrantsError("a decrease needs a positive amount", "amount")
    if amount > application.unpaid_amount:
        raise GuardViolation(f"only {application.unpaid_amount} is not paid yet; that is the most a decrease "
                             f"can take off", "amount")
    if scheduled_total(session, application) > application.committed_amount - amount:
        raise GuardViolation("the payment schedule would exceed the decreased commitment: cancel or lower "
                             "a tranche first", "amount")
    day = _effective_date(application, when, today)
    change = take_off(session, application, CommitmentChangeKind.DECREASE, amount, reason, day, user)
    publish_step(session, "CommitmentDecreased", application, change_id=change.id, amount=amount,
                 transaction_id=change.transaction_id, committed_amount=application.committed_amount,
                 reason=shareable(application, reason))
    return change


def withdraw(session: Session, application, reason: str, user=None, when: date | None = None,
             today: date | None = None):
    """Withdraw an application at any step before closing (``ApplicationWithdrawn``).

    Once approved, what is not paid is released: unpaid tranches are cancelled and,
    once committed, a negative commitment is booked for the unpaid balance.
    """
    workflow.ensure(application, "withdraw", user)
    reason = clean_text(reason, "reason", 2000, required=True)
    day = _effective_date(application, when, today)
    released, change = Decimal("0.00"), None
    if application.approved_amount is not None and application.unpaid_amount > 0:
        released = application.unpaid_amount
        change = take_off(session, application, CommitmentChangeKind.WITHDRAWAL, released, reason, day, user)
    for tranche in tranches_of(session, application):
        if tranche.status == TrancheStatus.PLANNED and tranche.paid_amount == 0:
            tranche.status = TrancheStatus.CANCELLED.value
        elif tranche.status == TrancheStatus.PLANNED:  # partly paid: what was paid is all it will be
            tranche.amount, tranche.status = tranche.paid_amount, TrancheStatus.PAID.value
    before, _ = workflow.move(application, "withdraw")
    session.flush()
    publish_step(session, "ApplicationWithdrawn", application, before=before, released_amount=released,
                 transaction_id=change.transaction_id if change else None,
                 change_id=change.id if change else None, reason=shareable(application, reason),
                 was_committed=before in (ApplicationStatus.COMMITTED, ApplicationStatus.FINAL_REPORT_DUE))
    return application
