"""Publishing events inside the caller's transaction, and the handler registry.

On PostgreSQL, identity values are handed out before commit, so two concurrent
transactions could commit event 11 before event 10 and a dispatcher that already
moved its checkpoint past 11 would never see 10. Publishers therefore take a
transaction-scoped advisory lock: events become visible in id order.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, NamedTuple

from flask import g, has_app_context
from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.bulk import driver_insert, stored_values
from app.db import utcnow
from app.events.models import Event
from app.sql import is_postgres, is_sqlite, transaction_lock

PUBLISH_LOCK_KEY = 7_141_001


class EventSpan(NamedTuple):
    """The events of ``types`` with ``after`` < id <= ``upto``: what a batched handler
    applies at once, set-based (``count`` of them)."""

    after: int
    upto: int
    types: frozenset[str]
    count: int

    def where(self, id_column, type_column) -> tuple:
        return id_column > self.after, id_column <= self.upto, type_column.in_(sorted(self.types))


@dataclass
class Handler:
    name: str
    event_types: frozenset[str]
    func: Callable[[Session, Event], None]
    reset: Callable[[Session], None] | None = None
    max_attempts: int = 5
    #: ``batch(session, span)``: the same work for many events at once; delivery and replay
    #: use it, and fall back to ``func`` event by event when it fails (to find the culprit)
    batch: Callable[[Session, EventSpan], None] | None = None


handlers: dict[str, Handler] = {}


@dataclass
class Actor:
    """Who causes events in the current context: a user, a job, a CLI command."""

    name: str
    correlation_id: str | None = field(default=None)


def subscribe(name: str, on: Iterable[str], reset: Callable[[Session], None] | None = None,
              batch: Callable[[Session, EventSpan], None] | None = None):
    """Register ``func(session, event)`` for the given event types under a stable name;
    ``batch(session, span)`` is its set-based path over many events."""

    def decorator(func):
        handlers[name] = Handler(name, frozenset(on), func, reset, batch=batch)
        return func

    return decorator


def current_actor() -> Actor:
    if has_app_context():
        actor = g.get("event_actor")
        if actor is not None:
            return actor
    return Actor("system")


def set_actor(name: str, correlation_id: str | None = None) -> Actor:
    actor = Actor(name, correlation_id or uuid.uuid4().hex)
    g.event_actor = actor
    return actor


def publish(
    session: Session,
    type: str,
    aggregate_type: str,
    aggregate_id: Any,
    payload: dict,
    *,
    actor: str | None = None,
    correlation_id: str | None = None,
) -> Event:
    """Add an event to the caller's unit of work; it commits with the change."""
    lock_event_order(session)
    ctx = current_actor()
    event = Event(
        type=type,
        aggregate_type=aggregate_type,
        aggregate_id=str(aggregate_id),
        payload=payload,
        actor=actor or ctx.name,
        correlation_id=correlation_id or ctx.correlation_id,
    )
    session.add(event)
    return event


EVENT_COLUMNS = ("type", "aggregate_type", "aggregate_id", "payload", "actor", "occurred_at", "correlation_id")
EVENT_COLUMNS_SET = frozenset(EVENT_COLUMNS)


def publish_many(session: Session, rows: list[dict]) -> None:
    """Bulk-insert events (imports, classification): dicts with the Event columns.

    Written through the driver, without SQLAlchemy's per-row parameter processing:
    each payload is serialised once with json.dumps (as the JSON type would), then
    COPY on PostgreSQL or a prepared executemany on SQLite, in the session's
    transaction. Rows with other columns take the Core insert.
    """
    if not rows:
        return
    lock_event_order(session)
    ctx = current_actor()
    stamp = utcnow()
    for row in rows:
        row.setdefault("actor", ctx.name)
        row.setdefault("correlation_id", ctx.correlation_id)
        row["aggregate_id"] = str(row["aggregate_id"])
        row.setdefault("occurred_at", stamp)
    if any(row.keys() - EVENT_COLUMNS_SET for row in rows):
        session.execute(insert(Event.__table__), rows)
        return
    _driver_insert(session, rows)


def _driver_insert(session: Session, rows: list[dict]) -> None:
    dumps, stamps, as_stored = json.dumps, {}, stored_values(session)

    def stored(value: datetime):
        """occurred_at as UTCDateTime binds it (and as text on SQLite); one stamp serves many rows."""
        if value not in stamps:
            stamps[value] = as_stored(_naive_utc(value))
        return stamps[value]

    records = ((r["type"], r["aggregate_type"], r["aggregate_id"], dumps(r["payload"]), r["actor"],
                stored(r["occurred_at"]), r["correlation_id"]) for r in rows)
    if is_postgres(session) or is_sqlite(session):
        driver_insert(session, "events", EVENT_COLUMNS, records, size=len(rows))
    else:
        session.execute(insert(Event.__table__), rows)


def _naive_utc(value: datetime) -> datetime:
    """What UTCDateTime binds: naive UTC; a naive value is refused as the column type does."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given; use timezone-aware UTC")
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def lock_event_order(session: Session) -> None:
    """Take the publishers' lock; call it before writing events other than through publish*.

    Code that inserts into ``events`` with its own SQL (INSERT … SELECT) must hold it so
    that event ids still commit in order (see the module docstring).
    """
    if session.info.get("publish_lock_held"):
        return
    transaction_lock(session, PUBLISH_LOCK_KEY)
    session.info["publish_lock_held"] = True


def _forget_lock(session, *_args):
    session.info.pop("publish_lock_held", None)


def install_session_hooks(session_factory) -> None:
    from sqlalchemy import event as sa_event

    sa_event.listen(session_factory, "after_commit", _forget_lock)
    sa_event.listen(session_factory, "after_rollback", _forget_lock)
    sa_event.listen(session_factory, "after_soft_rollback", _forget_lock)
