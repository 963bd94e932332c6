"""Events of the grants domain and its handler on the ledger.

Every step of an application publishes one event (aggregate ``GrantApplication``)
in the same transaction as the change. Payloads carry ids, codes, amounts and
dates; never a person's name or contact, and no free text on personal applications.
"""
from __future__ import annotations

from sqlalchemy import BigInteger, cast, select
from sqlalchemy.orm import Session

from app.events import subscribe
from app.events.bus import EventSpan
from app.events.models import Event
from programmes.services.transactions import LINES_IMPORTED


def _match_batch(session: Session, span: EventSpan) -> None:
    """Only lines whose document number a tranche lists can match: one join finds them
    among the span's disbursements and the lines of its batch imports."""
    from grants.services.matching import match_candidates

    recorded = select(cast(Event.aggregate_id, BigInteger)).where(*span.where(Event.id, Event.type),
                                                                  Event.type == "DisbursementRecorded")
    imports = session.scalars(select(Event.payload).where(*span.where(Event.id, Event.type),
                                                          Event.type == LINES_IMPORTED)).all()
    match_candidates(session, recorded, imports)


@subscribe("grants_ledger_matching", on=("DisbursementRecorded", LINES_IMPORTED), batch=_match_batch)
def match_ledger_disbursement(session: Session, event: Event) -> None:
    """A disbursement imported from the ledger may pay a tranche listed with its document number."""
    from grants.services.matching import match_candidates

    if event.type == LINES_IMPORTED:
        match_candidates(session, None, [event.payload])
    else:
        match_candidates(session, select(cast(event.aggregate_id, BigInteger)), [])
