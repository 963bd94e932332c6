"""Replay rebuilds a projection to the same numbers; ``flask events status|dispatch``."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.events import dispatcher, publish
from programmes.models import ProgrammeYearTotal
from programmes.services.programmes import set_budget_line
from programmes.services.transactions import correct_transaction
from tests.builders.programmes import disburse, malawi_agriculture_programme, tradeline_market_access


def _totals(session) -> list[tuple]:
    session.expire_all()
    return [(t.programme_id, t.year, t.planned, t.committed, t.disbursed)
            for t in session.scalars(select(ProgrammeYearTotal).order_by(ProgrammeYearTotal.programme_id,
                                                                          ProgrammeYearTotal.year))]


def test_replay_rebuilds_the_budget_totals_to_the_same_numbers(session, factory):
    programme = malawi_agriculture_programme(session)
    activity = tradeline_market_access(session, programme)
    set_budget_line(session, programme, 2020, Decimal("4250000.10"))
    disburse(session, activity, date(2019, 3, 1), "1600000.00", "C-2019-001", kind="commitment")
    wrong = disburse(session, activity, date(2019, 6, 3), "400000.00", "B-2019-0101")
    disburse(session, activity, date(2020, 2, 14), "350000.20", "B-2020-0017")
    disburse(session, activity, date(2020, 11, 2), "10000.05", "R-2020-0003", kind="refund")
    correct_transaction(session, wrong, amount=Decimal("400000.01"))
    session.commit()

    dispatcher.dispatch(factory, only=["budget_totals"])
    live = _totals(session)
    assert (programme.id, 2019, Decimal("5000000.00"), Decimal("1600000.00"), Decimal("400000.01")) in live
    assert (programme.id, 2020, Decimal("4250000.10"), Decimal("0.00"), Decimal("340000.15")) in live

    result = dispatcher.replay(factory, "budget_totals")
    assert result.total >= 9
    assert _totals(session) == live


def test_replay_refuses_a_handler_without_reset(add_handler, factory):
    handler, _ = add_handler(lambda s, e: None)
    try:
        dispatcher.replay(factory, handler.name)
    except ValueError as exc:
        assert "cannot be replayed" in str(exc)
    else:
        raise AssertionError("replay without reset must be refused")


def test_events_status_shows_checkpoint_lag_and_open_failures(app, session, add_handler):
    def refuses(session_, event):
        raise RuntimeError("no exchange rate for 2019 USD")

    handler, event_type = add_handler(refuses, max_attempts=2)
    event = publish(session, event_type, "Probe", 1, {"n": 1})
    session.commit()
    runner = app.test_cli_runner()

    dispatched = runner.invoke(args=["events", "dispatch", "--handler", handler.name])
    assert dispatched.exit_code == 1, "a failed delivery makes the command fail"
    assert json.loads(dispatched.output)["failed"] == 1

    status = runner.invoke(args=["events", "status"])
    assert status.exit_code == 0, status.output
    rows = {row["handler"]: row for row in json.loads(status.output)}
    mine = rows[handler.name]
    assert mine["last_event_id"] < event.id <= mine["latest_event_id"]
    assert mine["lag"] == mine["latest_event_id"] - mine["last_event_id"] > 0
    assert mine["failing"] == [{"event_id": event.id, "attempts": 1, "parked": False,
                                "error": "RuntimeError: no exchange rate for 2019 USD"}]
    assert "budget_totals" in rows


def test_events_dispatch_reports_counts_as_json(app, session, add_handler):
    seen = []
    handler, event_type = add_handler(lambda s, e: seen.append(e.id))
    events = [publish(session, event_type, "Probe", n, {"n": n}) for n in range(3)]
    session.commit()
    ids = [event.id for event in events]
    result = app.test_cli_runner().invoke(args=["events", "dispatch", "--handler", handler.name])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"processed": 3, "failed": 0, "skipped_parked": 0, "skipped_locked": 0}
    assert seen == ids


def test_replay_catches_up_however_many_batches_the_store_needs(session, factory, monkeypatch):
    programme = malawi_agriculture_programme(session)
    activity = tradeline_market_access(session, programme)
    for i in range(7):
        disburse(session, activity, date(2021, 1, 1 + i), "100.00", f"B-2021-{i:04d}")
    session.commit()
    monkeypatch.setattr(dispatcher, "BATCH_SIZE", 2)
    monkeypatch.setattr(dispatcher, "BATCHED_SIZE", 2)

    dispatcher.replay(factory, "budget_totals")

    row = next(t for t in _totals(session) if t[1] == 2021)
    assert row[4] == Decimal("700.00")
