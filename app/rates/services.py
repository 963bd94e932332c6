"""Exchange rates: stored per year and currency, every change an event.

A rate change revalues the ledger in the same transaction: the package that owns the
ledger registers a hook (``on_rate_change``) that set_rate calls with the year and the
currencies whose EUR rate changed (the kernel knows no ledger).
"""
from __future__ import annotations

from contextlib import contextmanager
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from typing import Callable, NamedTuple

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import from_scaled_int, to_scaled_int
from app.messages import N_
from app.events import publish
from app.exact import SCALE, scale_exact, scaled_sql
from app.year_lock import refuse_locked
from app.rates.models import ExchangeRate
from app.sql import transaction_lock

RATE_PLACES = Decimal("1e-10")
RATES_LOCK_KEY = 7_141_005


class RateError(ValueError):
    pass


class RateOrigin(StrEnum):
    """Who set a rate; a rate is replaced only by an origin of the same or higher rank."""

    CURATED = "curated"  # the subset shipped with Aidledger
    IMF = "imf"  # an IMF annual-average file (reference load)
    OFFICER = "officer"  # entered by an officer (rates import, API): the DAC's rate


RANK = {RateOrigin.CURATED: 0, RateOrigin.IMF: 1, RateOrigin.OFFICER: 2}
ORIGIN_LABELS = {RateOrigin.CURATED: N_("curated subset shipped with Aidledger"), RateOrigin.IMF: N_("IMF file"),
                 RateOrigin.OFFICER: N_("DAC rate entered by an officer")}


def provenance(rate: ExchangeRate) -> str:
    """Where a rate comes from, for reports (in the current language): its origin and its source
    (file name)."""
    return f"{gettext(ORIGIN_LABELS[RateOrigin(rate.origin)])}: {rate.source}"


def may_replace(origin: str, current: ExchangeRate | None) -> bool:
    """A curated load never replaces an IMF or officer rate, an IMF file never an officer's."""
    return current is None or RANK[RateOrigin(origin)] >= RANK[RateOrigin(current.origin)]


class RateChange(NamedTuple):
    """What a rate hook is told: the currencies of ``year`` whose units per EUR changed,
    and the rates whose change caused it (``('2024-EUR', '2024-MWK')``)."""

    year: int
    currencies: tuple[str, ...]
    rates: tuple[str, ...]


rate_hooks: dict[str, Callable[[Session, RateChange], None]] = {}


def on_rate_change(name: str):
    """Register ``func(session, change)``, run inside set_rate's transaction (synchronously)."""

    def decorator(func):
        rate_hooks[name] = func
        return func

    return decorator


DEFERRED = "rates_deferred_changes"


@contextmanager
def one_revaluation_per_year(session: Session):
    """Rates set inside the block revalue the ledger once per year, at its end (a file
    of rates: one revaluation and one event per year, not per rate)."""
    if DEFERRED in session.info:
        yield
        return
    pending: dict[int, tuple[set, list]] = {}
    session.info[DEFERRED] = pending
    try:
        yield
    finally:
        session.info.pop(DEFERRED, None)
    for year, (currencies, rates) in sorted(pending.items()):
        _run_hooks(session, RateChange(year, tuple(sorted(currencies)), tuple(rates)))


def _revalue(session: Session, year: int, currencies: set[str], rate_key: str) -> None:
    pending = session.info.get(DEFERRED)
    if pending is None:
        _run_hooks(session, RateChange(year, tuple(sorted(currencies)), (rate_key,)))
        return
    known, rates = pending.setdefault(year, (set(), []))
    known |= currencies
    rates.append(rate_key)


def _run_hooks(session: Session, change: RateChange) -> None:
    for hook in rate_hooks.values():
        hook(session, change)


def hold_rates(session: Session, exclusive: bool = False) -> None:
    """PostgreSQL: a rate change (exclusive) waits for the transactions converting lines
    with the rates they read (shared), and they for it, until commit; so no line is
    booked at a rate that a concurrent change is replacing, unseen by its revaluation."""
    transaction_lock(session, RATES_LOCK_KEY, shared=not exclusive)


