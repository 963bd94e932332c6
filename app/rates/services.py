"""Exchange rates: stored per year and currency, every change an event."""
from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import round_money
from app.events import publish
from app.rates.models import ExchangeRate

RATE_PLACES = Decimal("1e-10")


class RateError(ValueError):
    pass


def quantize_rate(value) -> Decimal:
    rate = Decimal(str(value)).quantize(RATE_PLACES, rounding=ROUND_HALF_EVEN)
    if rate <= 0:
        raise RateError("an exchange rate must be positive")
    return rate


def get_rate(session: Session, year: int, currency: str) -> ExchangeRate | None:
    return session.scalar(select(ExchangeRate).where(ExchangeRate.year == year, ExchangeRate.currency == currency))


def set_rate(session: Session, year: int, currency: str, units_per_usd, source: str) -> ExchangeRate:
    """Create or change the rate of ``currency`` in ``year``; emits ``ExchangeRateSet``."""
    currency = currency.upper()
    if len(currency) != 3 or not currency.isalpha():
        raise RateError(f"not an ISO currency code: {currency!r}")
    units_per_usd = quantize_rate(units_per_usd)
    rate = get_rate(session, year, currency)
    old = None if rate is None else str(rate.units_per_usd)
    if rate is None:
        rate = ExchangeRate(year=year, currency=currency, units_per_usd=units_per_usd, source=source)
        session.add(rate)
    elif rate.units_per_usd == units_per_usd and rate.source == source:
        return rate
    rate.units_per_usd = units_per_usd
    rate.source = source
    _refresh_cross_rates(session, year, rate)
    session.flush()
    publish(session, "ExchangeRateSet", "ExchangeRate", f"{year}-{currency}",
            {"year": year, "currency": currency, "units_per_usd": {"before": old, "after": str(units_per_usd)},
             "units_per_eur": None if rate.units_per_eur is None else str(rate.units_per_eur),
             "source": source})
    return rate


def _refresh_cross_rates(session: Session, year: int, changed: ExchangeRate) -> None:
    eur = changed if changed.currency == "EUR" else get_rate(session, year, "EUR")
    if eur is None:
        return
    others = [changed] if changed.currency != "EUR" else session.scalars(
        select(ExchangeRate).where(ExchangeRate.year == year)).all()
    for rate in others:
        rate.units_per_eur = quantize_rate(rate.units_per_usd / eur.units_per_usd)
    eur.units_per_eur = Decimal("1.0000000000")


def to_eur(session: Session, amount: Decimal, currency: str, year: int) -> Decimal | None:
    """The EUR value at the year's rate, or None when that rate is missing (never zero)."""
    if currency == "EUR":
        return amount
    rate = get_rate(session, year, currency)
    if rate is None or rate.units_per_eur is None:
        return None
    return round_money(amount / rate.units_per_eur)
