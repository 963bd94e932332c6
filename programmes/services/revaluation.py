"""Revaluing the ledger when an exchange rate changes: one set-based UPDATE per currency
and one ``TransactionsRevalued`` event per rate change, in the rate change's transaction.

``amount_eur`` is the EUR value at the year's rate (app.rates.services.eur_value); a
rate that arrives or changes after the spending (annual averages are published after
the year ends) recomputes every line of that currency and year. Lines without a rate
keep no EUR value (never 0). The event carries counts, totals and, per activity and
kind, the EUR sums before and after, so the budget projections follow without reading
the ledger and a replay reproduces them.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import NamedTuple

from sqlalchemy import BigInteger, and_, case, func, literal, select, type_coerce, update
from sqlalchemy.orm import Session

from app.events import publish
from app.rates.services import RateChange, eur_sql, get_rate, on_rate_change
from app.sql import among
from programmes.models import Activity, Transaction
from programmes.services.transactions import expire_loaded_transactions

EVENT = "TransactionsRevalued"
#: the columns of each entry of the event's ``activities`` list
GROUP_COLUMNS = ("activity_id", "programme_id", "kind", "before_cents", "after_cents", "unconverted_before",
                 "unconverted_after")


class GroupChange(NamedTuple):
    """One activity's lines of one kind: EUR sums (cents) and lines without EUR, before and after."""

    activity_id: int
    programme_id: int
    kind: str
    before_cents: int
    after_cents: int
    unconverted_before: int
    unconverted_after: int


class Sums(NamedTuple):
    """An activity's lines of one kind in the currencies and year: count, EUR cents, lines without EUR."""

    lines: int
    cents: int
    unconverted: int


class Revaluation(NamedTuple):
    """Lines of the currencies and year; lines whose EUR value changed; the groups that moved."""

    lines: int
    revalued: int
    groups: list[GroupChange]


@on_rate_change("programmes_ledger")
def revalue_on_rate_change(session: Session, change: RateChange) -> None:
    revalue_lines(session, change.year, change.currencies, change.rates)


def revalue_lines(session: Session, year: int, currencies, rates: tuple[str, ...]) -> Revaluation:
    """Recompute ``amount_eur`` of every line of ``currencies`` dated in ``year`` at the
    year's rates; publishes one TransactionsRevalued event (naming the changed ``rates``)
    when any line is concerned."""
    t = Transaction.__table__
    units = {c: _units_e10(session, year, c) for c in currencies}
    where = and_(among(session, t.c.currency, sorted(units)), t.c.date >= date(year, 1, 1),
                 t.c.date < date(year + 1, 1, 1))
    before = _sums(session, where)
    if not before:
        return Revaluation(0, 0, [])
    new = _converted(t, units)
    revalued = session.execute(
        update(t).where(where, t.c.amount_eur_minor.is_distinct_from(new))
        .values(amount_eur_minor=new, version=t.c.version + 1)
        .execution_options(synchronize_session=False)).rowcount
    expire_loaded_transactions(session)
    after = _sums(session, where)
    result = Revaluation(sum(sums.lines for sums in before.values()), revalued, _changes(before, after))
    _publish(session, year, units, rates, result, _totals(before, after))
    return result


def _units_e10(session: Session, year: int, currency: str) -> int | None:
    rate = get_rate(session, year, currency)
    return None if rate is None or rate.units_per_eur is None else int(rate.units_per_eur.scaleb(10))


def _converted(t, units: dict[str, int | None]):
    """The new EUR value in SQL: the currency's rate as a parameter (NULL without one)."""
    values = {c: (None if u is None else eur_sql(t.c.amount_minor, literal(u))) for c, u in units.items()}
    if len(values) == 1:
        (value,) = values.values()
        return literal(None) if value is None else value
    return case(*((t.c.currency == c, v) for c, v in values.items() if v is not None), else_=None)


def _sums(session: Session, where) -> dict[tuple, Sums]:
    """The lines ``where`` selects, summed per (activity_id, programme_id, kind)."""
    t, a = Transaction.__table__, Activity.__table__
    cents = type_coerce(t.c.amount_eur_minor, BigInteger)
    unconverted = func.sum(case((cents.is_(None), 1), else_=0))
    rows = session.execute(
        select(t.c.activity_id, a.c.programme_id, t.c.kind, func.count(), func.coalesce(func.sum(cents), 0),
               unconverted)
        .select_from(t.join(a, a.c.id == t.c.activity_id)).where(where)
        .group_by(t.c.activity_id, a.c.programme_id, t.c.kind))
    return {(r[0], r[1], r[2]): Sums(int(r[3]), int(r[4]), int(r[5])) for r in rows}


def _changes(before: dict[tuple, Sums], after: dict[tuple, Sums]) -> list[GroupChange]:
    return [GroupChange(*key, old.cents, after[key].cents, old.unconverted, after[key].unconverted)
            for key, old in before.items() if (old.cents, old.unconverted) != after[key][1:]]


def _totals(before: dict[tuple, Sums], after: dict[tuple, Sums]) -> dict:
    """Per kind: EUR cents and lines without EUR, before and after."""
    totals = defaultdict(lambda: {"before": 0, "after": 0, "unconverted_before": 0, "unconverted_after": 0})
    for key, old in before.items():
        kind = totals[key[2]]
        kind["before"] += old.cents
        kind["unconverted_before"] += old.unconverted
        kind["after"] += after[key].cents
        kind["unconverted_after"] += after[key].unconverted
    return dict(sorted(totals.items()))


def _publish(session: Session, year: int, units: dict, rates: tuple, result: Revaluation, totals: dict) -> None:
    """Aggregate: the rate that changed (``2024-MWK``), or the year when a file changed several."""
    publish(session, EVENT, "ExchangeRate", rates[0] if len(rates) == 1 else year, {
        "year": year, "rates": list(rates), "currencies": sorted(units), "units_per_eur_e10": units,
        "lines": result.lines, "revalued": result.revalued, "totals_cents": totals,
        "columns": list(GROUP_COLUMNS), "activities": [list(g) for g in result.groups],
    })
