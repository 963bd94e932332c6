"""Event handlers of the ODA package: they mark work pending; the classification job
does it. Replaying them only marks everything pending again, which is harmless."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, cast, func, literal, select
from sqlalchemy.orm import Session

from app.events import subscribe
from app.events.bus import EventSpan
from app.events.models import Event
from oda.models import Evaluation
from oda.services import pending
from programmes.models import Transaction
from programmes.services.ledger import imported_line_ids
from programmes.services.transactions import LINES_IMPORTED

TRANSACTION_EVENTS = ("DisbursementRecorded", "RefundRecorded", "CommitmentRecorded", "TransactionCorrected")


def _nothing_to_reset(session: Session) -> None:
    return None


def _mark_imported_lines(session: Session, payloads: list[dict]) -> None:
    pending.mark_transactions_from(session, select(Transaction.id, literal(LINES_IMPORTED))
                                   .where(imported_line_ids(payloads)))


def _mark_pending_batch(session: Session, span: EventSpan) -> None:
    """The span's line events as one INSERT … SELECT (each line once, its latest kind of
    event as reason), batch imports over their lines, the rest one by one."""
    line = cast(Event.aggregate_id, BigInteger)
    pending.mark_transactions_from(session, select(line, func.max(Event.type)).where(
        *span.where(Event.id, Event.type), Event.type.in_(TRANSACTION_EVENTS)).group_by(line))
    others = session.scalars(select(Event).where(*span.where(Event.id, Event.type),
                                                 Event.type.not_in(TRANSACTION_EVENTS + (LINES_IMPORTED,)))
                             .order_by(Event.id)).all()
    for event in others:
        mark_pending(session, event)
    imports = session.scalars(select(Event.payload).where(*span.where(Event.id, Event.type),
                                                          Event.type == LINES_IMPORTED)).all()
    if imports:
        _mark_imported_lines(session, imports)


@subscribe("oda_pending_work", reset=_nothing_to_reset, batch=_mark_pending_batch, on=TRANSACTION_EVENTS + (
    "ActivityChanged", "ReferenceDataLoaded", "ExchangeRateSet", LINES_IMPORTED))
def mark_pending(session: Session, event: Event) -> None:
    payload = event.payload or {}
    if event.type == LINES_IMPORTED:
        _mark_imported_lines(session, [payload])
    elif event.type in TRANSACTION_EVENTS:
        pending.mark_transactions(session, [int(event.aggregate_id)], event.type)
    elif event.type == "ActivityChanged":
        pending.mark_activities(session, [int(event.aggregate_id)], event.type)
    elif event.type == "ExchangeRateSet":
        pending.mark_activities_for_rate(session, int(payload["year"]), str(payload["currency"]), event.type)
    elif event.type == "ReferenceDataLoaded":
        _reference_changed(session, payload)


def _reference_changed(session: Session, payload: dict) -> None:
    """New reference data can change any activity's evaluation; re-evaluating is cheap
    (one run of the rules per activity and year) and only changed results are rewritten."""
    if payload.get("list") == "exchange_rates" and not payload.get("changes_truncated"):
        for change in payload.get("changes", []):
            pending.mark_activities_for_rate(session, int(change["year"]), str(change["currency"]),
                                             "ReferenceDataLoaded")
        return
    pending.mark_all_activities(session, "ReferenceDataLoaded")


@subscribe("oda_year_reopened", reset=_nothing_to_reset, on=("YearReopened",))
def reclassify_reopened_year(session: Session, event: Event) -> None:
    """A submitted year kept the reference data it was submitted with; once reopened, its
    activities are classified again with the data now in force (the revision's outcome)."""
    year = (event.payload or {}).get("year")
    if year is not None:
        pending.mark_activities(session, select(Evaluation.activity_id).distinct().where(
            Evaluation.year == int(year)), event.type)


@subscribe("oda_exports_seen", reset=_nothing_to_reset, on=("ExportGenerated",))
def remember_export(session: Session, event: Event) -> None:
    """The review queue shows what changed since the year's last CRS export."""
    from oda.services.deadlines import record_export

    year = (event.payload or {}).get("year")
    if year is None:
        return
    occurred = event.occurred_at if isinstance(event.occurred_at, datetime) else None
    record_export(session, int(year), occurred)
