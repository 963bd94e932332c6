"""Payment schedules: tranches with due dates, conditions and the ledger's document number."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.events.payload import changes, snapshot
from grants import workflow
from grants.models import Tranche
from grants.models.enums import TrancheCondition, TrancheStatus
from grants.services.common import clean_text, money, publish_step, require_date, shareable
from grants.services.errors import GrantsError, GuardViolation, WrongStatus

TRANCHE_FIELDS = ("number", "due_date", "amount", "condition", "document_number", "status")


def tranches_of(session: Session, application) -> list[Tranche]:
    return list(session.scalars(select(Tranche).where(Tranche.application_id == application.id)
                                .order_by(Tranche.number)))


def scheduled_total(session: Session, application, excluding: Tranche | None = None) -> Decimal:
    """Planned and paid tranches together (cancelled ones no longer count)."""
    total = Decimal("0.00")
    for tranche in tranches_of(session, application):
        if tranche is excluding or tranche.status == TrancheStatus.CANCELLED:
            continue
        total += tranche.amount if tranche.status == TrancheStatus.PLANNED else tranche.paid_amount
    return total


def _document(session: Session, value, tranche_id: int | None = None) -> str | None:
    number = clean_text(value, "document_number", 60)
    if number is None:
        return None
    clash = session.scalar(select(Tranche.id).where(Tranche.document_number == number, Tranche.id != (tranche_id or 0)))
    if clash is not None:
        raise GrantsError(f"document {number} is already listed on another tranche", "document_number")
    return number


def _condition(value) -> str:
    if value not in set(TrancheCondition):
        raise GrantsError(f"unknown condition {value!r}", "condition")
    return value


def schedule_tranche(session: Session, application, due_date: date, amount: Decimal,
                     condition: str = TrancheCondition.NONE.value, document_number: str | None = None,
                     user=None) -> Tranche:
    """Add a tranche (``TrancheScheduled``); the schedule never exceeds the commitment."""
    workflow.ensure(application, "schedule_tranche", user)
    amount = money(amount, "amount")
    if amount <= 0:
        raise GrantsError("a tranche needs a positive amount", "amount")
    if scheduled_total(session, application) + amount > application.committed_amount:
        raise GuardViolation(f"the schedule would exceed the {application.committed_amount} committed", "amount")
    number = (session.scalar(select(func.max(Tranche.number)).where(Tranche.application_id == application.id))
              or 0) + 1
    tranche = Tranche(application_id=application.id, number=number, due_date=require_date(due_date, "due_date"),
                      amount=amount, condition=_condition(condition), status=TrancheStatus.PLANNED.value,
                      document_number=_document(session, document_number), paid_amount=Decimal("0"))
    session.add(tranche)
    session.flush()
    publish_step(session, "TrancheScheduled", application, tranche_id=tranche.id,
                 **snapshot(tranche, TRANCHE_FIELDS))
    _match_existing(session, tranche)
    return tranche


def change_tranche(session: Session, application, tranche: Tranche, user=None, **fields) -> dict:
    """Move the due date, change the condition or note the ledger document (``TrancheChanged``)."""
    workflow.ensure(application, "schedule_tranche", user)
    if tranche.status != TrancheStatus.PLANNED:
        raise WrongStatus(f"tranche {tranche.number} is {tranche.status}")
    before = snapshot(tranche, TRANCHE_FIELDS)
    for key, value in fields.items():
        if key == "due_date":
            tranche.due_date = require_date(value, "due_date")
        elif key == "condition":
            tranche.condition = _condition(value)
        elif key == "document_number":
            tranche.document_number = _document(session, value, tranche.id)
        elif key == "amount":
            amount = money(value, "amount")
            if amount <= 0 or amount < tranche.paid_amount:
                raise GrantsError("a tranche needs a positive amount, at least what was paid", "amount")
            if scheduled_total(session, application, excluding=tranche) + amount > application.committed_amount:
                raise GuardViolation(f"the schedule would exceed the {application.committed_amount} committed",
                                     "amount")
            tranche.amount = amount
        else:
            raise GrantsError(f"{key} cannot be changed", key)
    diff = changes(before, snapshot(tranche, TRANCHE_FIELDS))
    if diff:
        session.flush()
        publish_step(session, "TrancheChanged", application, tranche_id=tranche.id, changes=diff)
        if "document_number" in diff:
            _match_existing(session, tranche)
    return diff


def cancel_tranche(session: Session, application, tranche: Tranche, reason: str, user=None) -> Tranche:
    """An unpaid tranche will not be paid (``TrancheCancelled``)."""
    workflow.ensure(application, "schedule_tranche", user)
    if tranche.status != TrancheStatus.PLANNED or tranche.paid_amount > 0:
        raise WrongStatus(f"tranche {tranche.number} has payments or is not planned; it cannot be cancelled")
    reason = clean_text(reason, "reason", 2000, required=True)
    tranche.status, tranche.cancel_reason = TrancheStatus.CANCELLED.value, reason
    session.flush()
    publish_step(session, "TrancheCancelled", application, tranche_id=tranche.id, number=tranche.number,
                 amount=tranche.amount, reason=shareable(application, reason))
    return tranche


def _match_existing(session: Session, tranche: Tranche) -> None:
    """The ledger line may have been imported before its document number was noted here."""
    if tranche.document_number:
        from grants.services.matching import match_document

        match_document(session, tranche.document_number)
