"""The pages benchmark builds its projections in bulk SQL: they must equal what the event
handlers build from the same events, or the benchmark would time other figures."""
from __future__ import annotations

from sqlalchemy import select

from app.events.dispatcher import dispatch
from benchmarks.bench_pages import Timing, build_projections
from benchmarks.generate import generate
from programmes.models import ActivityYearTotal, ProgrammeYearTotal


def _snapshot(session) -> tuple[dict, dict]:
    session.expire_all()
    activities = {(r.activity_id, r.year): (r.committed, r.disbursed, r.unconverted)
                  for r in session.scalars(select(ActivityYearTotal))}
    programmes = {(r.programme_id, r.year): (r.planned, r.committed, r.disbursed)
                  for r in session.scalars(select(ProgrammeYearTotal))}
    return activities, programmes


def test_bulk_projections_equal_the_handlers(app, session):
    generate(session, 400, activities=25, programmes=4, batch=100, commit_every=None)
    session.commit()
    dispatch(app.extensions["aidledger.db"].Session, only=["budget_totals", "activity_totals"])
    by_handlers = _snapshot(session)
    build_projections(session)
    session.flush()
    by_sql = _snapshot(session)
    assert by_handlers[0] and by_handlers[1]
    assert {k: v for k, v in by_sql[0].items() if any(v)} == {k: v for k, v in by_handlers[0].items() if any(v)}
    assert by_sql[1] == by_handlers[1]


def test_quantiles_of_a_timing():
    timing = Timing(seconds=[i / 1000 for i in range(1, 101)])
    assert timing.quantile(0.5) == 0.051 and timing.quantile(0.95) == 0.095 and timing.quantile(1) == 0.1
