"""Running one job: its own app context, session and event actor, recorded as a JobRun.

The run row is committed before the job starts (so the interface shows what is
running) and updated in a second short transaction when it ends; a successful run whose
counts are all zero (nothing to do) is then removed and counted in ``job_idle_days``
(one row per job and day) instead. The job's own
work commits or rolls back on its own: a failed job leaves its data untouched but
its run recorded, with an error message stripped of anything that looks secret.
"""
from __future__ import annotations

import logging
import re
import time
import traceback
from dataclasses import dataclass, field
from typing import Callable

from flask import Flask, g
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError, OperationalError

from app.db import get_db, unit_of_work, utcnow
from app.events.bus import set_actor
from app.events.payload import jsonable
from app.scheduler.models import JobIdleDay, JobRun
from app.scheduler.registry import JobSpec

log = logging.getLogger(__name__)
MAX_ERROR_CHARS = 1000
SQLITE_LOCK_ATTEMPTS = 3
_REDACTIONS = (
    # credentials in URLs: postgresql://user:secret@host
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/\s@]+:)[^@\s]+@", re.I), r"\1***@"),
    # key=value and key: value pairs that name a secret
    (re.compile(r"\b(password|passwd|pwd|secret|token|api[_-]?key)(\s*[=:]\s*)\S+", re.I), r"\1\2***"),
    # our API tokens
    (re.compile(r"\bal_[A-Za-z0-9_-]{10,}"), "al_***"),
)


@dataclass
class RunResult:
    run_id: int
    job_id: str
    outcome: str
    counts: dict = field(default_factory=dict)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def execute_job(app: Flask, spec: JobSpec, *, session_factory=None, host: str | None = None,
                stopping: Callable[[], bool] | None = None) -> RunResult:
    """Run ``spec`` now, record it, and never raise because the job failed.

    ``stopping()``: whether the scheduler is shutting down (``registry.stop_requested``)."""
    factory = session_factory or get_db(app).Session
    with app.app_context():
        g.scheduler_stopping = stopping
        set_actor(f"scheduler:{spec.id}")
        run_id = _record_start(factory, spec.id, host)
        try:
            counts, outcome, error = _call(factory, spec), "ok", None
        except Exception as exc:  # a job's bug must not stop the scheduler
            counts, outcome, error = {}, "failed", safe_error(exc)
            log.error("job %s failed: %s\n%s", spec.id, error, "".join(traceback.format_tb(exc.__traceback__)))
        _record_finish(factory, run_id, outcome, counts, error)
    return RunResult(run_id, spec.id, outcome, counts, error)


def _call(factory, spec: JobSpec) -> dict:
    """The job in one transaction; run again when SQLite could not take its write lock."""
    attempt = 1
    while True:
        try:
            return _call_once(factory, spec)
        except OperationalError as exc:
            if attempt >= SQLITE_LOCK_ATTEMPTS or not _sqlite_locked(exc):
                raise
        log.info("job %s: SQLite database locked on attempt %s; retrying", spec.id, attempt)
        time.sleep(0.2 * attempt)
        attempt += 1


def _sqlite_locked(exc: OperationalError) -> bool:
    # A deferred SQLite transaction that read first cannot upgrade to writing once
    # another connection has committed; its work was rolled back, so run it again.
    return "database is locked" in str(exc.orig)


def _call_once(factory, spec: JobSpec) -> dict:
    session = factory()
    g.db_session = session  # services that call get_session() share the job's transaction
    try:
        with unit_of_work(session):
            counts = spec.func(session)
            counts = jsonable(dict(counts or {}))
        return counts
    finally:
        g.pop("db_session", None)
        session.close()


def _record_start(factory, job_id: str, host: str | None) -> int:
    with factory() as session:
        run = JobRun(job_id=job_id, started_at=utcnow(), outcome="running", counts={},
                     host=(host or "")[:120] or None)
        session.add(run)
        session.commit()
        return run.id


def found_nothing(outcome: str, counts: dict) -> bool:
    """A successful run whose every count is zero: nothing was there to do."""
    return outcome == "ok" and all(v is None or (isinstance(v, int | float) and not isinstance(v, bool) and v == 0)
                                   for v in counts.values())


def _record_finish(factory, run_id: int, outcome: str, counts: dict, error: str | None) -> None:
    """The run's end; a run that found nothing to do becomes one more in its job's count of the day."""
    for attempt in (1, 2):
        with factory() as session:
            try:
                if found_nothing(outcome, counts):
                    _count_as_idle(session, session.get(JobRun, run_id))
                else:
                    session.execute(update(JobRun).where(JobRun.id == run_id)
                                    .values(finished_at=utcnow(), outcome=outcome, counts=counts, error=error))
                session.commit()
                return
            except IntegrityError:  # a `run-once` of the same job counted the day's first idle run meanwhile
                session.rollback()
                if attempt == 2:
                    raise


def _count_as_idle(session, run: JobRun) -> None:
    now = utcnow()
    day = session.get(JobIdleDay, (run.job_id, run.started_at.date()))
    if day is None:
        session.add(JobIdleDay(job_id=run.job_id, day=run.started_at.date(), runs=1, first_at=run.started_at,
                               last_at=now))
    else:
        day.runs, day.last_at = day.runs + 1, now
    session.delete(run)
    session.flush()


def close_orphaned_runs(factory, holder: str) -> int:
    """Mark runs left "running" by another scheduler process as failed.

    Called by the new lease holder: the process that started them stopped (or lost
    its lease) before recording their end. Runs of ``run-once`` are left alone.
    """
    with factory() as session:
        result = session.execute(
            update(JobRun)
            .where(JobRun.outcome == "running", JobRun.host != holder, JobRun.host.like("%:%:%"))
            .values(outcome="failed", finished_at=utcnow(),
                    error="interrupted: the scheduler process stopped before the job finished")
            .execution_options(synchronize_session=False)
        )
        session.commit()
        return result.rowcount


def safe_error(exc: BaseException) -> str:
    """``Type: first line of the message`` with credentials masked.

    Only the first line: SQLAlchemy appends the statement and its parameters
    (user data) on the following lines.
    """
    lines = str(exc).strip().splitlines()
    message = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    for pattern, replacement in _REDACTIONS:
        message = pattern.sub(replacement, message)
    return message[:MAX_ERROR_CHARS]
