"""A failing handler is retried, recorded, parked, and never holds up the others."""
from __future__ import annotations

from sqlalchemy import select

from app.events import dispatcher, publish
from app.events.models import HandlerCheckpoint, HandlerFailure


def _publish(session, event_type: str, count: int) -> list[int]:
    events = [publish(session, event_type, "Probe", n, {"n": n}) for n in range(count)]
    session.commit()
    return [event.id for event in events]


def _failures(session, handler_name: str) -> list[HandlerFailure]:
    session.expire_all()
    return session.scalars(select(HandlerFailure).where(HandlerFailure.handler == handler_name)).all()


def test_a_failing_event_is_recorded_retried_and_resolved(session, factory, add_handler):
    calls: list[int] = []
    flaky_on = set()

    def flaky(session_, event):
        calls.append(event.id)
        if event.id in flaky_on:
            flaky_on.discard(event.id)
            raise RuntimeError("rate table locked, try later")

    handler, event_type = add_handler(flaky)
    first, second, third = _publish(session, event_type, 3)
    flaky_on.add(second)

    result = dispatcher.dispatch(factory, only=[handler.name])
    assert result.as_counts()["failed"] == 1
    assert calls == [first, second], "the handler waits at the failing event to keep its order"
    [failure] = _failures(session, handler.name)
    assert (failure.event_id, failure.attempts, failure.parked, failure.resolved_at) == (second, 1, False, None)
    assert failure.last_error == "RuntimeError: rate table locked, try later"
    assert session.get(HandlerCheckpoint, handler.name).last_event_id == first

    result = dispatcher.dispatch(factory, only=[handler.name])
    assert calls == [first, second, second, third]
    assert result.processed == {handler.name: 2}
    [failure] = _failures(session, handler.name)
    assert failure.resolved_at is not None


def test_an_event_that_keeps_failing_is_parked_and_the_handler_moves_on(session, factory, add_handler):
    handled: list[int] = []

    def broken_on_second(session_, event):
        if event.payload["n"] == 1:
            raise ValueError("payload has no programme_id")
        handled.append(event.id)

    handler, event_type = add_handler(broken_on_second, max_attempts=3)
    first, second, third = _publish(session, event_type, 3)

    for attempt in (1, 2):
        dispatcher.dispatch(factory, only=[handler.name])
        [failure] = _failures(session, handler.name)
        assert (failure.attempts, failure.parked) == (attempt, False)
    assert handled == [first]

    dispatcher.dispatch(factory, only=[handler.name])
    [failure] = _failures(session, handler.name)
    assert (failure.event_id, failure.attempts, failure.parked) == (second, 3, True)
    assert handled == [first, third]

    result = dispatcher.dispatch(factory, only=[handler.name])
    assert result.as_counts()["failed"] == 0, "a parked event is not retried"
    assert handled == [first, third]


def test_a_handler_allowed_one_attempt_parks_at_once_and_carries_on(session, factory, add_handler):
    """Regression: the failure path returned 'stop' for a first failure even when it parked."""
    handled: list[int] = []

    def broken_on_first(session_, event):
        if event.payload["n"] == 0:
            raise KeyError("amount_eur")
        handled.append(event.id)

    handler, event_type = add_handler(broken_on_first, max_attempts=1)
    first, second = _publish(session, event_type, 2)

    result = dispatcher.dispatch(factory, only=[handler.name])
    assert handled == [second]
    assert result.as_counts() == {"processed": 1, "failed": 1, "skipped_parked": 0, "skipped_locked": 0}
    [failure] = _failures(session, handler.name)
    assert (failure.event_id, failure.parked) == (first, True)


def test_a_failing_handler_does_not_block_another_handler(session, factory, add_handler):
    def always_fails(session_, event):
        raise RuntimeError("bug")

    healthy_seen: list[int] = []
    failing, event_type = add_handler(always_fails, max_attempts=2)
    healthy, _ = add_handler(lambda s, e: healthy_seen.append(e.id), event_type=event_type)
    ids = _publish(session, event_type, 4)

    result = dispatcher.dispatch(factory, only=[failing.name, healthy.name])
    assert healthy_seen == ids
    assert result.processed.get(healthy.name) == 4
    assert result.failed == {failing.name: 1}
    assert session.get(HandlerCheckpoint, failing.name).last_event_id < ids[0]


def test_a_handler_failure_rolls_back_only_that_event(session, factory, add_handler):
    from app.events.models import Event

    def writes_then_fails(session_, event):
        publish(session_, "ProbeSideEffect", "Probe", event.id, {})
        session_.flush()
        raise RuntimeError("after writing")

    handler, event_type = add_handler(writes_then_fails, max_attempts=1)
    _publish(session, event_type, 1)
    dispatcher.dispatch(factory, only=[handler.name])
    session.expire_all()
    assert session.scalar(select(Event).where(Event.type == "ProbeSideEffect")) is None
    assert len(_failures(session, handler.name)) == 1


def test_an_event_committed_while_the_dispatcher_reads_is_not_skipped(session, factory, add_handler, monkeypatch):
    """Regression: with no new events of its types, the checkpoint jumped to a MAX(id)
    read after the batch query, past an event committed in between (PostgreSQL)."""
    seen: list[int] = []
    handler, event_type = add_handler(lambda s, e: seen.append(e.id))
    read_horizon = dispatcher._latest_event_id
    late: list = []

    def late_commit_then_horizon(session_, last):
        if not late:  # another transaction commits an event of our type just now
            late.append(publish(session_, event_type, "Probe", 0, {"n": 0}))
            session_.flush()
        return read_horizon(session_, last)

    monkeypatch.setattr(dispatcher, "_latest_event_id", late_commit_then_horizon)
    dispatcher.dispatch(factory, only=[handler.name])
    dispatcher.dispatch(factory, only=[handler.name])
    assert seen == [late[0].id]
