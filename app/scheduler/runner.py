"""The scheduler process: APScheduler's BlockingScheduler behind a database lease.

Only ``flask scheduler run`` builds a runner; ``create_app`` never does, so web
workers never schedule anything (under gunicorn each worker would run every job).

Life of a runner::

    standby --lease acquired--> active --lease lost--> standby
       ^                          |
       +---- polls every ---------+--stop()--> drain running jobs, release, stopped
             poll_seconds

``stop()`` (SIGTERM) also tells running jobs to end at their next batch boundary
(``registry.stop_requested``), so draining takes seconds even with a backlog: the
jobs record their run as finished and the lease is released.

While active, a heartbeat thread renews the lease every ``heartbeat_seconds``
(a third of the lease). A job only starts while the last successful renewal still
covers the present, so a process that is frozen, cut off from the database or
overtaken stops running jobs before another process can take over.
"""
from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import delete, func, select, update

from app.db import get_db, utcnow
from app.scheduler.execution import close_orphaned_runs, execute_job, safe_error
from app.scheduler.lease import DEFAULT_NAME, Lease, holder_id
from app.scheduler.models import JobRun, ScheduledJob
from app.scheduler.registry import JobSpec, load_jobs
from app.sql import is_sqlite

log = logging.getLogger(__name__)
MAX_WORKERS = 4


