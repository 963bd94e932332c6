"""Matching disbursements of the imported ledger to tranches, by document number.

Finance books the payment in the accounting system; its extract comes in through
the importers with source "ledger". When its document number is the one listed on
a tranche, the payment is linked to the grant. What cannot be linked safely (another
activity, another currency, more than is left to pay) is kept as a mismatch for a
person to resolve, never forced through the guards.
"""
from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from grants.models import Application, LedgerMismatch, Payment, Tranche
from grants.models.enums import PaymentSource, TrancheStatus
from app.db import utcnow
from grants.services.common import clean_text, publish_step, shareable
from grants.services.payments import apply_payment
from grants.workflow import OPEN_GRANT
from programmes.models import Transaction
from programmes.services.ledger import imported_line_ids
from programmes.services.transactions import get_by_document

LEDGER = "ledger"


def match_document(session: Session, document_number: str) -> str:
    transaction = get_by_document(session, LEDGER, document_number)
    if transaction is None:
        return "not_in_ledger"
    return match_transaction(session, transaction)


def match_candidates(session: Session, recorded: Select | None, imports: list[dict]) -> None:
    """Match the ledger disbursements among these lines (the ids ``recorded`` selects and
    the lines of LedgerLinesImported payloads) whose document number a tranche lists."""
    if recorded is None and not any(payload.get("id_ranges") for payload in imports):
        return
    lines = imported_line_ids(imports)
    if recorded is not None:
        lines = or_(Transaction.id.in_(recorded), lines)
    found = session.scalars(
        select(Transaction).join(Tranche, Tranche.document_number == Transaction.document_number)
        .where(lines, Transaction.source == LEDGER, Transaction.kind == "disbursement")
        .distinct().order_by(Transaction.id)).all()
    for transaction in found:
        match_transaction(session, transaction)


def match_transaction(session: Session, transaction: Transaction, retry: bool = False) -> str:
    """Link one ledger disbursement to its tranche; returns what happened.

    ``retry`` looks again at a transaction flagged before (after a person fixed the
    schedule or the ledger).
    """
    if transaction.source != LEDGER or transaction.kind != "disbursement":
        return "ignored"
    if session.scalar(select(Payment.id).where(Payment.transaction_id == transaction.id)) is not None:
        return "already_matched"
    flagged = session.scalar(select(LedgerMismatch).where(LedgerMismatch.transaction_id == transaction.id))
    if flagged is not None and not retry:
        return "already_flagged"
    tranche = session.scalar(select(Tranche).where(Tranche.document_number == transaction.document_number))
    if tranche is None:
        return "no_tranche"
    application = session.get(Application, tranche.application_id)
    problem = _mismatch(application, tranche, transaction)
    if problem:
        _flag(session, application, tranche, transaction, problem, flagged)
        return "mismatch"
    apply_payment(session, application, tranche, transaction, PaymentSource.LEDGER)
    if flagged is not None:
        flagged.resolved_at = utcnow()
    return "matched"


def _mismatch(application, tranche: Tranche, transaction: Transaction) -> str | None:
    if application.activity_id != transaction.activity_id:
        return "booked on another activity than the grant's"
    if application.status not in OPEN_GRANT:
        return f"the application is {application.status}"
    if tranche.status != TrancheStatus.PLANNED:
        return f"tranche {tranche.number} is {tranche.status}"
    if transaction.currency != application.currency:
        return f"paid in {transaction.currency}, granted in {application.currency}"
    if transaction.amount <= 0:
        return "not a positive payment"
    if transaction.amount > tranche.unpaid_amount or transaction.amount > application.unpaid_amount:
        return (f"{transaction.amount} is more than is left on tranche {tranche.number} "
                f"({tranche.unpaid_amount}) or on the grant ({application.unpaid_amount})")
    return None


def _flag(session: Session, application, tranche: Tranche, transaction: Transaction, reason: str,
          flagged: LedgerMismatch | None) -> None:
    if flagged is None:
        session.add(LedgerMismatch(transaction_id=transaction.id, tranche_id=tranche.id,
                                   application_id=application.id, reason=reason[:300]))
    else:
        flagged.reason, flagged.resolved_at, flagged.tranche_id = reason[:300], None, tranche.id
    session.flush()
    publish_step(session, "LedgerPaymentUnmatched", application, transaction_id=transaction.id,
                 tranche_id=tranche.id, document_number=transaction.document_number, amount=transaction.amount,
                 reason=reason)


def retry_mismatch(session: Session, mismatch: LedgerMismatch) -> str:
    return match_transaction(session, session.get(Transaction, mismatch.transaction_id), retry=True)


def dismiss_mismatch(session: Session, mismatch: LedgerMismatch, reason: str) -> LedgerMismatch:
    """A person settled the mismatch outside the grant (e.g. the ledger line was refunded)."""
    reason = clean_text(reason, "reason", 2000, required=True)
    mismatch.resolved_at = utcnow()
    session.flush()
    application = session.get(Application, mismatch.application_id)
    publish_step(session, "LedgerMismatchDismissed", application, mismatch_id=mismatch.id,
                 transaction_id=mismatch.transaction_id, reason=shareable(application, reason))
    return mismatch
