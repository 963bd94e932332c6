"""Budget alerts: a programme-year whose disbursements exceed its plan.

Reads the ``programme_year_totals`` projection (kept current by the event
dispatcher) and emits ``BudgetOverrun`` once per programme-year and level: a new
alert only when the overrun is new or its figures moved since the last alert.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.events import publish
from app.events.models import Event
from programmes.models import ProgrammeYearTotal

OVERRUN = "BudgetOverrun"
AGGREGATE = "Programme"


def check_budget_overruns(session: Session) -> dict:
    """Emit ``BudgetOverrun`` for each new or changed overrun; return counts."""
    overruns = session.scalars(
        select(ProgrammeYearTotal)
        .where(ProgrammeYearTotal.disbursed > ProgrammeYearTotal.planned)
        .order_by(ProgrammeYearTotal.programme_id, ProgrammeYearTotal.year)
    ).all()
    last_alerts = _last_alerts(session, {row.programme_id for row in overruns})
    alerts = 0
    for row in overruns:
        if _same_level(last_alerts.get((row.programme_id, row.year)), row):
            continue
        publish(session, OVERRUN, AGGREGATE, row.programme_id, overrun_payload(row))
        alerts += 1
    return {"overruns": len(overruns), "alerts": alerts, "unchanged": len(overruns) - alerts}


def overrun_payload(row: ProgrammeYearTotal) -> dict:
    return {
        "programme_id": row.programme_id,
        "year": row.year,
        "planned": str(row.planned),
        "disbursed": str(row.disbursed),
        "excess": str(row.disbursed - row.planned),
    }


def _last_alerts(session: Session, programme_ids: set[int]) -> dict[tuple[int, int], dict]:
    """The payload of the newest BudgetOverrun per (programme, year)."""
    if not programme_ids:
        return {}
    events = session.scalars(
        select(Event)
        .where(Event.type == OVERRUN, Event.aggregate_type == AGGREGATE,
               Event.aggregate_id.in_([str(pid) for pid in sorted(programme_ids)]))
        .order_by(Event.id)
    )
    return {(int(e.payload["programme_id"]), int(e.payload["year"])): e.payload for e in events}


def _same_level(last: dict | None, row: ProgrammeYearTotal) -> bool:
    return (last is not None
            and Decimal(last["planned"]) == row.planned
            and Decimal(last["disbursed"]) == row.disbursed)
