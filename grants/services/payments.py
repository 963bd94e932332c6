"""Payments of a grant, recorded here by hand (a disbursement booked with source "grants")."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants import workflow
from grants.models import Payment, Tranche
from grants.models.enums import PaymentSource, TrancheStatus
from grants.services.common import (clean_text, money, publish_step, require_date,
                                     today as _today, user_id)
from grants.services.errors import GrantsError, GuardViolation, WrongStatus
from grants.services.guards import ensure_within_commitment, tranche_block_reason
from programmes.models import Activity
from programmes.services.transactions import record_transaction

SOURCE = "grants"


def payments_of(session: Session, application) -> list[Payment]:
    return list(session.scalars(select(Payment).where(Payment.application_id == application.id)
                                .order_by(Payment.paid_on, Payment.id)))


def record_payment(session: Session, application, tranche: Tranche, paid_on: date, amount: Decimal,
                   document_number: str, user=None, today: date | None = None) -> Payment:
    """Pay (part of) a tranche: a disbursement in the ledger and ``PaymentRecorded``.

    Refused above the tranche, above what is still committed, before the
    commitment, in the future, and while a report is overdue or the tranche's
    condition is not met.
    """
    workflow.ensure(application, "record_payment", user)
    if tranche.application_id != application.id:
        raise GrantsError("this tranche belongs to another application", "tranche_id")
    if tranche.status != TrancheStatus.PLANNED:
        raise WrongStatus(f"tranche {tranche.number} is {tranche.status}")
    day = today or _today()
    paid_on = require_date(paid_on, "paid_on")
    if paid_on > day:
        raise GrantsError("a payment cannot be dated in the future", "paid_on")
    if application.commitment_date and paid_on < application.commitment_date:
        raise GrantsError("a payment cannot precede the commitment", "paid_on")
    amount = money(amount, "amount")
    if amount <= 0:
        raise GrantsError("a payment needs a positive amount", "amount")
    if amount > tranche.unpaid_amount:
        raise GuardViolation(f"{amount} is more than the {tranche.unpaid_amount} left on tranche {tranche.number}",
                             "amount")
    ensure_within_commitment(application, amount)
    blocked = tranche_block_reason(session, application, tranche, day)
    if blocked:
        raise GuardViolation(f"tranche {tranche.number} is blocked: {blocked}", "tranche_id")
    document_number = clean_text(document_number, "document_number", 60, required=True)
    activity = session.get(Activity, application.activity_id)
    transaction = record_transaction(
        session, activity, "disbursement", paid_on, amount, document_number, currency=application.currency,
        source=SOURCE, description=f"Grant {application.reference}, tranche {tranche.number}")
    return apply_payment(session, application, tranche, transaction, PaymentSource.MANUAL, user)


def apply_payment(session: Session, application, tranche: Tranche, transaction, source: PaymentSource,
                  user=None) -> Payment:
    """Link a booked disbursement to its tranche and keep the running totals."""
    payment = Payment(application_id=application.id, tranche_id=tranche.id, transaction_id=transaction.id,
                      amount=transaction.amount, paid_on=transaction.date, source=source.value,
                      document_number=transaction.document_number, recorded_by=user_id(user))
    session.add(payment)
    tranche.paid_amount += transaction.amount
    if tranche.paid_amount >= tranche.amount:
        tranche.status = TrancheStatus.PAID.value
    application.paid_amount += transaction.amount
    session.flush()
    publish_step(session, "PaymentRecorded", application, payment_id=payment.id, tranche_id=tranche.id,
                 tranche_number=tranche.number, transaction_id=transaction.id, amount=payment.amount,
                 paid_on=payment.paid_on, source=payment.source, document_number=payment.document_number,
                 paid_total=application.paid_amount, tranche_status=tranche.status)
    return payment
