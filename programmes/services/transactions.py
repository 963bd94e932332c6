"""Commitments, disbursements and refunds; corrections keep the old values in events."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from app.errors import ValidationError, money_value
from app.events import publish
from app.events.payload import changes, jsonable, snapshot
from app.rates.services import to_eur
from app.year_lock import refuse_locked
from programmes.models import Activity, Transaction
from programmes.models.enums import TransactionKind

RECORDED_EVENT = {
    TransactionKind.COMMITMENT: "CommitmentRecorded",
    TransactionKind.DISBURSEMENT: "DisbursementRecorded",
    TransactionKind.REFUND: "RefundRecorded",
}
TRANSACTION_FIELDS = ("activity_id", "kind", "date", "amount", "currency", "amount_eur", "source",
                      "document_number", "description", "budget_article", "import_batch_id")
CORRECTABLE = ("activity_id", "kind", "date", "amount", "currency", "description", "budget_article")
REFUND = TransactionKind.REFUND.value
#: corrections that alter no figure of the CRS (allowed on a submitted year)
NOT_IN_CRS = frozenset({"description", "budget_article"})
#: the one event of a batch that added ledger lines (programmes.services.ledger.record_many)
LINES_IMPORTED = "LedgerLinesImported"
#: the kinds whose net (disbursements minus refunds) is what was disbursed
SPENDING = (TransactionKind.DISBURSEMENT.value, REFUND)


def booked_amount(kind: str, amount: Decimal) -> Decimal:
    """The amount as the ledger books it. A refund is money returned, positive whatever
    sign the source gave it (accounting extracts write returns as -250,00 or (250,00));
    it lowers what was disbursed once, where disbursements are summed. A negative
    disbursement or commitment stays negative: it corrects what was paid or promised."""
    return -amount if kind == REFUND and amount < 0 else amount


def net_disbursed(kind, amount):
    """SQL: what a spending line adds to net disbursements (a refund, booked positive,
    subtracts); the one place the ledger's net is defined for queries that sum it."""
    return case((kind == REFUND, -amount), else_=amount)


KINDS = frozenset(TransactionKind)


def _validate(kind: str, when, currency: str) -> None:
    if kind not in KINDS:
        raise ValidationError(f"unknown transaction kind {kind!r}", "kind")
    if not isinstance(when, date):
        raise ValidationError("a transaction needs a date", "date")
    if len(currency or "") != 3 or not currency.isalpha() or not currency.isupper():
        raise ValidationError(f"not an ISO currency code: {currency!r}", "currency")


def validate_line(kind: str, when, currency: str, document_number) -> None:
    """The rules every new or corrected line meets, one at a time or in bulk."""
    _validate(kind, when, currency)
    if not document_number or not str(document_number).strip():
        raise ValidationError("a transaction needs a document number", "document_number")


def projection_facts_of(programme_id: int, activity_id: int, year: int, kind: str, amount_eur) -> dict:
    """What the projections need to know about a line, as correction payloads carry it."""
    return jsonable({"programme_id": programme_id, "activity_id": activity_id, "year": year, "kind": kind,
                     "amount_eur": amount_eur})


def projection_facts(session: Session, txn: Transaction) -> dict:
    """What the budget projection needs to know about a transaction."""
    programme_id = session.scalar(select(Activity.programme_id).where(Activity.id == txn.activity_id))
    return projection_facts_of(programme_id, txn.activity_id, txn.date.year, txn.kind, txn.amount_eur)


def correction_payload(document_number: str, source: str, diff: dict, before: dict, after: dict) -> dict:
    """TransactionCorrected's payload: the changed fields and the projection facts before and after."""
    return {"document_number": document_number, "source": source, "changes": diff, "before": before,
            "after": after}


def get_by_document(session: Session, source: str, document_number: str) -> Transaction | None:
    return session.scalar(select(Transaction).where(
        Transaction.source == source, Transaction.document_number == document_number))


def record_transaction(session: Session, activity: Activity, kind: str, when: date, amount: Decimal,
                       document_number: str, currency: str = "EUR", source: str = "ledger",
                       description: str | None = None, budget_article: str | None = None,
                       import_batch_id: int | None = None) -> Transaction:
    """Book a new transaction; emits CommitmentRecorded / DisbursementRecorded / RefundRecorded."""
    validate_line(kind, when, currency, document_number)
    amount = booked_amount(kind, money_value(amount, "amount"))
    if get_by_document(session, source, document_number) is not None:
        raise ValidationError(f"document {document_number} is already booked", "document_number")
    refuse_locked(session, [when.year], "date")
    txn = Transaction(activity_id=activity.id, kind=kind, date=when, amount=amount, currency=currency,
                      amount_eur=to_eur(session, amount, currency, when.year), source=source,
                      document_number=str(document_number).strip(), description=description,
                      budget_article=budget_article, import_batch_id=import_batch_id)
    session.add(txn)
    session.flush()
    payload = snapshot(txn, TRANSACTION_FIELDS)
    payload["programme_id"] = activity.programme_id
    publish(session, RECORDED_EVENT[TransactionKind(kind)], "Transaction", txn.id, payload)
    return txn


def expire_loaded_transactions(session: Session) -> None:
    """Lines loaded in the session after a bulk UPDATE hold old values and versions: reload them."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Transaction):
            session.expire(obj)


def correct_transaction(session: Session, txn: Transaction, **fields) -> dict:
    """Change a booked transaction; ``TransactionCorrected`` carries old and new values."""
    before_facts = projection_facts(session, txn)
    before = snapshot(txn, CORRECTABLE)
    year_before = txn.date.year
    for key, value in fields.items():
        if key not in CORRECTABLE:
            raise ValidationError(f"{key} cannot be corrected", key)
        if key == "amount":
            value = money_value(value, "amount")
        setattr(txn, key, value)
    _validate(txn.kind, txn.date, txn.currency)
    txn.amount = booked_amount(txn.kind, txn.amount)
    diff = changes(before, snapshot(txn, CORRECTABLE))
    if not diff:
        return diff
    if set(diff) - NOT_IN_CRS:
        refuse_locked(session, {year_before, txn.date.year}, next(iter(sorted(set(diff) - NOT_IN_CRS))))
    txn.amount_eur = to_eur(session, txn.amount, txn.currency, txn.date.year)
    session.flush()
    publish(session, "TransactionCorrected", "Transaction", txn.id, correction_payload(
        txn.document_number, txn.source, diff, before_facts, projection_facts(session, txn)))
    return diff
