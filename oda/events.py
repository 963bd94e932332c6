"""Event handlers of the ODA package: they mark work pending; the classification job
does it. Replaying them only marks everything pending again, which is harmless."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.events import subscribe
from app.events.models import Event
from oda.services import pending

TRANSACTION_EVENTS = ("DisbursementRecorded", "RefundRecorded", "CommitmentRecorded", "TransactionCorrected")


def _nothing_to_reset(session: Session) -> None:
    return None


@subscribe("oda_pending_work", reset=_nothing_to_reset, on=TRANSACTION_EVENTS + (
    "ActivityChanged", "ReferenceDataLoaded", "ExchangeRateSet"))
def mark_pending(session: Session, event: Event) -> None:
    payload = event.payload or {}
    if event.type in TRANSACTION_EVENTS:
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


@subscribe("oda_exports_seen", reset=_nothing_to_reset, on=("ExportGenerated",))
def remember_export(session: Session, event: Event) -> None:
    """The review queue shows what changed since the year's last CRS export."""
    from oda.services.deadlines import record_export

    year = (event.payload or {}).get("year")
    if year is None:
        return
    occurred = event.occurred_at if isinstance(event.occurred_at, datetime) else None
    record_export(session, int(year), occurred)