class SchedulerRunner:
    def __init__(self, app: Flask, *, session_factory=None, jobs: dict[str, JobSpec] | None = None,
                 lease_seconds: float | None = None, lease_name: str = DEFAULT_NAME,
                 poll_seconds: float | None = None, heartbeat_seconds: float | None = None):
        self.app = app
        self.session_factory = session_factory or get_db(app).Session
        seconds = lease_seconds or app.config.get("AIDLEDGER_SCHEDULER_LEASE_SECONDS", 30)
        self.holder = holder_id()
        self.lease = Lease(self.session_factory, self.holder, seconds, lease_name)
        self.jobs = load_jobs() if jobs is None else dict(jobs)
        self.heartbeat_seconds = heartbeat_seconds or seconds / 3
        self.poll_seconds = poll_seconds or seconds / 3
        self.timezone = app.config.get("AIDLEDGER_SCHEDULER_TIMEZONE", "UTC")
        self.state = "new"
        self._stop = threading.Event()
        self._phase_end = threading.Event()
        self._release_on_stop = True
        self._inflight = 0
        self._inflight_changed = threading.Condition()
        self._shutdown_lock = threading.Lock()
        self._last_seen_holder: str | None = None

    # -- public -------------------------------------------------------------------
    def run(self) -> None:
        """Block until ``stop()``: wait for the lease, run jobs while holding it."""
        log.info("scheduler %s starting with jobs: %s", self.holder, ", ".join(self.jobs) or "none")
        try:
            while not self._stop.is_set():
                if self._try_acquire():
                    self._run_active()
                else:
                    self.state = "standby"
                    self._stop.wait(self.poll_seconds)
        finally:
            self.state = "stopped"
            log.info("scheduler %s stopped", self.holder)

    def stop(self, release: bool = True) -> None:
        """Ask the runner to stop (safe from a signal handler: it only sets flags).

        ``release=False`` leaves the lease to expire, as a crashed process would.
        """
        self._release_on_stop = release
        self._stop.set()
        self._phase_end.set()  # running jobs see it through stop_requested: draining takes seconds

    # -- standby ------------------------------------------------------------------
    def _try_acquire(self) -> bool:
        try:
            if self.lease.acquire():
                log.info("scheduler %s holds the lease; running jobs", self.holder)
                return True
        except Exception as exc:  # database unreachable: keep waiting
            log.warning("scheduler %s could not reach the lease: %s", self.holder, safe_error(exc))
            return False
        self._log_standby()
        return False

    def _log_standby(self) -> None:
        info = self.lease.info()
        holder = info.holder if info else None
        if holder != self._last_seen_holder:
            log.warning("another scheduler (%s) holds the lease until %s; %s waits",
                        holder, info.expires_at if info else "-", self.holder)
            self._last_seen_holder = holder

    # -- active -------------------------------------------------------------------
    def _run_active(self) -> None:
        self.state = "active"
        self._phase_end.clear()
        if self._stop.is_set():  # stop() may have raced with the acquisition
            self._phase_end.set()
        self._close_orphaned_runs()
        started = threading.Event()
        scheduler = self._build_scheduler(started)
        keeper = threading.Thread(target=self._keep_lease, args=(scheduler, started),
                                  name="scheduler-lease", daemon=True)
        keeper.start()
        try:
            scheduler.start()  # blocks until the keeper shuts it down
        finally:
            started.set()
            self._phase_end.set()
            keeper.join()
            self._drain()
            if self._stop.is_set() and self._release_on_stop:
                self._release()
            self.state = "standby"

    def _close_orphaned_runs(self) -> None:
        try:
            closed = close_orphaned_runs(self.session_factory, self.holder)
        except Exception as exc:
            log.warning("could not close the runs of a previous scheduler: %s", safe_error(exc))
            return
        if closed:
            log.warning("marked %s run(s) of a previous scheduler process as interrupted", closed)

    def _build_scheduler(self, started: threading.Event):
        from apscheduler.events import (EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, EVENT_JOB_SUBMITTED,
                                        EVENT_SCHEDULER_STARTED)
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.blocking import BlockingScheduler

        scheduler = BlockingScheduler(
            timezone=self.timezone,
            executors={"default": ThreadPoolExecutor(max_workers=self._max_workers())},
            job_defaults={"coalesce": True, "max_instances": 1},
        )
        now = datetime.now(self._tz())
        last_runs = self._last_runs()
        for spec in self.jobs.values():
            first = {"next_run_time": now} if self._due_at_start(spec, last_runs.get(spec.id), now) else {}
            scheduler.add_job(
                self._run_job, spec.build_trigger(self.timezone), args=[spec.id], id=spec.id, name=spec.id,
                misfire_grace_time=spec.misfire_grace_time, coalesce=True, max_instances=1,
                replace_existing=True, **first,
            )

        def on_started(_event):
            self._reconcile_scheduled_jobs(scheduler)
            started.set()

        scheduler.add_listener(on_started, EVENT_SCHEDULER_STARTED)
        scheduler.add_listener(lambda e: self._write_next_run(scheduler, e.job_id),
                               EVENT_JOB_SUBMITTED | EVENT_JOB_MAX_INSTANCES)
        scheduler.add_listener(lambda e: log.warning("job %s missed its run at %s", e.job_id,
                                                     e.scheduled_run_time), EVENT_JOB_MISSED)
        return scheduler

    def _max_workers(self) -> int:
        """SQLite has one writer at a time: run jobs one after another there."""
        with self.session_factory() as session:
            return 1 if is_sqlite(session) else MAX_WORKERS

    def _tz(self):
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.timezone)

    def _due_at_start(self, spec: JobSpec, last_started: datetime | None, now: datetime) -> bool:
        """Catch up once on a run missed while no scheduler was running (within its grace time).

        A job that has never run runs at once, so a fresh installation shows results.
        """
        if last_started is None:
            return True
        trigger = spec.build_trigger(self.timezone)
        if spec.trigger == "interval":
            due = last_started + trigger.interval
        else:
            due = trigger.get_next_fire_time(None, last_started + timedelta(seconds=1))
        if due is None or due > now:
            return False
        return now - due <= timedelta(seconds=spec.misfire_grace_time)

    def _last_runs(self) -> dict[str, datetime]:
        """When each job last started; without an answer, assume all ran just now (no catch-up)."""
        try:
            with self.session_factory() as session:
                rows = session.execute(
                    select(JobRun.job_id, func.max(JobRun.started_at))
                    .where(JobRun.job_id.in_(list(self.jobs))).group_by(JobRun.job_id)
                ).all()
        except Exception as exc:
            log.warning("could not read the last runs: %s", safe_error(exc))
            return {job_id: datetime.now(self._tz()) for job_id in self.jobs}
        return {job_id: _as_utc(started) for job_id, started in rows}

    def _keep_lease(self, scheduler, started: threading.Event) -> None:
        started.wait()
        while not self._phase_end.wait(self.heartbeat_seconds):
            if not self._renew():
                break
        self._shutdown(scheduler)

    def _renew(self) -> bool:
        try:
            if self.lease.acquire():
                return True
            log.error("scheduler %s lost its lease; it stops running jobs", self.holder)
            return False
        except Exception as exc:
            log.warning("scheduler %s could not renew its lease: %s", self.holder, safe_error(exc))
            return self.lease.locally_valid()

    def _shutdown(self, scheduler) -> None:
        with self._shutdown_lock:
            if scheduler.running:
                scheduler.shutdown(wait=False)

    def _run_job(self, job_id: str) -> None:
        """What APScheduler calls: refuse without a valid lease, else run and record the job."""
        if self._phase_end.is_set() or not self.lease.locally_valid():
            log.warning("scheduler %s skips %s: it no longer holds a valid lease", self.holder, job_id)
            self._phase_end.set()
            return
        with self._inflight_changed:
            self._inflight += 1
        try:
            execute_job(self.app, self.jobs[job_id], session_factory=self.session_factory, host=self.holder,
                        stopping=self._stop.is_set)
        finally:
            with self._inflight_changed:
                self._inflight -= 1
                self._inflight_changed.notify_all()

    def _drain(self) -> None:
        """Wait for running jobs before letting go, renewing while the lease is still ours."""
        with self._inflight_changed:
            while self._inflight:
                if not self._inflight_changed.wait(self.heartbeat_seconds) and self.lease.locally_valid():
                    self._renew()

    def _release(self) -> None:
        try:
            self.lease.release()
        except Exception as exc:
            log.warning("scheduler %s could not release its lease: %s", self.holder, safe_error(exc))

    # -- what the interface shows ---------------------------------------------------
    def _reconcile_scheduled_jobs(self, scheduler) -> None:
        """Make ``scheduled_jobs`` list exactly the jobs this process runs."""
        try:
            with self.session_factory() as session:
                session.execute(delete(ScheduledJob).where(ScheduledJob.job_id.not_in(list(self.jobs))))
                for job in scheduler.get_jobs():
                    session.merge(ScheduledJob(job_id=job.id, trigger=str(job.trigger)[:200],
                                               next_run_at=job.next_run_time, updated_at=utcnow()))
                session.commit()
        except Exception as exc:
            log.warning("could not write the scheduled jobs: %s", safe_error(exc))

    def _write_next_run(self, scheduler, job_id: str) -> None:
        job = scheduler.get_job(job_id)
        try:
            with self.session_factory() as session:  # one statement: no read-then-write upgrade
                session.execute(
                    update(ScheduledJob).where(ScheduledJob.job_id == job_id)
                    .values(next_run_at=job.next_run_time if job else None, updated_at=utcnow())
                )
                session.commit()
        except Exception as exc:
            log.warning("could not write the next run of %s: %s", job_id, safe_error(exc))


def _as_utc(value: datetime) -> datetime:
    from datetime import timezone

    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
