"""Two scheduler processes on one database: only the lease holder runs jobs.

Runners are threads with a one-second lease against the engine under test (SQLite
file or PostgreSQL), committing for real; ``committed`` deletes their rows after.
Waits poll for a state with a generous deadline; nothing asserts a duration.
"""
from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from app.scheduler.lease import current_lease
from app.scheduler.models import JobRun, ScheduledJob, SchedulerLease
from app.scheduler.runner import SchedulerRunner
from tests.app.scheduler.conftest import probe_spec

DEADLINE = 20.0


def wait_until(condition, what: str):
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def start_runner(app, committed):
    """``start_runner(jobs) -> runner`` running in a thread; all are stopped afterwards."""
    started: list[tuple[SchedulerRunner, threading.Thread]] = []

    def start(jobs) -> SchedulerRunner:
        committed.job_ids.extend(spec.id for spec in jobs)
        runner = SchedulerRunner(app, session_factory=committed.factory, jobs={s.id: s for s in jobs},
                                 lease_seconds=1, lease_name=committed.lease_name,
                                 poll_seconds=0.05, heartbeat_seconds=0.2)
        thread = threading.Thread(target=runner.run, name=f"runner-{len(started)}", daemon=True)
        thread.start()
        started.append((runner, thread))
        return runner

    yield start
    for runner, _thread in started:
        runner.stop()
    for _runner, thread in started:
        thread.join(DEADLINE)
        assert not thread.is_alive(), "a runner did not stop"


def runs(committed, job_id: str) -> list[JobRun]:
    with committed.factory() as session:
        return session.scalars(select(JobRun).where(JobRun.job_id == job_id).order_by(JobRun.id)).all()


def _finished_by(all_runs: list[JobRun], holder: str) -> bool:
    return any(run.host == holder and run.outcome != "running" for run in all_runs)


def tick(session):
    return {"ticked": 1}


def test_only_the_lease_holder_runs_jobs_and_a_standby_takes_over_a_silent_holder(committed, start_runner):
    spec = probe_spec(tick, seconds=0.1)
    first = start_runner([spec])
    wait_until(lambda: first.state == "active" and len(runs(committed, spec.id)) >= 2, "the first runner's jobs")

    second = start_runner([spec])
    wait_until(lambda: second.state == "standby", "the second runner to stand by")
    seen = len(runs(committed, spec.id))
    wait_until(lambda: len(runs(committed, spec.id)) >= seen + 5, "more runs while both are up")
    assert {run.host for run in runs(committed, spec.id)} == {first.holder}
    assert second.state == "standby"

    first.stop(release=False)  # stops heartbeating without letting go, like a crash
    wait_until(lambda: second.state == "active" and _finished_by(runs(committed, spec.id), second.holder),
               "the standby to take over and finish a run")
    all_runs = [run for run in runs(committed, spec.id) if run.outcome != "running"]  # one may be under way
    last_of_first = max(run.finished_at for run in all_runs if run.host == first.holder)
    first_of_second = min(run.started_at for run in all_runs if run.host == second.holder)
    assert last_of_first <= first_of_second, "no overlap between the two holders"
    assert all(run.outcome == "ok" and run.counts == {"ticked": 1} for run in all_runs)
    with committed.factory() as session:
        assert current_lease(session, committed.lease_name).holder == second.holder


def test_a_runner_that_loses_its_lease_stops_running_jobs(committed, start_runner):
    spec = probe_spec(tick, seconds=0.1)
    runner = start_runner([spec])
    wait_until(lambda: runner.state == "active" and runs(committed, spec.id), "the runner's first runs")

    with committed.factory() as session:  # another process took it (e.g. after a long pause)
        session.execute(update(SchedulerLease).where(SchedulerLease.name == committed.lease_name)
                        .values(holder="elsewhere:1:abc",
                                expires_at=datetime.now(timezone.utc) + timedelta(hours=1)))
        session.commit()
    wait_until(lambda: runner.state == "standby", "the runner to notice")
    after_losing = len(runs(committed, spec.id))
    time.sleep(0.5)  # five job intervals
    assert len(runs(committed, spec.id)) == after_losing
    assert runner.state == "standby", "it keeps waiting for the lease"


