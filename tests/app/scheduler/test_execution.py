"""Running a job: recorded as a JobRun, failures contained, errors free of secrets."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from app.db import utcnow
from app.events import publish
from app.events.models import Event
from app.scheduler.execution import execute_job, safe_error
from app.scheduler.models import JobRun, ScheduledJob, SchedulerLease
from tests.app.scheduler.conftest import probe_spec


def _run(session, run_id) -> JobRun:
    session.expire_all()
    return session.get(JobRun, run_id)


def test_a_run_is_recorded_with_its_counts_and_its_events_name_the_job(app, session):
    def recount(job_session):
        publish(job_session, "ProbeRecounted", "Probe", 1, {"total": "12.50"})
        return {"checked": 3, "total": Decimal("12.50")}

    spec = probe_spec(recount)
    result = execute_job(app, spec, host="host-a:101:aaaa")

    run = _run(session, result.run_id)
    assert (run.job_id, run.outcome, run.error, run.host) == (spec.id, "ok", None, "host-a:101:aaaa")
    assert run.counts == {"checked": 3, "total": "12.50"}
    assert run.started_at <= run.finished_at
    event = session.scalar(select(Event).where(Event.type == "ProbeRecounted"))
    assert event.actor == f"scheduler:{spec.id}"


def test_the_start_of_a_run_is_committed_before_the_job_works(app, session):
    def look_at_own_run(job_session):
        running = job_session.scalars(select(JobRun).where(JobRun.outcome == "running")).all()
        return {"running": [run.job_id for run in running]}

    spec = probe_spec(look_at_own_run)
    result = execute_job(app, spec)
    assert result.counts == {"running": [spec.id]}


def test_a_failing_job_is_recorded_its_work_rolled_back_and_nothing_raised(app, session):
    def half_done(job_session):
        publish(job_session, "ProbeHalfDone", "Probe", 1, {})
        job_session.flush()
        raise RuntimeError("could not reach postgresql://aidledger:s3cret-pw@db.internal/aidledger\n"
                           "[parameters: ('jan.peeters@vlaanderen.be',)]")

    spec = probe_spec(half_done)
    result = execute_job(app, spec)

    assert result.outcome == "failed"
    run = _run(session, result.run_id)
    assert run.outcome == "failed" and run.finished_at is not None and run.counts == {}
    assert run.error == "RuntimeError: could not reach postgresql://aidledger:***@db.internal/aidledger"
    assert session.scalar(select(Event).where(Event.type == "ProbeHalfDone")) is None


def test_a_job_that_returns_no_mapping_fails_cleanly(app, session):
    result = execute_job(app, probe_spec(lambda job_session: ["not", "counts"]))
    assert result.outcome == "failed"
    assert result.error.startswith(("ValueError", "TypeError"))


def test_error_messages_lose_credentials_and_tokens():
    message = safe_error(ValueError("password=hunter2 token: al_abcdefghijklmnop api_key=XYZ"))
    assert "hunter2" not in message and "al_abcdefghijklmnop" not in message and "XYZ" not in message
    assert safe_error(ValueError("x" * 5000)).__len__() <= 1000
    assert safe_error(ValueError("")) == "ValueError"


def test_run_once_runs_a_job_now_and_records_it(app, session, registered_job):
    spec = registered_job(lambda job_session: {"alerts": 2})
    result = app.test_cli_runner().invoke(args=["scheduler", "run-once", spec.id])
    assert result.exit_code == 0, result.output
    assert f"{spec.id}: ok" in result.output and '{"alerts": 2}' in result.output
    run = session.scalar(select(JobRun).where(JobRun.job_id == spec.id))
    assert (run.outcome, run.counts, run.host) == ("ok", {"alerts": 2}, "cli")


def test_run_once_of_a_failing_job_exits_non_zero_with_the_error(app, session, registered_job):
    def broken(job_session):
        raise LookupError("no budget line for 2031")

    spec = registered_job(broken)
    result = app.test_cli_runner().invoke(args=["scheduler", "run-once", spec.id])
    assert result.exit_code == 1
    assert "LookupError: no budget line for 2031" in result.output
    assert session.scalar(select(JobRun.outcome).where(JobRun.job_id == spec.id)) == "failed"


def test_run_once_of_an_unknown_job_lists_the_known_ones(app, session):
    result = app.test_cli_runner().invoke(args=["scheduler", "run-once", "budget_chek"])
    assert result.exit_code != 0
    assert "no scheduled job 'budget_chek'" in result.output and "budget_check" in result.output
    assert session.scalar(select(JobRun).where(JobRun.job_id == "budget_chek")) is None


def test_the_dispatch_events_job_brings_the_projections_up_to_date(app, session):
    from programmes.models import ProgrammeYearTotal
    from tests.builders.programmes import malawi_agriculture_programme

    programme = malawi_agriculture_programme(session)
    session.commit()
    result = app.test_cli_runner().invoke(args=["scheduler", "run-once", "dispatch_events"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert session.get(ProgrammeYearTotal, (programme.id, 2021)).planned == Decimal("5000000.00")


def test_list_shows_triggers_last_runs_next_runs_and_the_lease(app, session):
    from datetime import datetime, timedelta, timezone

    now = datetime(2025, 3, 3, 5, 0, tzinfo=timezone.utc)
    session.add(JobRun(job_id="budget_check", started_at=now, finished_at=now, outcome="failed", counts={}))
    session.add(ScheduledJob(job_id="dispatch_events", trigger="interval[0:00:10]",
                             next_run_at=now + timedelta(seconds=10), updated_at=now))
    session.add(ScheduledJob(job_id="retired_job", trigger="interval[1:00:00]", next_run_at=None, updated_at=now))
    expires = utcnow().replace(microsecond=0) + timedelta(minutes=5)
    session.add(SchedulerLease(name="scheduler", holder="host-a:101:aaaa", acquired_at=now, heartbeat_at=now,
                               expires_at=expires))
    session.commit()

    result = app.test_cli_runner().invoke(args=["scheduler", "list"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()}
    assert "cron[hour='5', minute='0']" in lines["budget_check"]
    assert "2025-03-03 05:00:00 UTC  failed" in lines["budget_check"]
    assert "interval[0:00:10]" in lines["dispatch_events"] and "2025-03-03 05:00:10 UTC" in lines["dispatch_events"]
    assert "no longer registered" in lines["retired_job"]
    assert f"lease: held by host-a:101:aaaa until {expires:%Y-%m-%d %H:%M:%S} UTC" in result.output


def test_list_says_when_the_lease_has_expired(app, session):
    gone = utcnow() - timedelta(minutes=5)
    session.add(SchedulerLease(name="scheduler", holder="host-a:101:aaaa", acquired_at=gone, heartbeat_at=gone,
                               expires_at=gone + timedelta(seconds=30)))
    session.commit()

    result = app.test_cli_runner().invoke(args=["scheduler", "list"])
    assert "lease: expired at" in result.output and "last held by host-a:101:aaaa" in result.output
    assert "held by host-a:101:aaaa until" not in result.output


def test_list_says_when_no_scheduler_holds_the_lease(app, session):
    result = app.test_cli_runner().invoke(args=["scheduler", "list"])
    assert result.exit_code == 0
    assert "lease: free" in result.output
    assert "never" in result.output


def test_a_job_that_met_a_locked_sqlite_database_is_run_again(app, session, monkeypatch):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from app.scheduler import execution

    monkeypatch.setattr(execution.time, "sleep", lambda seconds: None)
    attempts = []

    def meets_a_writer(job_session):
        attempts.append(1)
        publish(job_session, "ProbeAttempt", "Probe", len(attempts), {})
        job_session.flush()
        if len(attempts) == 1:
            raise OperationalError("INSERT …", {}, sqlite3.OperationalError("database is locked"))
        return {"attempts": len(attempts)}

    result = execute_job(app, probe_spec(meets_a_writer))
    assert (result.outcome, result.counts) == ("ok", {"attempts": 2})
    session.expire_all()
    assert [e.aggregate_id for e in session.scalars(select(Event).where(Event.type == "ProbeAttempt"))] == ["2"]


def test_other_database_errors_are_not_retried(app, session):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    attempts = []

    def disk_full(job_session):
        attempts.append(1)
        raise OperationalError("INSERT …", {}, sqlite3.OperationalError("database or disk is full"))

    result = execute_job(app, probe_spec(disk_full))
    assert result.outcome == "failed" and len(attempts) == 1
    assert result.error == "OperationalError: (sqlite3.OperationalError) database or disk is full"
