"""Two dispatchers at once deliver every event to a handler exactly once.

These tests need data that is really committed (another connection must see it),
so they use an engine of their own instead of the savepoint ``session`` fixture
and delete every row they created.
"""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import sessionmaker

from app.db import Base, make_engine
from app.events import dispatcher
from app.events.bus import publish_many
from app.events.models import Event, HandlerCheckpoint, HandlerFailure

EVENTS = 120
EVENT_TABLES = [Base.metadata.tables[name] for name in
                ("events", "event_handler_checkpoints", "event_handler_failures")]


@pytest.fixture
def postgres_engine(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL (set AIDLEDGER_TEST_DATABASE_URL)")
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_file_engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'dispatch.sqlite3'}")
    Base.metadata.create_all(engine, tables=EVENT_TABLES)
    yield engine
    engine.dispose()


def _publish_committed(factory, event_type: str, count: int) -> list[int]:
    with factory() as session:
        publish_many(session, [
            dict(type=event_type, aggregate_type="Probe", aggregate_id=n, payload={"n": n})
            for n in range(count)
        ])
        session.commit()
        return list(session.scalars(select(Event.id).where(Event.type == event_type).order_by(Event.id)))


def _delete_committed(factory, handler_name: str, event_type: str) -> None:
    with factory() as session:
        session.execute(delete(HandlerFailure).where(HandlerFailure.handler == handler_name))
        session.execute(delete(HandlerCheckpoint).where(HandlerCheckpoint.handler == handler_name))
        session.execute(delete(Event).where(Event.type == event_type))
        session.commit()


def _two_dispatchers(factory, handler_name: str, expected: int) -> dict[str, int]:
    """Run two dispatcher threads until ``expected`` events were handled; per-thread counts."""
    start = threading.Barrier(2)
    handled_by: dict[str, int] = {}
    errors: list[BaseException] = []
    deadline = time.monotonic() + 60

    def worker(label: str):
        try:
            start.wait()
            while time.monotonic() < deadline:
                result = dispatcher.dispatch(factory, only=[handler_name])
                handled_by[label] = handled_by.get(label, 0) + result.total
                with factory() as session:
                    if session.get(HandlerCheckpoint, handler_name).last_event_id >= expected:
                        return
                if not result.total:
                    time.sleep(0.002)  # the other thread holds the handler; try again
        except BaseException as exc:  # surfaced in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(label,)) for label in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return handled_by


def _exactly_once(engine, add_handler, monkeypatch):
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    seen: list[int] = []
    lock = threading.Lock()

    def record(session, event):
        time.sleep(0.001)  # hold the claim a little, so the two threads really overlap
        with lock:
            seen.append(event.id)

    handler, event_type = add_handler(record)
    monkeypatch.setattr(dispatcher, "BATCH_SIZE", 7)  # many small batches to fight over
    try:
        ids = _publish_committed(factory, event_type, EVENTS)
        handled_by = _two_dispatchers(factory, handler.name, ids[-1])
        assert sorted(seen) == ids, "every event handled once, none twice, none skipped"
        assert len(set(seen)) == len(seen) == EVENTS
        assert sum(handled_by.values()) == EVENTS
        with factory() as session:
            assert session.get(HandlerCheckpoint, handler.name).last_event_id >= ids[-1]
    finally:
        _delete_committed(factory, handler.name, event_type)
    with factory() as session:
        assert session.scalar(select(Event.id).where(Event.type == event_type)) is None


@pytest.mark.postgres_only
def test_two_dispatchers_on_postgres_handle_each_event_exactly_once(postgres_engine, add_handler, monkeypatch):
    _exactly_once(postgres_engine, add_handler, monkeypatch)


def test_two_dispatchers_on_a_sqlite_file_handle_each_event_exactly_once(sqlite_file_engine, add_handler,
                                                                        monkeypatch):
    _exactly_once(sqlite_file_engine, add_handler, monkeypatch)


def test_racing_dispatchers_create_one_checkpoint_without_errors(sqlite_file_engine, add_handler):
    factory = sessionmaker(bind=sqlite_file_engine, expire_on_commit=False)
    handler, _ = add_handler(lambda session, event: None)
    start = threading.Barrier(4)
    errors = []

    def create():
        try:
            start.wait()
            dispatcher._ensure_checkpoint(factory, handler.name)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=create) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with factory() as session:
        rows = session.scalars(select(HandlerCheckpoint).where(HandlerCheckpoint.handler == handler.name)).all()
    assert [row.last_event_id for row in rows] == [0]
