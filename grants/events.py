"""Events of the grants domain and its handler on the ledger.

Every step of an application publishes one event (aggregate ``GrantApplication``)
in the same transaction as the change. Payloads carry ids, codes, amounts and
dates; never a person's name or contact, and no free text on personal applications.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from app.events import subscribe
from app.events.models import Event

@subscribe("grants_ledger_matching", on=("DisbursementRecorded",))
def match_ledger_disbursement(session: Session, event: Event) -> None:
    """A disbursement imported from the ledger may pay a tranche listed with its document number."""
    if event.payload.get("source") != "ledger":
        return
    from grants.services.matching import match_transaction
    from programmes.models import Transaction

    transaction = session.get(Transaction, int(event.aggregate_id))
    if transaction is not None:
        match_transaction(session, transaction)
