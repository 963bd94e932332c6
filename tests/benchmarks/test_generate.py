"""The benchmark data generator (small N): a ledger the event store explains exactly.

Timing lives in the benchmarks themselves; these tests only check what the
generator writes and the harness around it.
"""
from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.db import get_db
from app.events.dispatcher import replay
from app.events.models import Event
from benchmarks import __main__ as harness
from benchmarks import wipe
from benchmarks.bench_foundation import ledger_totals, projection_totals
from benchmarks.generate import generate, main, prepare, transaction_batches
from programmes.models import Activity, BudgetLine, Programme, Transaction
from programmes.services.transactions import record_transaction

SMALL = dict(activities=30, programmes=4, batch=100, commit_every=None)


def _count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def test_every_generated_row_has_its_event(session):
    counts = generate(session, 650, **SMALL)
    assert counts == {"programmes": 4, "activities": 30, "transactions": 650}
    types = Counter(session.scalars(select(Event.type).where(Event.actor == "benchmark-generator")))
    assert types["ProgrammeCreated"] == _count(session, Programme, Programme.code.like("GEN-P%")) == 4
    assert types["ActivityCreated"] == _count(session, Activity, Activity.code.like("GEN-A%")) == 30
    assert types["BudgetLineChanged"] == _count(session, BudgetLine) > 4
    recorded = types["CommitmentRecorded"] + types["DisbursementRecorded"] + types["RefundRecorded"]
    assert recorded == _count(session, Transaction, Transaction.source == "generated") == 650
    assert min(types["CommitmentRecorded"], types["DisbursementRecorded"], types["RefundRecorded"]) > 0


def test_event_payloads_carry_the_booked_amounts(session):
    generate(session, 300, **SMALL)
    foreign = session.scalars(select(Transaction).where(Transaction.currency == "ZAR")).all()
    assert foreign, "some generated lines are in ZAR"
    for txn in session.scalars(select(Transaction).where(Transaction.source == "generated").limit(50)).all() + foreign:
        event = session.scalar(select(Event).where(
            Event.aggregate_type == "Transaction", Event.aggregate_id == str(txn.id)))
        p = event.payload
        assert (p["amount"], p["amount_eur"], p["date"], p["kind"]) == (
            str(txn.amount), str(txn.amount_eur), txn.date.isoformat(), txn.kind)
        assert p["programme_id"] == txn.activity.programme_id
    for txn in foreign:
        assert txn.amount_eur < txn.amount  # a euro buys more than one rand


def test_replaying_the_budget_projection_reproduces_the_ledger(app, session):
    generate(session, 800, **SMALL)
    session.commit()
    result = replay(get_db(app).Session, "budget_totals")
    assert result.total >= 800
    session.expire_all()
    projected, expected = projection_totals(session), ledger_totals(session)
    assert projected == expected
    assert sum(t[2] for t in projected.values()) != Decimal("0")


def test_services_keep_working_after_generated_ids(session):
    generate(session, 50, **SMALL)
    activity = session.scalar(select(Activity).where(Activity.code.like("GEN-A%")).order_by(Activity.id))
    highest = session.scalar(select(func.max(Transaction.id)))
    txn = record_transaction(session, activity, "disbursement", date(2021, 6, 1), Decimal("10.00"), "AFTER-GEN-1")
    assert txn.id > highest


def test_same_seed_draws_the_same_ledger(session):
    def draw():
        ledger = prepare(session, activities=10, programmes=2, seed=7)
        rows = [row for batch, _ in transaction_batches(ledger, 200, 64) for row in batch]
        return [(r["kind"], r["date"], r["amount_minor"], r["currency"], r["amount_eur_minor"]) for r in rows]

    assert draw() == draw()


@pytest.mark.parametrize("kwargs", [dict(n=-1), dict(n=10, activities=0), dict(n=10, programmes=0),
                                    dict(n=10, batch=0)])
def test_impossible_sizes_are_refused_before_writing(session, kwargs):
    before = _count(session, Event)
    with pytest.raises(ValueError):
        generate(session, **{**SMALL, **kwargs})
    assert _count(session, Event) == before


def test_command_line_fills_a_fresh_sqlite_file(tmp_path, capsys):
    path = tmp_path / "bench-cli.sqlite3"
    main(["--n", "250", "--activities", "12", "--programmes", "3", "--database-url", f"sqlite:///{path}"])
    assert "transactions 250" in capsys.readouterr().out
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM transactions").fetchone() == (250,)
        assert conn.execute("SELECT COUNT(*) FROM events WHERE aggregate_type = 'Transaction'").fetchone() == (250,)


def test_wipe_refuses_databases_not_named_for_benchmarks(tmp_path):
    precious = tmp_path / "aidledger.sqlite3"
    precious.write_bytes(b"data")
    with pytest.raises(SystemExit):
        wipe(f"sqlite:///{precious}")
    with pytest.raises(SystemExit):
        wipe("postgresql+psycopg://postgres@127.0.0.1:5432/aidledger")
    assert precious.read_bytes() == b"data"


def test_harness_table_and_unknown_benchmark():
    table = harness.render([{"name": "generate", "n": 1000, "seconds": 1.5, "floor_seconds": 0.5, "ratio": 3.0,
                             "peak_mb": 12.25, "floor": "executemany"}])
    header, _, row = table.splitlines()
    assert header.split()[:6] == list(harness.COLUMNS)
    assert "1,000" in row and "3.00" in row and "floor=executemany" in row
    assert "bench_foundation" in harness.discover()
    assert harness.main(["--only", "no-such-benchmark"]) == 2
