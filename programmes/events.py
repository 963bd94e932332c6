"""Event handlers of the programme domain: the budget-totals projection."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import delete
from sqlalchemy.orm import Session

from app.events import subscribe
from app.events.models import Event
from programmes.models import ProgrammeYearTotal

RECORDED = ("CommitmentRecorded", "DisbursementRecorded", "RefundRecorded")


def _reset(session: Session) -> None:
    session.execute(delete(ProgrammeYearTotal))


def _row(session: Session, programme_id: int, year: int) -> ProgrammeYearTotal:
    row = session.get(ProgrammeYearTotal, (programme_id, year))
    if row is None:
        row = ProgrammeYearTotal(programme_id=programme_id, year=year, planned=Decimal("0"),
                                 committed=Decimal("0"), disbursed=Decimal("0"))
        session.add(row)
    return row


def _apply_transaction(session: Session, facts: dict, sign: int) -> None:
    if facts.get("amount_eur") is None:
        return  # no EUR rate when booked; shown as an alert, never counted as zero
    amount = Decimal(facts["amount_eur"]) * sign
    row = _row(session, facts["programme_id"], int(facts["year"]))
    if facts["kind"] == "commitment":
        row.committed += amount
    elif facts["kind"] == "disbursement":
        row.disbursed += amount
    elif facts["kind"] == "refund":
        row.disbursed -= amount


@subscribe("budget_totals", on=("BudgetLineChanged", "TransactionCorrected") + RECORDED, reset=_reset)
def update_budget_totals(session: Session, event: Event) -> None:
    p = event.payload
    if event.type == "BudgetLineChanged":
        delta = Decimal(p["planned_amount"]["after"]) - Decimal(p["planned_amount"]["before"] or "0")
        _row(session, p["programme_id"], p["year"]).planned += delta
    elif event.type == "TransactionCorrected":
        _apply_transaction(session, p["before"], -1)
        _apply_transaction(session, p["after"], +1)
    else:
        _apply_transaction(session, {"programme_id": p["programme_id"], "year": p["date"][:4],
                                     "kind": p["kind"], "amount_eur": p["amount_eur"]}, +1)
    session.flush()
