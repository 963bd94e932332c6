"""Event handlers of the programme domain: the budget-totals projections per programme and
per activity."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.events import subscribe
from app.events.models import Event
from programmes.models import ActivityYearTotal, ProgrammeYearTotal, Transaction
from programmes.services.revaluation import GroupChange

RECORDED = ("CommitmentRecorded", "DisbursementRecorded", "RefundRecorded")
REVALUED = "TransactionsRevalued"


def _reset(session: Session) -> None:
    session.execute(delete(ProgrammeYearTotal))


def _row(session: Session, programme_id: int, year: int) -> ProgrammeYearTotal:
    row = session.get(ProgrammeYearTotal, (programme_id, year))
    if row is None:
        row = ProgrammeYearTotal(programme_id=programme_id, year=year, planned=Decimal("0"),
                                 committed=Decimal("0"), disbursed=Decimal("0"))
        session.add(row)
    return row


def _add(row, kind: str, amount: Decimal) -> None:
    """Book an EUR amount of ``kind`` on a programme's or an activity's totals row."""
    if kind == "commitment":
        row.committed += amount
    elif kind == "disbursement":
        row.disbursed += amount
    elif kind == "refund":
        row.disbursed -= amount


def _apply_transaction(session: Session, facts: dict, sign: int) -> None:
    if facts.get("amount_eur") is None:
        return  # no EUR rate when booked; shown as an alert, never counted as zero
    _add(_row(session, facts["programme_id"], int(facts["year"])), facts["kind"],
         Decimal(facts["amount_eur"]) * sign)


def revalued_groups(event: Event) -> list[GroupChange]:
    """The activity groups a TransactionsRevalued event moved (its ``columns`` name them)."""
    columns = event.payload["columns"]
    return [GroupChange(**dict(zip(columns, values))) for values in event.payload["activities"]]


def _cents_delta(group: GroupChange) -> Decimal:
    return Decimal(group.after_cents - group.before_cents).scaleb(-2)


@subscribe("budget_totals", on=("BudgetLineChanged", "TransactionCorrected", REVALUED) + RECORDED, reset=_reset)
def update_budget_totals(session: Session, event: Event) -> None:
    p = event.payload
    if event.type == REVALUED:
        for group in revalued_groups(event):
            _add(_row(session, group.programme_id, int(p["year"])), group.kind, _cents_delta(group))
    elif event.type == "BudgetLineChanged":
        delta = Decimal(p["planned_amount"]["after"]) - Decimal(p["planned_amount"]["before"] or "0")
        _row(session, p["programme_id"], p["year"]).planned += delta
    elif event.type == "TransactionCorrected":
        _apply_transaction(session, p["before"], -1)
        _apply_transaction(session, p["after"], +1)
    else:
        _apply_transaction(session, {"programme_id": p["programme_id"], "year": p["date"][:4],
                                     "kind": p["kind"], "amount_eur": p["amount_eur"]}, +1)
    session.flush()


# --- activity_totals: per activity and year, for the programme page -------------------


def _reset_activity_totals(session: Session) -> None:
    session.execute(delete(ActivityYearTotal))


def _activity_row(session: Session, activity_id: int, year: int) -> ActivityYearTotal:
    row = session.get(ActivityYearTotal, (activity_id, year))
    if row is None:
        row = ActivityYearTotal(activity_id=activity_id, year=year, committed=Decimal("0"),
                                disbursed=Decimal("0"), unconverted=0)
        session.add(row)
    return row


def _book_on_activity(session: Session, activity_id: int, facts: dict, sign: int) -> None:
    row = _activity_row(session, int(activity_id), int(facts["year"]))
    if facts.get("amount_eur") is None:
        row.unconverted += sign  # counted, so the portfolio can say which rates are missing
        return
    _add(row, facts["kind"], Decimal(facts["amount_eur"]) * sign)


def _revalue_activities(session: Session, event: Event) -> None:
    for group in revalued_groups(event):
        row = _activity_row(session, group.activity_id, int(event.payload["year"]))
        _add(row, group.kind, _cents_delta(group))
        row.unconverted += group.unconverted_after - group.unconverted_before


def _activity_when(session: Session, event: Event) -> int:
    """The activity a transaction belonged to just before ``event``: correction payloads
    name it only when it changed, so read the transaction's latest earlier event
    (an index lookup; corrections are rare). Replaying stays exact this way."""
    earlier = session.scalars(
        select(Event).where(Event.aggregate_type == "Transaction", Event.aggregate_id == event.aggregate_id,
                            Event.id < event.id).order_by(Event.id.desc()))
    for previous in earlier:
        moved = (previous.payload.get("changes") or {}).get("activity_id")
        if moved:
            return moved["after"]
        if previous.type in RECORDED:
            return previous.payload["activity_id"]
    return session.scalar(select(Transaction.activity_id).where(Transaction.id == int(event.aggregate_id)))


@subscribe("activity_totals", on=("TransactionCorrected", REVALUED) + RECORDED, reset=_reset_activity_totals)
def update_activity_totals(session: Session, event: Event) -> None:
    p = event.payload
    if event.type == REVALUED:
        _revalue_activities(session, event)
    elif event.type == "TransactionCorrected":
        moved = (p.get("changes") or {}).get("activity_id")
        before, after = (moved["before"], moved["after"]) if moved else (_activity_when(session, event),) * 2
        _book_on_activity(session, before, p["before"], -1)
        _book_on_activity(session, after, p["after"], +1)
    else:
        _book_on_activity(session, p["activity_id"], {"year": p["date"][:4], "kind": p["kind"],
                                                      "amount_eur": p["amount_eur"]}, +1)
    session.flush()
