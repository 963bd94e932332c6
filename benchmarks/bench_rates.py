"""Revaluing a year's ledger when its exchange rate arrives, against one UPDATE statement.

1. ``benchmarks.generate`` fills a fresh database with N transactions; every line is then
   moved into 2024 and into rand (ZAR), so the whole ledger is one currency and year.
2. The floor: one plain UPDATE setting every line's ``amount_eur`` at the year's rate
   (the same exact conversion, no check, no event, no projection facts), committed.
3. ``set_rate`` with the DAC's rate (another value): the rate, its event, and the
   revaluation of all N lines (sums per activity and kind before and after, the UPDATE of
   the lines whose value changes with their version, one ``TransactionsRevalued``
   event), committed.
4. The floor again, at the new rate; the ratio is against the mean of both floors (the
   same table, each run after a VACUUM on PostgreSQL, so neither side inherits the
   other's dead rows). The row says whether every line ends at the new rate.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import Integer, and_, cast, extract, func, literal, select, update
from sqlalchemy.orm import Session

import programmes.services.revaluation  # noqa: F401 - registers the ledger's rate hook, as init_app does
from app.db import Database
from app.events.models import Event
from app.rates.models import ExchangeRate
from app.rates.services import RateOrigin, eur_sql, get_rate, quantize_rate, set_rate
from app.sql import is_postgres, prepare_bulk_work
from benchmarks import fresh_scratch, isolated, open_database
from benchmarks.generate import generate
from programmes.models import Transaction

YEAR, CURRENCY = 2024, "ZAR"
IMF_RATE, DAC_RATE = "18.3286575505", "18.3300"


def run(args) -> list[dict]:
    n = args.n
    url = fresh_scratch(args.database_url, f"bench-rates-{n}")
    isolated(_prepare, url, n)
    first, (engine, _) = isolated(_floor, url, IMF_RATE)
    isolated(_vacuum, url)
    revalue, lines = isolated(_revalue, url, DAC_RATE)
    isolated(_vacuum, url)
    second, (_, wrong) = isolated(_floor, url, DAC_RATE)
    floor = (first.seconds + second.seconds) / 2
    return [{"name": f"revalue {CURRENCY} {YEAR} on a rate change ({engine})", "n": n, "seconds": revalue.seconds,
             "floor_seconds": floor, "ratio": revalue.seconds / floor, "peak_mb": revalue.peak_mb,
             "floors": f"{first.seconds:.2f}/{second.seconds:.2f}", "revalued": lines,
             "floor": "one UPDATE … SET amount_eur at the rate",
             "check": "every line at the new rate" if wrong == 0 else f"{wrong} LINES DIFFER"}]



def _in_year(t):
    return and_(t.c.currency == CURRENCY, t.c.date >= date(YEAR, 1, 1), t.c.date < date(YEAR + 1, 1, 1))


def _prepare(url: str, n: int) -> None:
    """The generated ledger, all of it in rand in 2024 and not yet converted; the IMF rate."""
    db = open_database(url)
    with db.Session() as session:
        generate(session, n)
        t = Transaction.__table__
        same_day_2024 = (func.make_date(YEAR, cast(extract("month", t.c.date), Integer),
                                        cast(extract("day", t.c.date), Integer))
                         if is_postgres(session) else literal(str(YEAR)) + func.substr(t.c.date, 5))
        session.execute(update(t).values(currency=CURRENCY, date=same_day_2024, amount_eur_minor=None))
        session.execute(ExchangeRate.__table__.delete().where(ExchangeRate.currency == CURRENCY,
                                                              ExchangeRate.year == YEAR))
        set_rate(session, YEAR, CURRENCY, IMF_RATE, "IMF annual average (benchmark)", RateOrigin.IMF)
        session.commit()
    _vacuum_engine(db)
    db.engine.dispose()


def _units_e10(session: Session) -> int:
    return int(get_rate(session, YEAR, CURRENCY).units_per_eur.scaleb(10))


def _floor(url: str, rate: str) -> tuple[str, int]:
    """One UPDATE of every line at ``rate`` (units per USD); returns the lines that then differ
    from the stored rate's value (0 once the floor runs at the rate set_rate stored)."""
    db = open_database(url)
    with db.Session() as session:
        t = Transaction.__table__
        units = int(_per_eur(session, rate).scaleb(10))
        prepare_bulk_work(session)
        session.execute(update(t).where(_in_year(t)).values(amount_eur_minor=eur_sql(t.c.amount_minor,
                                                                                      literal(units))))
        session.commit()
        stored = _units_e10(session)
        wrong = session.scalar(select(func.count()).select_from(t).where(
            _in_year(t), t.c.amount_eur_minor.is_distinct_from(eur_sql(t.c.amount_minor, literal(stored)))))
    db.engine.dispose()
    return db.engine.dialect.name, wrong


def _per_eur(session: Session, rate: str):
    """Units per EUR of a rate in units per USD, as set_rate derives them."""
    eur = get_rate(session, YEAR, "EUR").units_per_usd
    return quantize_rate(quantize_rate(rate) / eur)


def _revalue(url: str, rate: str) -> int:
    """The DAC's rate replaces the IMF's: set_rate revalues every line; returns how many."""
    db = open_database(url)
    with db.Session() as session:
        prepare_bulk_work(session)
        set_rate(session, YEAR, CURRENCY, rate, "DAC annual average (benchmark)", RateOrigin.OFFICER)
        session.commit()
        event = session.scalars(select(Event).where(Event.type == "TransactionsRevalued")
                                .order_by(Event.id.desc()).limit(1)).one()
    db.engine.dispose()
    return event.payload["revalued"]


def _vacuum(url: str) -> None:
    db = open_database(url)
    _vacuum_engine(db)
    db.engine.dispose()


def _vacuum_engine(db: Database) -> None:
    """PostgreSQL: what autovacuum does after a large update (dead rows, statistics)."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE transactions")
