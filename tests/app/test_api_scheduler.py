"""/api/v1/scheduler: recorded job runs and the planned jobs (read only)."""
from datetime import timedelta

import pytest

from app.auth.roles import Role
from app.db import utcnow
from app.scheduler.models import JobRun, ScheduledJob
from tests.builders.api import api, assert_error, pagination  # noqa: F401 - fixture


@pytest.fixture
def runs(api):
    """Three nightly dispatches (one failed) and a budget check; returns their ids, oldest first."""
    def build(session):
        start = utcnow() - timedelta(hours=3)
        rows = [
            JobRun(job_id="dispatch_events", started_at=start, finished_at=start + timedelta(seconds=2),
                   outcome="succeeded", counts={"processed": 120}),
            JobRun(job_id="dispatch_events", started_at=start + timedelta(hours=1), outcome="failed",
                   finished_at=start + timedelta(hours=1, seconds=1), counts={}, error="database is locked"),
            JobRun(job_id="budget_check", started_at=start + timedelta(hours=2), outcome="succeeded",
                   finished_at=start + timedelta(hours=2, seconds=5), counts={"alerts": 2}),
            JobRun(job_id="dispatch_events", started_at=start + timedelta(hours=3), outcome="running", counts={}),
        ]
        session.add_all(rows)
        session.add(ScheduledJob(job_id="dispatch_events", trigger="interval[0:00:30]",
                                 next_run_at=utcnow() + timedelta(seconds=30)))
        session.flush()
        return [r.id for r in rows]

    return api.seed(build)


def test_finance_lists_runs_newest_first_and_filters(api, runs):
    token = api.token(Role.FINANCE)
    response = api.get("/api/v1/scheduler/runs", token)
    assert [r["id"] for r in response.get_json()] == list(reversed(runs))
    assert pagination(response)["total"] == 4
    failed = api.get("/api/v1/scheduler/runs?job_id=dispatch_events&outcome=failed", token).get_json()
    assert [(r["id"], r["error"], r["counts"]) for r in failed] == [(runs[1], "database is locked", {})]
    running = api.get("/api/v1/scheduler/runs?outcome=running", token).get_json()
    assert running[0]["finished_at"] is None


def test_one_run(api, runs):
    body = api.get(f"/api/v1/scheduler/runs/{runs[2]}", api.token(Role.ODA_OFFICER)).get_json()
    assert (body["job_id"], body["outcome"], body["counts"]) == ("budget_check", "succeeded", {"alerts": 2})
    assert body["started_at"].endswith("+00:00")


def test_planned_jobs_with_their_last_run(api, runs):
    jobs = {j["job_id"]: j for j in api.get("/api/v1/scheduler/jobs", api.token(Role.ADMIN)).get_json()}
    assert jobs["dispatch_events"]["last_run"]["id"] == runs[3]
    assert jobs["dispatch_events"]["trigger"] == "interval[0:00:30]"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PROGRAMME_MANAGER])
def test_runs_are_for_finance_oda_and_admins(api, runs, role):
    token = api.token(role)
    for url in ("/api/v1/scheduler/runs", f"/api/v1/scheduler/runs/{runs[0]}", "/api/v1/scheduler/jobs"):
        assert_error(api.get(url, token), 403)


@pytest.mark.parametrize("path", ["424242", "-1", "9" * 20, "x"])
def test_missing_runs_are_404(api, runs, path):
    assert_error(api.get(f"/api/v1/scheduler/runs/{path}", api.token(Role.ADMIN)), 404)


@pytest.mark.parametrize("query", ["job_id=" + "j" * 81, "outcome=ok%00", "page_size=201"])
def test_bad_filters_are_422(api, runs, query):
    assert_error(api.get(f"/api/v1/scheduler/runs?{query}", api.token(Role.ADMIN)), 422)


def test_runs_are_read_only(api, runs):
    token = api.token(Role.ADMIN)
    assert_error(api.post("/api/v1/scheduler/runs", token, {"job_id": "dispatch_events"}), 405)
    assert_error(api.delete(f"/api/v1/scheduler/runs/{runs[0]}", token), 405)
    assert api.count(JobRun) == 4
