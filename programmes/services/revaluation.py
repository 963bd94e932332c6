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
    """An activity's lines of one kind in the currencies and year: EUR cents and lines
    without EUR at the stored values (before) and at the new rates (after)."""

    lines: int
    changed: int
    before_cents: int
    after_cents: int
    unconverted_before: int
    unconverted_after: int


class Revaluation(NamedTuple):
    """Lines of the currencies and year (all rewritten); lines whose EUR value changed; the
    groups that moved."""

    lines: int
    revalued: int
    groups: list[GroupChange]


@on_rate_change("programmes_ledger")
def revalue_on_rate_change(session: Session, change: RateChange) -> None:
    revalue_lines(session, change.year, change.currencies, change.rates)


def revalue_lines(session: Session, year: int, currencies, rates: tuple[str, ...]) -> Revaluation:
    """Recompute ``amount_eur`` of every line of ``currencies`` dated in ``year`` at the
    year's rates; publishes one TransactionsRevalued event (naming the changed ``rates``)
    when any line is concerned.

    One pass sums the old and the new values per activity and kind, then one UPDATE
    writes every line (its version goes up): a scan and an update, each converting a
    line once (the benchmark's floor is the UPDATE alone)."""
    t = Transaction.__table__
    units = {c: _units_e10(session, year, c) for c in currencies}
    where = and_(among(session, t.c.currency, sorted(units)), t.c.date >= date(year, 1, 1),
                 t.c.date < date(year + 1, 1, 1))
    new = _converted(t, units)
    sums = _sums(session, where, new)
    if not sums:
        return Revaluation(0, 0, [])
    session.execute(update(t).where(where).values(amount_eur_minor=new, version=t.c.version + 1)
                    .execution_options(synchronize_session=False))
    expire_loaded_transactions(session)
    result = Revaluation(sum(g.lines for g in sums.values()), sum(g.changed for g in sums.values()),
                         _changes(session, sums))
    _publish(session, year, units, rates, result, _totals(sums))
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


def _sums(session: Session, where, new) -> dict[tuple, Sums]:
    """{(activity_id, kind): Sums} of the lines ``where`` selects. ``OFFSET 0`` keeps the
    engine from merging the lines into the aggregate, which would convert each twice."""
    t = Transaction.__table__
    old = type_coerce(t.c.amount_eur_minor, BigInteger)
    lines = (select(t.c.activity_id, t.c.kind, old.label("old"), type_coerce(new, BigInteger).label("new"))
             .where(where).offset(0).subquery("revalued_lines")).c

    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    rows = session.execute(
        select(lines.activity_id, lines.kind, func.count(), count(lines.old.is_distinct_from(lines.new)),
               func.coalesce(func.sum(lines.old), 0), func.coalesce(func.sum(lines.new), 0),
               count(lines.old.is_(None)), count(lines.new.is_(None)))
        .group_by(lines.activity_id, lines.kind))
    return {(r[0], r[1]): Sums(*map(int, r[2:])) for r in rows}


def _changes(session: Session, sums: dict[tuple, Sums]) -> list[GroupChange]:
    """The groups whose EUR sum or count of unconverted lines moved, with their programme."""
    moved = {key: g for key, g in sums.items()
             if (g.before_cents, g.unconverted_before) != (g.after_cents, g.unconverted_after)}
    a = Activity.__table__
    programme_of = dict(session.execute(select(a.c.id, a.c.programme_id).where(
        among(session, a.c.id, sorted({activity_id for activity_id, _ in moved})))).all()) if moved else {}
    return [GroupChange(activity_id, programme_of[activity_id], kind, g.before_cents, g.after_cents,
                        g.unconverted_before, g.unconverted_after) for (activity_id, kind), g in moved.items()]


def _totals(sums: dict[tuple, Sums]) -> dict:
    """Per kind: EUR cents and lines without EUR, before and after."""
    totals = defaultdict(lambda: {"before": 0, "after": 0, "unconverted_before": 0, "unconverted_after": 0})
    for (_activity, kind), g in sums.items():
        total = totals[kind]
        total["before"] += g.before_cents
        total["after"] += g.after_cents
        total["unconverted_before"] += g.unconverted_before
        total["unconverted_after"] += g.unconverted_after
    return dict(sorted(totals.items()))


def _publish(session: Session, year: int, units: dict, rates: tuple, result: Revaluation, totals: dict) -> None:
    """Aggregate: the rate that changed (``2024-MWK``), or the year when a file changed several."""
    publish(session, EVENT, "ExchangeRate", rates[0] if len(rates) == 1 else year, {
        "year": year, "rates": list(rates), "currencies": sorted(units), "units_per_eur_e10": units,
        "lines": result.lines, "revalued": result.revalued, "totals_cents": totals,
        "columns": list(GROUP_COLUMNS), "activities": [list(g) for g in result.groups],
    })
