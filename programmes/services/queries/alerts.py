"""Signals on the portfolio overview: overruns, underspending against the time elapsed,
open ODA reviews and transactions without an EUR value (a missing exchange rate).

Everything is read from projections or one small aggregate, so the overview costs
the same with a ledger of a thousand lines or a million.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from programmes import hooks
from programmes.models import Activity, ActivityYearTotal
from programmes.services.queries.portfolio import ProgrammeSummary

#: spending this far (in share of the plan) behind the share of the year elapsed is "underspending"
UNDERSPEND_MARGIN = Decimal("0.25")
#: before this share of the year has passed, underspending says nothing yet
UNDERSPEND_FROM = Decimal("0.25")

OVERRUN, UNDERSPEND, ODA_REVIEW, MISSING_RATE = "overrun", "underspend", "oda_review", "missing_rate"


@dataclass(frozen=True)
class Alert:
    """One signal; the page words it in the reader's language from ``kind`` and ``figures``."""

    kind: str
    level: str  # "error" or "warn"
    figures: dict = field(default_factory=dict)


def elapsed_share(year: int, today: date) -> Decimal:
    """How much of ``year`` has passed: 0 before it, 1 after it."""
    if year < today.year:
        return Decimal(1)
    if year > today.year:
        return Decimal(0)
    days = (date(year + 1, 1, 1) - date(year, 1, 1)).days
    return Decimal((today - date(year, 1, 1)).days + 1) / Decimal(days)


def portfolio_alerts(session: Session, rows: list[ProgrammeSummary], year: int,
                     today: date) -> dict[int, list[Alert]]:
    """Alerts per programme id for the rows of the overview (two queries, whatever the rows)."""
    ids = {row.programme.id for row in rows}
    unconverted = unconverted_by_programme(session, ids)
    reviews = open_oda_reviews(session, year, ids)
    elapsed = elapsed_share(year, today)
    alerts: dict[int, list[Alert]] = {}
    for row in rows:
        found = _budget_alerts(row, elapsed)
        pid = row.programme.id
        if reviews.get(pid):
            found.append(Alert(ODA_REVIEW, "warn", {"count": reviews[pid]}))
        if unconverted.get(pid):
            found.append(Alert(MISSING_RATE, "error", {"count": unconverted[pid]}))
        if found:
            alerts[pid] = found
    return alerts


def _budget_alerts(row: ProgrammeSummary, elapsed: Decimal) -> list[Alert]:
    t = row.year
    if t.disbursed > t.planned:
        return [Alert(OVERRUN, "error", {"excess": t.disbursed - t.planned, "planned": t.planned})]
    if t.planned > 0 and elapsed >= UNDERSPEND_FROM and t.burn_rate < elapsed - UNDERSPEND_MARGIN:
        return [Alert(UNDERSPEND, "warn", {"burn_rate": t.burn_rate, "elapsed": elapsed})]
    return []


def unconverted_by_programme(session: Session, programme_ids: set[int]) -> dict[int, int]:
    """Transactions booked without an EUR value (no exchange rate for their year), per programme."""
    if not programme_ids:
        return {}
    # Driven by the partial index on unconverted > 0: rare rows, whatever the size of the portfolio.
    stmt = (select(Activity.programme_id, func.sum(ActivityYearTotal.unconverted))
            .join(Activity, Activity.id == ActivityYearTotal.activity_id)
            .where(ActivityYearTotal.unconverted > 0)
            .group_by(Activity.programme_id))
    return {pid: int(count) for pid, count in session.execute(stmt) if count and pid in programme_ids}


def open_oda_reviews(session: Session, year: int, programme_ids: set[int]) -> dict[int, int]:
    """Classifications of ``year`` waiting for review, per programme, asked through
    ``programmes.hooks.open_reviews``; nothing while no package answers it."""
    if not programme_ids:
        return {}
    return hooks.open_reviews(session, year, programme_ids)
