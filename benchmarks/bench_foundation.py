"""Foundation: writing a large ledger with its events, and rebuilding the budget projection.

1. ``generate`` N transactions (+ N events, ~5,000 activities) against the floor:
   the same transaction rows through a bare DBAPI ``executemany`` into the
   transactions table only, in the same batches and commits, on a fresh database.
2. ``replay budget_totals`` over those events (the dispatcher, handler by event),
   followed by dispatch calls until caught up (one call stops after a fixed
   number of batches), against the floor: one GROUP BY over the ledger giving
   the same totals. The row says whether the rebuilt projection equals the
   ledger's sums and how many calls it took.
"""
from __future__ import annotations

import time
from decimal import Decimal

from sqlalchemy import func, select

from app import migrate
from app.events.dispatcher import dispatch, replay
from benchmarks import isolated, open_database, scratch_url, settle, wipe
from benchmarks.generate import TRANSACTIONS, generate, prepare, transaction_batches
from programmes import events as _handlers  # noqa: F401 - registers budget_totals
from programmes.models import Activity, BudgetLine, ProgrammeYearTotal, Transaction

BATCH = 10_000
COMMIT_EVERY = 100_000
COLUMNS = [c.name for c in TRANSACTIONS.columns]


def run(args) -> list[dict]:
    n = args.n
    url = scratch_url(args.database_url, f"bench-foundation-{n}")
    _fresh(url)
    gen, engine = isolated(_generate, url, n)
    settle(url)  # what autovacuum does after the load: the planner knows the million events
    rebuilt, (replayed, calls) = isolated(_replay, url)
    _, (grouped_seconds, consistent) = isolated(_group_and_compare, url)
    floor_url = scratch_url(args.database_url, f"bench-foundation-floor-{n}")
    _fresh(floor_url)
    _, floor_seconds = isolated(_floor_insert, floor_url, n)
    return [
        {"name": f"generate ledger + events ({engine})", "n": n, "seconds": gen.seconds,
         "floor_seconds": floor_seconds, "ratio": gen.seconds / floor_seconds, "peak_mb": gen.peak_mb,
         "floor": "bare executemany of the transaction rows only"},
        {"name": f"replay budget_totals ({engine})", "n": replayed, "seconds": rebuilt.seconds,
         "floor_seconds": grouped_seconds, "ratio": rebuilt.seconds / grouped_seconds,
         "peak_mb": rebuilt.peak_mb, "floor": "one GROUP BY over the ledger",
         "check": "totals equal the ledger" if consistent else "MISMATCH with the ledger",
         "calls": f"replay + {calls - 1} more dispatch calls to catch up" if calls > 1 else "one replay call"},
    ]


def _fresh(url: str) -> None:
    wipe(url)
    migrate.upgrade(url)



def _generate(url: str, n: int) -> str:
    db = open_database(url)
    with db.Session() as session:
        generate(session, n, batch=BATCH, commit_every=COMMIT_EVERY)
    db.engine.dispose()
    return db.engine.dialect.name


def _replay(url: str) -> tuple[int, int]:
    """Replay, then dispatch until caught up: one call stops after a fixed number of batches."""
    db = open_database(url)
    total, calls = replay(db.Session, "budget_totals").total, 1
    while (more := dispatch(db.Session, only=["budget_totals"]).total) > 0:
        total, calls = total + more, calls + 1
    db.engine.dispose()
    return total, calls


def _group_and_compare(url: str) -> tuple[float, bool]:
    """Time the GROUP BY (the floor) and compare its totals with the replayed projection."""
    db = open_database(url)
    with db.Session() as session:
        started = time.perf_counter()
        expected = ledger_totals(session)
        seconds = time.perf_counter() - started
        consistent = projection_totals(session) == expected
    db.engine.dispose()
    return seconds, consistent


def ledger_totals(session) -> dict[tuple[int, int], tuple[Decimal, Decimal, Decimal]]:
    """Planned, committed, disbursed (minus refunds) per programme and year, summed in SQL."""
    year = func.extract("year", Transaction.date)
    totals: dict = {}
    for programme_id, y, planned in session.execute(
            select(BudgetLine.programme_id, BudgetLine.year, func.sum(BudgetLine.planned_amount))
            .group_by(BudgetLine.programme_id, BudgetLine.year)):
        totals[(programme_id, int(y))] = [planned, Decimal("0.00"), Decimal("0.00")]
    rows = session.execute(
        select(Activity.programme_id, year, Transaction.kind, func.sum(Transaction.amount_eur))
        .join(Activity, Activity.id == Transaction.activity_id)
        .group_by(Activity.programme_id, year, Transaction.kind))
    for programme_id, y, kind, amount in rows:
        entry = totals.setdefault((programme_id, int(y)), [Decimal("0.00")] * 3)
        if kind == "commitment":
            entry[1] += amount
        else:
            entry[2] += amount if kind == "disbursement" else -amount
    return {key: tuple(value) for key, value in totals.items()}


def projection_totals(session) -> dict[tuple[int, int], tuple[Decimal, Decimal, Decimal]]:
    return {(t.programme_id, t.year): (t.planned, t.committed, t.disbursed)
            for t in session.scalars(select(ProgrammeYearTotal))}


def _floor_insert(url: str, n: int) -> float:
    """Seconds spent in ``cursor.executemany`` for the same rows (row building not timed)."""
    db = open_database(url)
    with db.Session() as session:
        ledger = prepare(session)
        session.commit()
    sqlite = db.engine.dialect.name == "sqlite"
    marker = "?" if sqlite else "%s"
    sql = f"INSERT INTO transactions ({', '.join(COLUMNS)}) VALUES ({', '.join([marker] * len(COLUMNS))})"
    raw = db.engine.raw_connection()
    cursor = raw.cursor()
    seconds, written = 0.0, 0
    for rows, _events in transaction_batches(ledger, n, BATCH):
        params = [_params(row, sqlite) for row in rows]
        started = time.perf_counter()
        if sqlite and written % COMMIT_EVERY == 0:
            cursor.execute("BEGIN")  # the engine runs the driver in autocommit mode
        cursor.executemany(sql, params)
        written += len(rows)
        if written % COMMIT_EVERY < BATCH or written == n:
            if sqlite:
                cursor.execute("COMMIT")
            else:
                raw.commit()
        seconds += time.perf_counter() - started
    raw.close()
    db.engine.dispose()
    return seconds


def _params(row: dict, sqlite: bool) -> tuple:
    if not sqlite:
        return tuple(row[c] for c in COLUMNS)
    return tuple(str(row[c]) if c in ("date", "recorded_at") else row[c] for c in COLUMNS)
