"""The internship allowance: a travel lump sum plus a monthly living allowance.

Flanders Trainee Programme: EUR 200 travel within Europe, EUR 500 outside Europe,
and a monthly allowance that depends on the destination. A period that is not a
whole number of months gets the last month pro rata (days / 30), rounded to the cent.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import round_money
from grants.models import AllowanceRate
from grants.services.errors import GrantsError


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_length(start: date, end: date) -> tuple[int, int]:
    """Whole months and remaining days of the period start..end (both included)."""
    after_end = end + timedelta(days=1)
    months = 0
    while add_months(start, months + 1) <= after_end:
        months += 1
    return months, (after_end - add_months(start, months)).days


def check_period(scheme, start: date | None, end: date | None) -> None:
    if start is None or end is None:
        raise GrantsError("an internship needs a start and an end date", "start_date" if start is None else "end_date")
    if end < start:
        raise GrantsError("the end date is before the start date", "end_date")
    months, days = period_length(start, end)
    low, high = scheme.min_months, scheme.max_months
    if low is not None and months < low:
        raise GrantsError(f"the period must last at least {low} months", "end_date")
    if high is not None and (months > high or (months == high and days > 0)):
        raise GrantsError(f"the period may last at most {high} months", "end_date")


def find_rate(session: Session, scheme, destination: str | None) -> AllowanceRate:
    rate = session.scalar(select(AllowanceRate).where(
        AllowanceRate.scheme_id == scheme.id,
        func.lower(AllowanceRate.destination) == (destination or "").strip().lower()))
    if rate is None:
        raise GrantsError(f"no allowance is configured for destination {destination!r}", "destination")
    return rate


@dataclass(frozen=True)
class Allowance:
    travel: Decimal
    monthly: Decimal
    months: int
    days: int
    total: Decimal


def internship_allowance(session: Session, scheme, destination: str | None, start: date, end: date) -> Allowance:
    check_period(scheme, start, end)
    rate = find_rate(session, scheme, destination)
    travel = scheme.travel_lump_sum_europe if rate.in_europe else scheme.travel_lump_sum_outside_europe
    travel = travel or Decimal("0.00")
    months, days = period_length(start, end)
    living = rate.monthly_allowance * months + round_money(rate.monthly_allowance * days / Decimal(30))
    return Allowance(travel, rate.monthly_allowance, months, days, round_money(travel + living))