def quantize_rate(value) -> Decimal:
    rate = Decimal(str(value)).quantize(RATE_PLACES, rounding=ROUND_HALF_EVEN)
    if rate <= 0:
        raise RateError("an exchange rate must be positive")
    return rate


def get_rate(session: Session, year: int, currency: str) -> ExchangeRate | None:
    return session.scalar(select(ExchangeRate).where(ExchangeRate.year == year, ExchangeRate.currency == currency))


def set_rate(session: Session, year: int, currency: str, units_per_usd, source: str,
             origin: str = RateOrigin.OFFICER) -> ExchangeRate:
    """Create or change the rate of ``currency`` in ``year``; emits ``ExchangeRateSet`` and
    revalues the lines whose EUR rate changed (the registered hooks)."""
    currency = currency.upper()
    if len(currency) != 3 or not currency.isalpha():
        raise RateError(f"not an ISO currency code: {currency!r}")
    units_per_usd = quantize_rate(units_per_usd)
    hold_rates(session, exclusive=True)
    rate = get_rate(session, year, currency)
    if not may_replace(origin, rate):
        raise RateError(f"the {rate.origin} rate of {currency} for {year} outranks a {origin} rate")
    old = None if rate is None else str(rate.units_per_usd)
    if rate is None:
        rate = ExchangeRate(year=year, currency=currency, units_per_usd=units_per_usd, source=source, origin=origin)
        session.add(rate)
    elif (rate.units_per_usd, rate.source, rate.origin) == (units_per_usd, source, origin):
        return rate
    refuse_locked(session, [year], "year")  # the year's CRS was submitted with the rate it has
    rate.units_per_usd, rate.source, rate.origin = units_per_usd, source, str(origin)
    changed = _refresh_cross_rates(session, year, rate)
    session.flush()
    publish(session, "ExchangeRateSet", "ExchangeRate", f"{year}-{currency}",
            {"year": year, "currency": currency, "units_per_usd": {"before": old, "after": str(units_per_usd)},
             "units_per_eur": None if rate.units_per_eur is None else str(rate.units_per_eur),
             "source": source, "origin": str(origin)})
    if changed:
        _revalue(session, year, changed, f"{year}-{currency}")
    return rate


def _refresh_cross_rates(session: Session, year: int, changed: ExchangeRate) -> set[str]:
    """Units per EUR from units per USD and the year's EUR rate; returns the currencies
    (other than EUR) whose units per EUR changed."""
    eur = changed if changed.currency == "EUR" else get_rate(session, year, "EUR")
    if eur is None:
        return set()
    others = [changed] if changed.currency != "EUR" else session.scalars(
        select(ExchangeRate).where(ExchangeRate.year == year)).all()
    moved = set()
    for rate in others:
        before = rate.units_per_eur
        rate.units_per_eur = quantize_rate(rate.units_per_usd / eur.units_per_usd)
        if rate.currency != "EUR" and rate.units_per_eur != before:
            moved.add(rate.currency)
    eur.units_per_eur = Decimal("1.0000000000")
    return moved


def eur_value(amount: Decimal, units_per_eur: Decimal | None) -> Decimal | None:
    """``amount`` ÷ units per EUR, rounded half-even to the cent in exact integers: the
    one conversion of the ledger (``eur_sql`` is the same in SQL); None without a rate."""
    if units_per_eur is None:
        return None
    cents = scale_exact(to_scaled_int(amount, 2), SCALE, to_scaled_int(units_per_eur, 10))
    return from_scaled_int(cents, 2)


def eur_sql(amount_minor, units_per_eur_e10):
    """``eur_value`` over integer columns/parameters (cents, units per EUR × 10^10)."""
    return scaled_sql(amount_minor, SCALE, units_per_eur_e10)


def to_eur(session: Session, amount: Decimal, currency: str, year: int) -> Decimal | None:
    """The EUR value at the year's rate, or None when that rate is missing (never zero)."""
    if currency == "EUR":
        return amount
    hold_rates(session)
    rate = get_rate(session, year, currency)
    return None if rate is None else eur_value(amount, rate.units_per_eur)
