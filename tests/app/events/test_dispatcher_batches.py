"""Handlers with a batched path take many events per transaction; handlers take turns,
so one long backlog starves no other; a shutdown ends dispatching between batches."""
from __future__ import annotations

from sqlalchemy import select

from app.events import dispatcher, publish_many
from app.events.models import Event, HandlerCheckpoint, HandlerFailure
from app.scheduler.execution import execute_job
from app.scheduler.registry import load_jobs


def _publish(session, event_type: str, count: int) -> list[int]:
    publish_many(session, [dict(type=event_type, aggregate_type="Probe", aggregate_id=n, payload={"n": n})
                           for n in range(count)])
    session.commit()
    return list(session.scalars(select(Event.id).where(Event.type == event_type).order_by(Event.id)))


def _checkpoint(session, name: str) -> int:
    session.expire_all()
    return session.get(HandlerCheckpoint, name).last_event_id


def test_a_batched_handler_takes_its_backlog_in_spans(session, factory, add_handler, monkeypatch):
    spans, one_by_one = [], []

    def batch(session_, span):
        found = session_.scalars(select(Event.id).where(*span.where(Event.id, Event.type)).order_by(Event.id))
        spans.append(list(found))

    handler, event_type = add_handler(lambda s, e: one_by_one.append(e.id), batch=batch)
    ids = _publish(session, event_type, 7)
    monkeypatch.setattr(dispatcher, "BATCHED_SIZE", 3)

    result = dispatcher.dispatch(factory, only=[handler.name])

    assert spans == [ids[0:3], ids[3:6], ids[6:7]] and one_by_one == []
    assert result.processed[handler.name] == 7
    assert _checkpoint(session, handler.name) >= ids[-1]


def test_when_the_batched_path_fails_the_events_go_one_by_one_and_the_culprit_is_recorded(
        session, factory, add_handler):
    applied = []

    def batch(session_, span):
        raise RuntimeError("one bad payload somewhere")

    def one(session_, event):
        if event.payload["n"] == 2:
            raise RuntimeError("bad payload")
        applied.append(event.payload["n"])

    handler, event_type = add_handler(one, batch=batch)
    ids = _publish(session, event_type, 4)

    dispatcher.dispatch(factory, only=[handler.name])

    assert applied == [0, 1], "the handler waits at the failing event"
    session.expire_all()
    [failure] = session.scalars(select(HandlerFailure).where(HandlerFailure.handler == handler.name)).all()
    assert failure.event_id == ids[2] and failure.last_error == "RuntimeError: bad payload"


def test_handlers_take_turns_so_a_long_backlog_starves_no_other(session, factory, add_handler, monkeypatch):
    order = []
    busy, busy_type = add_handler(lambda s, e: order.append("busy"))
    quiet, quiet_type = add_handler(lambda s, e: order.append("quiet"))
    _publish(session, busy_type, 10)
    _publish(session, quiet_type, 1)
    monkeypatch.setattr(dispatcher, "BATCH_SIZE", 2)

    dispatcher.dispatch(factory, only=[busy.name, quiet.name], max_batches=2)

    assert "quiet" in order, "the quiet handler had its turn in the first round"
    assert order.count("busy") == 4, "two rounds of two events: the run stays bounded"


def test_a_shutdown_ends_dispatching_between_batches(app, session, factory, add_handler, monkeypatch):
    seen = []
    handler, event_type = add_handler(lambda s, e: seen.append(e.id))
    ids = _publish(session, event_type, 6)
    monkeypatch.setattr(dispatcher, "BATCH_SIZE", 2)

    result = dispatcher.dispatch(factory, only=[handler.name], should_stop=lambda: len(seen) >= 2)
    assert seen == ids[:2] and result.total == 2

    run = execute_job(app, load_jobs()["dispatch_events"], stopping=lambda: True)
    assert run.counts["processed"] == 0, "the job returns at once when its scheduler is stopping"
    assert _checkpoint(session, handler.name) == ids[1]