def test_a_clean_stop_releases_the_lease_and_a_failing_job_does_not_stop_the_scheduler(committed, start_runner):
    def broken(session):
        raise RuntimeError("reference data missing")

    good, bad = probe_spec(tick, seconds=0.1), probe_spec(broken, seconds=0.1)
    runner = start_runner([good, bad])
    wait_until(lambda: len(runs(committed, bad.id)) >= 2 and len(runs(committed, good.id)) >= 2,
               "both jobs to run repeatedly")
    assert {run.outcome for run in runs(committed, bad.id) if run.finished_at} == {"failed"}

    runner.stop()
    wait_until(lambda: runner.state == "stopped", "the runner to stop")
    assert all(run.finished_at is not None for run in runs(committed, good.id) + runs(committed, bad.id))
    with committed.factory() as session:
        assert current_lease(session, committed.lease_name) is None


def test_the_scheduled_jobs_table_lists_each_job_with_its_trigger_and_next_run(committed, start_runner):
    with committed.factory() as session:
        session.add(ScheduledJob(job_id="retired_probe", trigger="interval[1:00:00]",
                                 updated_at=datetime.now(timezone.utc)))
        session.commit()
    committed.job_ids.append("retired_probe")
    daily = probe_spec(tick, trigger="cron", hour=5, minute=0, misfire_grace_time=3600)
    runner = start_runner([daily])
    wait_until(lambda: runner.state == "active" and runs(committed, daily.id), "the first run of a new job")

    def rows():
        with committed.factory() as session:
            return {row.job_id: row for row in session.scalars(select(ScheduledJob))}

    wait_until(lambda: daily.id in rows() and rows()[daily.id].next_run_at is not None
               and rows()[daily.id].next_run_at.hour == 5, "the next run to be written")
    row = rows()[daily.id]
    assert row.trigger == "cron[hour='5', minute='0']"
    assert row.next_run_at > datetime.now(timezone.utc)
    assert "retired_probe" not in rows(), "jobs no longer registered are reconciled away"


def test_a_missed_daily_run_is_caught_up_once_at_start_within_its_grace_time(app, committed):
    daily = probe_spec(tick, trigger="cron", hour=5, minute=0, misfire_grace_time=6 * 3600)
    runner = SchedulerRunner(app, session_factory=committed.factory, jobs={daily.id: daily}, lease_seconds=1)
    today_5 = datetime(2025, 3, 4, 5, 0, tzinfo=timezone.utc)
    yesterday = today_5 - timedelta(days=1)
    assert runner._due_at_start(daily, None, today_5), "never ran: run at once"
    assert runner._due_at_start(daily, yesterday, today_5 + timedelta(hours=2))
    assert not runner._due_at_start(daily, yesterday, today_5 + timedelta(hours=7)), "too late: wait"
    assert not runner._due_at_start(daily, today_5, today_5 + timedelta(hours=2)), "already ran today"


def test_a_new_holder_marks_runs_left_running_by_a_dead_one_as_interrupted(committed, start_runner):
    started = datetime.now(timezone.utc) - timedelta(minutes=5)
    with committed.factory() as session:
        dead = JobRun(job_id="probe_orphan", started_at=started, outcome="running", counts={},
                      host="oldhost:4242:deadbeef0000")
        manual = JobRun(job_id="probe_orphan", started_at=started, outcome="running", counts={}, host="cli")
        session.add_all([dead, manual])
        session.commit()
    committed.job_ids.append("probe_orphan")
    runner = start_runner([probe_spec(tick, seconds=60)])
    wait_until(lambda: runner.state == "active", "the runner to take the lease")
    wait_until(lambda: runs(committed, "probe_orphan")[0].outcome != "running", "the orphan to be closed")
    dead_run, manual_run = runs(committed, "probe_orphan")
    assert (dead_run.outcome, dead_run.error) == (
        "failed", "interrupted: the scheduler process stopped before the job finished")
    assert dead_run.finished_at is not None
    assert manual_run.outcome == "running", "a run-once in progress is not the scheduler's to close"


def test_a_stop_with_a_backlog_ends_the_running_job_and_releases_the_lease(committed, start_runner):
    from app.scheduler.registry import stop_requested

    batches = []

    def endless_backlog(session):
        """Like the dispatch job on a backlog: batch after batch until told to stop."""
        while not stop_requested():
            batches.append(1)
            time.sleep(0.01)
        return {"batches": len(batches)}

    spec = probe_spec(endless_backlog, seconds=60)
    runner = start_runner([spec])
    wait_until(lambda: len(batches) > 5, "the job to work through its backlog")

    runner.stop()
    wait_until(lambda: runner.state == "stopped", "the runner to stop without waiting for the backlog")
    [run] = runs(committed, spec.id)
    assert run.outcome == "ok" and run.finished_at is not None and run.counts["batches"] >= 5
    with committed.factory() as session:
        assert current_lease(session, committed.lease_name) is None
