"""The lease that lets exactly one scheduler process run jobs.

One row in ``scheduler_leases`` names the holder (``host:pid:uuid``) and when its
lease expires. Taking or renewing it is one atomic statement on both engines::

    UPDATE scheduler_leases SET holder = me, expires_at = now + ttl, …
     WHERE name = 'scheduler' AND (holder = me OR expires_at < now)

followed, when that touched no row, by ``INSERT … ON CONFLICT DO NOTHING`` (the
first process ever, or two of them racing for the first row: exactly one insert
wins). On PostgreSQL the UPDATE waits for a concurrent one and re-checks its WHERE
against the committed row; on SQLite the write lock serialises them.

Time comes from the database server on PostgreSQL, so scheduler processes on
several machines compare expiry against one clock.
"""
from __future__ import annotations

import os
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, literal, or_, update
from sqlalchemy.orm import Session

from app.db import UTCDateTime
from app.scheduler.models import SchedulerLease
from app.sql import database_now, dialect_insert, lock_row

DEFAULT_NAME = "scheduler"


def holder_id() -> str:
    """``host:pid:uuid``: readable in the UI, unique even when a pid is reused."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


@dataclass
class LeaseInfo:
    name: str
    holder: str
    acquired_at: datetime
    heartbeat_at: datetime
    expires_at: datetime


class Lease:
    """Acquire, renew and release the named lease for one holder."""

    def __init__(self, session_factory, holder: str, seconds: int, name: str = DEFAULT_NAME):
        if seconds < 1:
            raise ValueError("the lease must last at least one second")
        self.session_factory = session_factory
        self.holder = holder
        self.seconds = seconds
        self.name = name
        self._valid_until = 0.0  # time.monotonic() after which we no longer trust it

    def acquire(self, now: datetime | None = None) -> bool:
        """Take the lease if it is free or expired, or renew it if it is ours."""
        with self.session_factory() as session:
            self._wait_for_writers(session)
            started = time.monotonic()
            now = now or database_now(session)
            expires = now + timedelta(seconds=self.seconds)
            held = self._update(session, now, expires) or self._insert(session, now, expires)
            session.commit()
        # Counted from before reading the clock, so our view expires no later than the row.
        self._valid_until = started + self.seconds if held else 0.0
        return held

    def _wait_for_writers(self, session: Session) -> None:
        """Take the lock first, so that ``now`` is read after any wait for it.

        Otherwise a process that waited on a busy database would write an expiry
        that had already passed when its statement finally ran.
        """
        lock_row(session, SchedulerLease.name, SchedulerLease.name == self.name)

    def _update(self, session: Session, now: datetime, expires: datetime) -> bool:
        lease = SchedulerLease
        result = session.execute(
            update(lease)
            .where(lease.name == self.name, or_(lease.holder == self.holder, lease.expires_at < now))
            .values(
                holder=self.holder,
                heartbeat_at=now,
                expires_at=expires,
                acquired_at=case((lease.holder == self.holder, lease.acquired_at),
                                 else_=literal(now, UTCDateTime())),
            )
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    def _insert(self, session: Session, now: datetime, expires: datetime) -> bool:
        result = session.execute(
            dialect_insert(session, SchedulerLease)
            .values(name=self.name, holder=self.holder, acquired_at=now, heartbeat_at=now,
                    expires_at=expires)
            .on_conflict_do_nothing(index_elements=["name"])
            .returning(SchedulerLease.name)
        )
        return result.first() is not None

    def release(self) -> bool:
        """Give the lease up at once (a clean stop), so a standby need not wait for expiry."""
        self._valid_until = 0.0
        with self.session_factory() as session:
            result = session.execute(
                delete(SchedulerLease).where(SchedulerLease.name == self.name,
                                             SchedulerLease.holder == self.holder)
            )
            session.commit()
        return result.rowcount == 1

    def locally_valid(self) -> bool:
        """Whether our last successful renewal still covers now (no database round trip)."""
        return time.monotonic() < self._valid_until

    def info(self) -> LeaseInfo | None:
        with self.session_factory() as session:
            return current_lease(session, self.name)


def current_lease(session: Session, name: str = DEFAULT_NAME) -> LeaseInfo | None:
    row = session.get(SchedulerLease, name)
    if row is None:
        return None
    return LeaseInfo(row.name, row.holder, row.acquired_at, row.heartbeat_at, row.expires_at)
