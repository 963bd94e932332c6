"""The Job runs page: each job's schedule in words, last run, outcome and next run; every run that did
something, filtered; runs that found nothing to do counted per job and day; each role sees the jobs
that concern it."""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from app.auth.roles import Role
from app.scheduler.models import JobRun, ScheduledJob, SchedulerLease
from tests.builders.web import web  # noqa: F401

T0 = datetime(2024, 3, 5, 5, 0, tzinfo=timezone.utc)


@pytest.fixture
def runs(web):
    def build(session):
        session.add_all([
            JobRun(job_id="budget_check", started_at=T0, finished_at=T0 + timedelta(seconds=2), outcome="ok",
                   counts={"overruns": 2, "alerts": 1}, host="web-1:123:abc"),
            JobRun(job_id="dispatch_events", started_at=T0 + timedelta(minutes=1),
                   finished_at=T0 + timedelta(minutes=1, seconds=1), outcome="failed", counts={},
                   error="OperationalError: database is locked <b>", host="web-1:123:abc"),
            JobRun(job_id="dispatch_events", started_at=T0 + timedelta(minutes=2), outcome="running", counts={}),
            ScheduledJob(job_id="budget_check", trigger="cron[hour='5', minute='0']",
                         next_run_at=T0 + timedelta(days=1)),
        ])

    web.seed(build)
    return web.signed_in(Role.ADMIN)


def _brussels(hour: int, minute: int) -> str:
    """A daily job's UTC hour as the pages show it today (Europe/Brussels, summer time or not)."""
    at = datetime.combine(date.today(), time(hour, minute), tzinfo=timezone.utc)
    return at.astimezone(ZoneInfo("Europe/Brussels")).strftime("%H:%M")


def _row(html: str, job_id: str) -> str:
    start = html.index(f'job={job_id}')
    return html[start:html.index("</tr>", start)]


def test_each_job_with_trigger_last_run_outcome_and_next_run(runs):
    html = runs.get("/jobs").get_data(as_text=True)
    budget = _row(html, "budget_check")
    assert f"every day at {_brussels(5, 0)}" in budget and "cron[" not in html
    assert "Succeeded" in budget and "overruns 2" in budget and "alerts 1" in budget
    assert "Mar 6, 2024" in budget, "next run"
    dispatch = _row(html, "dispatch_events")
    assert "Running" in dispatch and "not scheduled" in dispatch and "every 10 seconds" in dispatch
    assert "No scheduler is running" in html


def test_runs_are_filtered_by_job_and_outcome_and_errors_are_escaped(runs):
    failed = runs.get("/jobs?outcome=failed").get_data(as_text=True)
    runs_table = failed[failed.index('id="runs-region"'):]
    assert "database is locked &lt;b&gt;" in runs_table and "budget_check" not in runs_table
    budget = runs.get("/jobs?job=budget_check").get_data(as_text=True)
    assert "dispatch_events</td>" not in budget[budget.index('id="runs-region"'):]
    assert runs.get("/jobs?job=<script>&outcome=x&page=-1").status_code == 200


def test_a_live_scheduler_is_shown(web, runs):
    def lease(session):
        now = datetime.now(timezone.utc)
        session.add(SchedulerLease(name="scheduler", holder="sched-host:42:ff", acquired_at=now,
                                   heartbeat_at=now, expires_at=now + timedelta(seconds=30)))

    web.seed(lease)
    assert "The scheduler is running (sched-host:42:ff)" in runs.get("/jobs").get_data(as_text=True)


def test_job_runs_need_the_view_jobs_permission(web):
    assert web.signed_in(Role.VIEWER).get("/jobs").status_code == 403
    assert web.signed_in(Role.PROGRAMME_MANAGER).get("/jobs").status_code == 403
    for role in (Role.ADMIN, Role.FINANCE, Role.ODA_OFFICER):
        client = web.signed_in(role)
        assert client.get("/jobs").status_code == 200
        assert 'href="/jobs"' in client.get("/").get_data(as_text=True), "in the navigation"


def test_empty_state(web):
    html = web.signed_in(Role.ADMIN).get("/jobs").get_data(as_text=True)
    assert "No runs yet" in html


def test_finance_and_the_oda_officer_see_the_jobs_that_concern_them(runs, web):
    finance = web.signed_in(Role.FINANCE).get("/jobs").get_data(as_text=True)
    assert "job=process_queued_imports" in finance and "job=budget_check" in finance
    assert "job=dispatch_events" not in finance and "job=oda_classify_pending" not in finance
    assert "database is locked" not in finance, "nor the runs of the others' jobs"
    oda = web.signed_in(Role.ODA_OFFICER).get("/jobs").get_data(as_text=True)
    assert "job=oda_classify_pending" in oda and "every 5 minutes" in oda and "job=process_queued_exports" in oda
    assert "job=process_queued_imports" not in oda and "job=dispatch_events" not in oda
    assert web.signed_in(Role.FINANCE).get("/jobs?job=dispatch_events").status_code == 200


def test_runs_that_found_nothing_to_do_are_counted_per_job_and_day_not_listed(app, web):
    from app.scheduler.execution import execute_job
    from app.scheduler.registry import JobSpec

    idle = JobSpec("dispatch_events", lambda session: {"processed": 0, "failed": 0}, "interval", {"seconds": 10})
    busy = JobSpec("dispatch_events", lambda session: {"processed": 3, "failed": 0}, "interval", {"seconds": 10})
    for spec in (idle, idle, busy, idle):
        execute_job(app, spec)
    admin = web.signed_in(Role.ADMIN)
    html = admin.get("/jobs").get_data(as_text=True)
    listed = html[html.index('id="runs-region"'):html.index('id="idle"')]
    assert listed.count("dispatch_events</td>") == 1 and "processed 3" in listed
    idle_table = html[html.index('id="idle"'):]
    assert "dispatch_events</td>" in idle_table and '<td class="num">3</td>' in idle_table
    assert "nothing to do" in _row(html, "dispatch_events")
    assert web.query(lambda s: s.query(JobRun).filter_by(job_id="dispatch_events").count()) == 1


def test_a_daily_schedule_is_in_brussels_time_like_the_other_times_in_dutch(web, runs):
    client = web.signed_in(Role.ADMIN, locale="nl")
    budget = _row(client.get("/jobs").get_data(as_text=True), "budget_check")
    assert f"elke dag om {_brussels(5, 0)}" in budget and "UTC" not in budget


def test_a_year_a_job_counted_is_written_as_a_year_in_dutch(web):
    def build(session):
        session.add(JobRun(job_id="oda_rate_completeness", started_at=T0, finished_at=T0 + timedelta(seconds=1),
                           outcome="ok", counts={"year": 2025, "missing": 1200, "run_id": 12345}))

    web.seed(build)
    html = web.signed_in(Role.ADMIN, locale="nl").get("/jobs").get_data(as_text=True)
    assert "jaar 2025" in html and "2.025" not in html, "a year is not a quantity"
    assert "1.200" in html and "12345" in html and "12.345" not in html


def test_what_a_job_counted_is_said_in_dutch(web, runs):
    budget = _row(web.signed_in(Role.ADMIN, locale="nl").get("/jobs").get_data(as_text=True), "budget_check")
    assert "overschrijdingen 2" in budget and "signalen 1" in budget
    assert "overruns" not in budget and "alerts" not in budget
