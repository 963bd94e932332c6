"""ODA classification of a large ledger, against one set-based SQL statement.

1. ``benchmarks.generate`` fills a fresh database with N transactions over ~5,000
   activities; the curated reference data is loaded and one activity in ten is
   turned into a core contribution (FAO 83 % / UNESCO 60 %), one in fifty into an
   internship (not ODA), so the amounts are not all trivial.
2. ``classify`` of a ledger never classified: the rules per activity-year-currency,
   stored once each, and one event per activity-year outcome listing its lines.
3. Again (nothing pending) and ``everything=True`` (all re-evaluated, nothing changed).
4. The floor: one INSERT … SELECT computing the same ODA amounts (share by aid type
   and Annex 2 coefficient, EUR at the year's rate, same exact rounding) into a
   scratch table, without reasons, events or a queue. The row says whether the
   floor's amounts equal the classified lines' (as oda derives them).
"""
from __future__ import annotations

import time

from sqlalchemy import BigInteger, and_, case, column, extract, func, literal, or_, select, table, text, true, update
from sqlalchemy.orm import Session

from app import migrate
from app.exact import SCALE, scaled_sql
from app.rates.models import ExchangeRate
from app.sql import is_postgres
from benchmarks import isolated, open_database, scratch_url, wipe
from benchmarks.generate import generate
from oda.models import Annex2Coefficient, LineOutcome
from oda.reference.services import load_curated
from oda.services.classify import classify
from oda.services.sql import prepare_connection, raw
from programmes.models import Activity, Transaction

FLOOR_TABLE = "oda_bench_floor"


def run(args) -> list[dict]:
    n = args.n
    url = scratch_url(args.database_url, f"bench-classify-{n}")
    wipe(url)
    migrate.upgrade(url)
    isolated(_prepare, url, n)
    first, (engine, counts) = isolated(_classify, url, {})
    again, (_, again_counts) = isolated(_classify, url, {})
    full, (_, full_counts) = isolated(_classify, url, {"everything": True})
    floor, (floor_seconds, mismatches) = isolated(_floor, url)
    base = {"n": n, "floor_seconds": floor_seconds}
    return [
        {**base, "name": f"classify all pending ({engine})", "seconds": first.seconds,
         "ratio": first.seconds / floor_seconds, "peak_mb": first.peak_mb,
         "contexts": counts["contexts"], "results_changed": counts["results_changed"],
         "floor": "one INSERT … SELECT of the same amounts",
         "check": "amounts equal the floor's" if mismatches == 0 else f"{mismatches} AMOUNTS DIFFER"},
        {**base, "name": f"classify again, nothing pending ({engine})", "seconds": again.seconds,
         "ratio": again.seconds / floor_seconds, "peak_mb": again.peak_mb,
         "changed": again_counts["results_changed"]},
        {**base, "name": f"classify --all, nothing changed ({engine})", "seconds": full.seconds,
         "ratio": full.seconds / floor_seconds, "peak_mb": full.peak_mb, "changed": full_counts["results_changed"]},
    ]



def _prepare(url: str, n: int) -> None:
    db = open_database(url)
    with db.Session() as session:
        generate(session, n)
        load_curated(session)
        multilateral = Activity.id % 10 == 0
        session.execute(update(Activity).where(multilateral).values(
            aid_type="B02", bi_multi="2", recipient_code="998",
            channel_code=case((Activity.id % 20 == 0, "41301"), else_="41304")))
        session.execute(update(Activity).where(Activity.id % 50 == 7).values(main_objective="donor_interest"))
        session.commit()
        if is_postgres(session):  # what autovacuum does for a production database after a large load
            session.execute(text("ANALYZE"))
            session.commit()
    db.engine.dispose()


def _classify(url: str, options: dict) -> tuple[str, dict]:
    db = open_database(url)
    with db.Session() as session:
        counts = classify(session, **options)
        session.commit()
    db.engine.dispose()
    return db.engine.dialect.name, counts


def floor_select(session: Session):
    """The same ODA amounts in one SELECT: share from aid type, objective and Annex 2.

    On PostgreSQL the coefficient comes from a LATERAL join: as a scalar subquery inside
    the exact-rounding expression it would run once per use (18 times a line)."""
    t, a = Transaction.__table__, Activity.__table__
    year = extract("year", t.c.date)
    c = Annex2Coefficient.__table__
    core = a.c.aid_type.like("B02%")
    latest = (select(raw(c.c.coefficient_e10).label("coefficient"))
              .where(core, c.c.channel_code == a.c.channel_code, c.c.year <= year)
              .order_by(c.c.year.desc()).limit(1))
    lateral = latest.lateral("coefficient") if is_postgres(session) else None
    coefficient = lateral.c.coefficient if lateral is not None else latest.scalar_subquery()
    share = case((a.c.main_objective == "donor_interest", literal(0, BigInteger)),
                 (core, coefficient), else_=literal(SCALE, BigInteger))
    r = ExchangeRate.__table__
    units = case((t.c.currency == "EUR", literal(SCALE, BigInteger)), else_=raw(r.c.units_per_eur_e10))
    amount = raw(t.c.amount_minor)
    lines = (t.join(a, a.c.id == t.c.activity_id)
             .outerjoin(r, and_(r.c.year == year, r.c.currency == t.c.currency)))
    if lateral is not None:
        lines = lines.outerjoin(lateral, true())
    return select(t.c.id, scaled_sql(amount, share, SCALE), scaled_sql(amount, share, units)) \
        .select_from(lines)


def _floor(url: str) -> tuple[float, int]:
    db = open_database(url)
    with db.Session() as session:
        prepare_connection(session)
        session.execute(text(f"DROP TABLE IF EXISTS {FLOOR_TABLE}"))
        session.execute(text(f"CREATE TABLE {FLOOR_TABLE} (transaction_id BIGINT PRIMARY KEY, "
                             "oda_amount_minor BIGINT, oda_amount_eur_minor BIGINT)"))
        session.commit()
        prepare_connection(session)
        started = time.perf_counter()
        session.execute(_insert_floor(session))
        session.commit()
        seconds = time.perf_counter() - started
        mismatches = _compare(session)
    db.engine.dispose()
    return seconds, mismatches


def _insert_floor(session: Session):
    floor = table(FLOOR_TABLE, column("transaction_id"), column("oda_amount_minor"), column("oda_amount_eur_minor"))
    return floor.insert().from_select(["transaction_id", "oda_amount_minor", "oda_amount_eur_minor"],
                                      floor_select(session))


def _compare(session: Session) -> int:
    """Lines whose classification (derived by oda from its evaluation) differs from the floor's."""
    floor = table(FLOOR_TABLE, column("transaction_id"), column("oda_amount_minor"), column("oda_amount_eur_minor"))
    line = LineOutcome()
    differs = or_(~line.classified, line.oda_amount_minor != floor.c.oda_amount_minor,
                  line.oda_amount_eur_minor != floor.c.oda_amount_eur_minor)
    return session.scalar(select(func.count()).select_from(
        line.joined(floor.join(line.t, line.t.c.id == floor.c.transaction_id))).where(differs))

