"""Delivers stored events to handlers, from each handler's checkpoint.

A handler's work on an event and the move of its checkpoint commit together, so
a handler sees each event once even when it crashes half-way. Two dispatchers at
once never process the same handler: on PostgreSQL the checkpoint row is claimed
with ``FOR UPDATE SKIP LOCKED`` (the other dispatcher skips that handler); on
SQLite an ``UPDATE … RETURNING`` on the row takes the database's write lock
first, so the second dispatcher waits and then reads the moved checkpoint.

A failing event is recorded in ``event_handler_failures`` and retried on the next
dispatch; the handler waits at that event (order matters to projections) until it
succeeds or has failed ``max_attempts`` times, when it is parked and skipped.
Other handlers are never held up.

A handler with a batched path takes up to BATCHED_SIZE events per transaction in one
call, set-based; when that call fails, the same events go through the handler one by
one, so the failing event is found and recorded as above. Dispatch is fair: handlers
take turns, one batch each per round, so a long backlog of one never starves another;
``max_batches`` bounds the rounds and ``should_stop`` ends the work between batches.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from app.db import utcnow
from app.events.bus import EventSpan, Handler, handlers
from app.events.models import Event, HandlerCheckpoint, HandlerFailure
from app.sql import dialect_insert, lock_row

log = logging.getLogger(__name__)
BATCH_SIZE = 500
#: events per transaction for a handler with a batched path
BATCHED_SIZE = 20_000


@dataclass
class DispatchResult:
    processed: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    parked: dict[str, int] = field(default_factory=dict)
    skipped_locked: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.processed.values())

    def as_counts(self) -> dict:
        return {"processed": self.total, "failed": sum(self.failed.values()),
                "skipped_parked": sum(self.parked.values()), "skipped_locked": len(self.skipped_locked)}


def dispatch(session_factory, only: list[str] | None = None, max_batches: int | None = None,
             should_stop: Callable[[], bool] | None = None) -> DispatchResult:
    """Run every registered handler (or ``only`` those) until it has caught up.

    Handlers take turns, one batch each per round. ``max_batches`` bounds the rounds
    (the scheduler's short job); without it they run until no events are left, which
    replay relies on. ``should_stop()`` is asked before each batch (a shutdown)."""
    result = DispatchResult()
    active = [name for name in sorted(handlers) if not only or name in only]
    for name in active:
        _ensure_checkpoint(session_factory, name)
    rounds = 0
    while active and (max_batches is None or rounds < max_batches):
        rounds += 1
        for name in list(active):
            if should_stop is not None and should_stop():
                return result
            if not _run_batch(session_factory, handlers[name], result):
                active.remove(name)
    return result


def _ensure_checkpoint(session_factory, name: str) -> None:
    """Create the handler's checkpoint row; two dispatchers racing here both succeed."""
    with session_factory() as session:
        session.execute(
            dialect_insert(session, HandlerCheckpoint)
            .values(handler=name, last_event_id=0, updated_at=utcnow())
            .on_conflict_do_nothing(index_elements=["handler"])
        )
        session.commit()


def _claim(session: Session, name: str) -> int | None:
    """Lock the handler's checkpoint row for this transaction; None if another holds it."""
    return lock_row(session, HandlerCheckpoint.last_event_id, HandlerCheckpoint.handler == name, skip_locked=True)


def _run_batch(session_factory, handler: Handler, result: DispatchResult) -> bool:
    """Process one batch for one handler in one transaction; True when more may follow."""
    with session_factory() as session:
        last = _claim(session, handler.name)
        if last is None:
            result.skipped_locked.append(handler.name)
            session.rollback()
            return False
        # Read the horizon first: on PostgreSQL every statement sees a newer snapshot,
        # and an event committed between the two reads must not be skipped.
        horizon = _latest_event_id(session, last)
        if handler.batch is not None and not _failing(session, handler.name):
            done = _run_batched(session, handler, last, horizon, result)
            if done is not None:
                return done
        events = session.scalars(
            select(Event)
            .where(Event.id > last, Event.id <= horizon, Event.type.in_(handler.event_types))
            .order_by(Event.id)
            .limit(BATCH_SIZE)
        ).all()
        checkpoint, stopped = last, False
        for event in events:
            outcome = _handle_one(session, handler, event, result)
            if outcome is RETRY_LATER:
                stopped = True
                break
            checkpoint = event.id
        full = len(events) == BATCH_SIZE
        if not stopped and not full:
            checkpoint = horizon  # caught up: skip past other handlers' events too
        _move_checkpoint(session, handler.name, checkpoint)
        session.commit()
        return full and not stopped


def _failing(session: Session, name: str) -> bool:
    return session.scalar(select(HandlerFailure.id).where(HandlerFailure.handler == name,
                                                          HandlerFailure.resolved_at.is_(None)).limit(1)) is not None


def _run_batched(session: Session, handler: Handler, last: int, horizon: int, result: DispatchResult) -> bool | None:
    """Up to BATCHED_SIZE events in one call of the handler's batched path, committed with
    the checkpoint; True when more may follow. None when the call failed: the caller
    takes the same events one by one."""
    span = _next_span(session, handler, last, horizon)
    if span.count:
        try:
            with session.begin_nested():
                handler.batch(session, span)
        except Exception as exc:  # found again, and recorded, event by event
            log.warning("handler %s failed on events after %s up to %s at once: %s; taking them one by one",
                        handler.name, last, span.upto, _error_text(exc))
            return None
        result.processed[handler.name] = result.processed.get(handler.name, 0) + span.count
    _move_checkpoint(session, handler.name, span.upto)
    session.commit()
    return span.count == BATCHED_SIZE


def _next_span(session: Session, handler: Handler, last: int, horizon: int) -> EventSpan:
    """The handler's next BATCHED_SIZE events after ``last``, or fewer up to ``horizon``:
    found by their last id (an offset, read in the database), not by reading every id."""
    types = handler.event_types
    within = (Event.id > last, Event.id <= horizon, Event.type.in_(sorted(types)))
    boundary = session.execute(select(Event.id).where(*within).order_by(Event.id)
                               .offset(BATCHED_SIZE - 1).limit(1)).scalar()
    if boundary is not None:
        return EventSpan(last, boundary, types, BATCHED_SIZE)
    count = session.execute(select(func.count()).select_from(Event).where(*within)).scalar() or 0
    return EventSpan(last, horizon, types, count)


def _latest_event_id(session: Session, last: int) -> int:
    latest = session.scalar(text("SELECT MAX(id) FROM events"))
    return max(last, latest or 0)


HANDLED, SKIPPED_PARKED, RETRY_LATER = "handled", "skipped_parked", "retry_later"


def _handle_one(session: Session, handler: Handler, event: Event, result: DispatchResult) -> str:
    """Apply one event in a savepoint.

    RETRY_LATER stops the batch so the handler keeps its order; once the event has
    failed ``max_attempts`` times it is parked (shown in ``events status``) and the
    handler moves on.
    """
    failure = session.scalar(
        select(HandlerFailure).where(
            HandlerFailure.handler == handler.name,
            HandlerFailure.event_id == event.id,
            HandlerFailure.resolved_at.is_(None),
        )
    )
    if failure is not None and failure.parked:
        result.parked[handler.name] = result.parked.get(handler.name, 0) + 1
        return SKIPPED_PARKED
    try:
        with session.begin_nested():
            handler.func(session, event)
    except Exception as exc:  # a handler's bug must not stop the others
        log.warning("handler %s failed on event %s: %s", handler.name, event.id, _error_text(exc))
        failure = _record_failure(session, handler, event, failure, exc)
        result.failed[handler.name] = result.failed.get(handler.name, 0) + 1
        return SKIPPED_PARKED if failure.parked else RETRY_LATER
    if failure is not None:
        failure.resolved_at = utcnow()
    result.processed[handler.name] = result.processed.get(handler.name, 0) + 1
    return HANDLED


def _error_text(exc: Exception) -> str:
    """Type and first line only: SQLAlchemy appends statements and parameters below."""
    lines = str(exc).strip().splitlines()
    return (f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__)[:2000]


def _record_failure(session, handler, event, failure, exc) -> HandlerFailure:
    now = utcnow()
    error = _error_text(exc)
    if failure is None:
        failure = HandlerFailure(handler=handler.name, event_id=event.id, attempts=0,
                                 last_error=error, first_failed_at=now)
        session.add(failure)
    failure.attempts += 1
    failure.last_error = error
    failure.last_failed_at = now
    failure.parked = failure.attempts >= handler.max_attempts
    session.flush()
    return failure


def _move_checkpoint(session: Session, name: str, event_id: int) -> None:
    session.execute(
        update(HandlerCheckpoint)
        .where(HandlerCheckpoint.handler == name)
        .values(last_event_id=event_id, updated_at=utcnow())
    )


def replay(session_factory, name: str) -> DispatchResult:
    """Reset a handler's projection and checkpoint, then process the whole store."""
    handler = handlers[name]
    if handler.reset is None:
        raise ValueError(f"handler {name} cannot be replayed (no reset)")
    _ensure_checkpoint(session_factory, name)
    with session_factory() as session:
        if _claim(session, name) is None:
            raise RuntimeError(f"handler {name} is being dispatched elsewhere; try again")
        handler.reset(session)
        session.execute(
            update(HandlerFailure).where(HandlerFailure.handler == name, HandlerFailure.resolved_at.is_(None))
            .values(resolved_at=utcnow())
        )
        _move_checkpoint(session, name, 0)
        session.commit()
    return dispatch(session_factory, only=[name])


def status(session: Session) -> list[dict]:
    latest = session.scalar(text("SELECT MAX(id) FROM events")) or 0
    rows = []
    for name in sorted(handlers):
        cp = session.get(HandlerCheckpoint, name)
        open_failures = session.scalars(
            select(HandlerFailure).where(HandlerFailure.handler == name, HandlerFailure.resolved_at.is_(None))
        ).all()
        rows.append({
            "handler": name,
            "last_event_id": cp.last_event_id if cp else 0,
            "latest_event_id": latest,
            "lag": latest - (cp.last_event_id if cp else 0),
            "failing": [{"event_id": f.event_id, "attempts": f.attempts, "parked": f.parked,
                         "error": f.last_error} for f in open_failures],
        })
    return rows
