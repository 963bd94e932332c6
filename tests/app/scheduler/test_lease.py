"""The scheduler lease: one holder at a time, taken over only after it expires."""
from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from app.db import get_db
from app.scheduler.lease import Lease, current_lease, holder_id

T0 = datetime(2025, 3, 3, 5, 0, tzinfo=timezone.utc)


@pytest.fixture
def lease_for(app, connection):
    """``lease_for(holder) -> Lease`` on the test's rolled-back connection, 30 s long."""
    name = f"test-{uuid.uuid4().hex[:8]}"
    return lambda holder: Lease(get_db(app).Session, holder, 30, name)


def test_the_first_process_takes_the_lease_and_a_second_waits(lease_for):
    first, second = lease_for("host-a:101:aaaa"), lease_for("host-b:202:bbbb")
    assert first.acquire(now=T0)
    assert not second.acquire(now=T0 + timedelta(seconds=1))
    assert not second.acquire(now=T0 + timedelta(seconds=30)), "not before it has expired"
    info = first.info()
    assert (info.holder, info.acquired_at, info.expires_at) == ("host-a:101:aaaa", T0, T0 + timedelta(seconds=30))


def test_renewing_moves_the_expiry_but_keeps_the_acquisition_time(lease_for):
    holder = lease_for("host-a:101:aaaa")
    holder.acquire(now=T0)
    assert holder.acquire(now=T0 + timedelta(seconds=10))
    info = holder.info()
    assert (info.acquired_at, info.heartbeat_at, info.expires_at) == (
        T0, T0 + timedelta(seconds=10), T0 + timedelta(seconds=40))


def test_a_holder_that_stops_heartbeating_is_taken_over_and_cannot_renew(lease_for):
    crashed, standby = lease_for("host-a:101:aaaa"), lease_for("host-b:202:bbbb")
    crashed.acquire(now=T0)
    takeover = T0 + timedelta(seconds=31)
    assert standby.acquire(now=takeover)
    info = standby.info()
    assert (info.holder, info.acquired_at) == ("host-b:202:bbbb", takeover)
    assert not crashed.acquire(now=takeover + timedelta(seconds=1)), "the old holder lost it"


def test_a_released_lease_is_free_at_once(lease_for):
    leaving, standby = lease_for("host-a:101:aaaa"), lease_for("host-b:202:bbbb")
    leaving.acquire(now=T0)
    assert leaving.release()
    assert leaving.info() is None
    assert standby.acquire(now=T0 + timedelta(seconds=1))
    assert not leaving.release(), "releasing someone else's lease does nothing"
    assert standby.info().holder == "host-b:202:bbbb"


def test_the_insert_race_is_lost_quietly_not_with_an_error(lease_for, app):
    winner, loser = lease_for("host-a:101:aaaa"), lease_for("host-b:202:bbbb")
    winner.acquire(now=T0)
    with get_db(app).Session() as session:  # as if its UPDATE ran before the row existed
        assert loser._insert(session, T0, T0 + timedelta(seconds=30)) is False


def test_local_validity_follows_the_last_successful_renewal(lease_for):
    holder, other = lease_for("host-a:101:aaaa"), lease_for("host-b:202:bbbb")
    assert not holder.locally_valid()
    holder.acquire()
    assert holder.locally_valid()
    holder.release()
    assert not holder.locally_valid()
    other.acquire()
    assert not holder.acquire(now=datetime.now(timezone.utc))
    assert not holder.locally_valid()


def test_holder_ids_name_host_and_process_and_are_unique():
    import os
    import socket

    first, second = holder_id(), holder_id()
    assert first.startswith(f"{socket.gethostname()}:{os.getpid()}:")
    assert first != second


def test_processes_racing_for_a_free_lease_get_exactly_one_winner(committed):
    """Real commits, several connections at once, on the engine under test."""
    contenders = [Lease(committed.factory, f"racer-{n}", 5, committed.lease_name) for n in range(4)]
    start = threading.Barrier(len(contenders))
    won, errors = [], []

    def race(lease):
        try:
            start.wait()
            if lease.acquire():
                won.append(lease.holder)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=race, args=(lease,)) for lease in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len(won) == 1
    with committed.factory() as session:
        assert current_lease(session, committed.lease_name).holder == won[0]


def test_a_renewal_that_waited_for_a_busy_database_still_gets_a_full_lease(committed):
    """Regression: the clock was read before waiting for the lock, so the 'renewed'
    lease had already expired when the statement finally ran."""
    from sqlalchemy import select, update

    from app.db import utcnow
    from app.scheduler.models import SchedulerLease

    lease = Lease(committed.factory, "host-a:101:aaaa", 1, committed.lease_name)
    assert lease.acquire()
    locked, release = threading.Event(), threading.Event()

    def busy_writer():
        with committed.factory() as session:
            row = SchedulerLease.name == committed.lease_name
            if session.get_bind().dialect.name == "postgresql":
                session.execute(select(SchedulerLease.name).where(row).with_for_update())
            else:
                session.execute(update(SchedulerLease).where(row).values(name=SchedulerLease.name))
            locked.set()
            release.wait(10)
            session.commit()

    writer = threading.Thread(target=busy_writer)
    writer.start()
    locked.wait(10)
    threading.Timer(1.5, release.set).start()  # longer than the lease itself
    assert lease.acquire()
    writer.join()
    assert lease.locally_valid()
    with committed.factory() as session:
        assert current_lease(session, committed.lease_name).expires_at > utcnow()
