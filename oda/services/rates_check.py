"""Exchange-rate completeness for the current reporting year.

The CRS is reported for the previous calendar year (the IMF's annual average of the
current year does not exist yet), so that is the year checked. A year with spending
needs the EUR rate (for USD figures) and a rate for every other currency booked.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import utcnow
from app.events import publish
from app.events.models import Event
from app.rates.models import ExchangeRate
from programmes.models import Transaction

ALERT = "ExchangeRateMissing"


def current_reporting_year(today: date | None = None) -> int:
    return (today or utcnow().date()).year - 1


def missing_rates(session: Session, year: int) -> list[str]:
    """Currencies with spending in ``year`` (and EUR, if anything was spent) without a rate."""
    booked = set(session.scalars(select(Transaction.currency).distinct().where(
        Transaction.date >= date(year, 1, 1), Transaction.date < date(year + 1, 1, 1))))
    if not booked:
        return []
    needed = booked | {"EUR"}
    have = set(session.scalars(select(ExchangeRate.currency).where(ExchangeRate.year == year)))
    return sorted(needed - have)


def check_rates(session: Session, year: int | None = None, today: date | None = None) -> dict:
    """Raise one ``ExchangeRateMissing`` alert per missing rate and day."""
    today = today or utcnow().date()
    year = year or current_reporting_year(today)
    missing = missing_rates(session, year)
    raised = 0
    for currency in missing:
        key = f"{year}-{currency}"
        if _alerted_today(session, key, today):
            continue
        what = "USD conversion of the CRS report" if currency == "EUR" else f"converting {currency} spending to EUR"
        publish(session, ALERT, "ExchangeRate", key, {
            "year": year, "currency": currency,
            "message": f"No {year} {currency} rate (units per USD): needed for {what}."})
        raised += 1
    return {"year": year, "missing": len(missing), "alerts": raised}


def _alerted_today(session: Session, key: str, today: date) -> bool:
    from datetime import datetime, time, timezone

    start = datetime.combine(today, time.min, tzinfo=timezone.utc)
    return session.scalar(select(Event.id).where(
        Event.type == ALERT, Event.aggregate_type == "ExchangeRate", Event.aggregate_id == key,
        Event.occurred_at >= start).limit(1)) is not None
