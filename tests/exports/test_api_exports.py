"""/api/v1/exports: queue, follow, download; every endpoint guarded by role."""
import hashlib

import pytest

from app.auth.roles import Role
from exports.services.execute import process_queued
from programmes.services.queries import programme_id_by_code
from tests.builders.api import api, assert_error, pagination  # noqa: F401
from tests.builders.exports import classified_portfolio

ENDPOINTS = [
    ("GET", "/api/v1/exports/crs?year=2024"),
    ("GET", "/api/v1/exports/runs"),
    ("POST", "/api/v1/exports/runs"),
    ("GET", "/api/v1/exports/runs/1"),
    ("GET", "/api/v1/exports/runs/1/file"),
]


@pytest.fixture
def world(api):
    api.seed(classified_portfolio)
    return api


def run_jobs(api):
    with api.app.app_context():
        return process_queued(api.app.extensions["aidledger.db"].Session)


@pytest.mark.parametrize("method, url", ENDPOINTS)
def test_every_endpoint_needs_a_token(api, method, url):
    assert_error(api.call(method, url, body={} if method == "POST" else None), 401)


@pytest.mark.parametrize("role, status", [(Role.ODA_OFFICER, 202), (Role.ADMIN, 202), (Role.VIEWER, 403),
                                          (Role.FINANCE, 403), (Role.PROGRAMME_MANAGER, 403)])
def test_crs_export_is_for_oda_officers_and_admins(world, role, status):
    token = world.token(role)
    response = world.get("/api/v1/exports/crs?year=2024", token)
    assert response.status_code == status, response.get_data(as_text=True)


def test_crs_export_is_queued_followed_and_downloaded(world):
    token = world.token(Role.ODA_OFFICER)
    queued = world.get("/api/v1/exports/crs?year=2024", token)
    assert queued.status_code == 202
    run = queued.get_json()
    assert (run["kind"], run["year"], run["status"], run["final"]) == ("crs", 2024, "queued", False)
    assert queued.headers["Location"].endswith(f"/api/v1/exports/runs/{run['id']}")
    assert world.get("/api/v1/exports/crs?year=2024", token).get_json()["id"] == run["id"], "no duplicate work"
    assert_error(world.get(f"/api/v1/exports/runs/{run['id']}/file", token), 409)

    assert run_jobs(world)["done"] == 1
    status = world.get(f"/api/v1/exports/runs/{run['id']}", token).get_json()
    assert status["status"] == "done" and status["progress"] == 100 and status["counts"]["crs_rows"] == 6
    download = world.get(status["file_url"], token)
    assert download.status_code == 200
    assert download.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert hashlib.sha256(download.data).hexdigest() == status["sha256"] == download.headers["X-Content-SHA256"]
    assert f'filename="crs-2024-draft-{run["id"]}.xlsx"' in download.headers["Content-Disposition"]


def test_final_is_refused_with_the_reasons_while_reviews_are_open(world):
    response = world.get("/api/v1/exports/crs?year=2024&final=true", world.token(Role.ODA_OFFICER))
    error = assert_error(response, 409)
    assert "still need review" in error["message"]


@pytest.mark.parametrize("query", ["year=abc", "year=1800", "", "year=2024&final=maybe"])
def test_bad_queries_answer_422(world, query):
    assert_error(world.get(f"/api/v1/exports/crs?{query}", world.token(Role.ODA_OFFICER)), 422)


@pytest.mark.parametrize("body", [
    {"kind": "oda_summary", "year_from": 2024, "year_to": 2019},
    {"kind": "everything", "year": 2024},
    {"kind": "crs"},
    {"kind": "crs", "year": "2024; DROP TABLE exports_runs"},
    {"kind": "oda_summary", "year_from": 2020, "year_to": 2024, "final": True},
    {"kind": "crs", "year": 2024, "unknown": 1},
])
def test_bad_bodies_answer_422_and_queue_nothing(world, body):
    token = world.token(Role.ODA_OFFICER)
    assert_error(world.post("/api/v1/exports/runs", token, body), 422)
    assert pagination(world.get("/api/v1/exports/runs", token))["total"] == 0


def test_reports_are_queued_by_post(world):
    token = world.token(Role.ODA_OFFICER)
    response = world.post("/api/v1/exports/runs", token, {"kind": "oda_summary", "year_from": 2022, "year_to": 2024})
    assert response.status_code == 202
    assert response.get_json()["params"] == {"year_from": 2022, "year_to": 2024}
    viewer = world.token(Role.VIEWER, email="viewer2@vlaanderen.test")
    assert_error(world.post("/api/v1/exports/runs", viewer, {"kind": "oda_summary", "year": 2024}), 403)
    budget = world.post("/api/v1/exports/runs", viewer, {"kind": "budget_execution", "year": 2024})
    assert budget.status_code == 202 and budget.get_json()["params"]["programme_ids"] is None


def test_runs_are_listed_only_to_those_who_may_see_them(world):
    officer = world.token(Role.ODA_OFFICER)
    crs = world.get("/api/v1/exports/crs?year=2024", officer).get_json()
    mwi_id = world.query(lambda s: programme_id_by_code(s, "MWI-CSP3"))
    manager = world.token(Role.PROGRAMME_MANAGER, mwi_id)
    own = world.post("/api/v1/exports/runs", manager, {"kind": "budget_execution", "year": 2023}).get_json()
    assert own["params"]["programme_ids"] == [mwi_id]
    listed = world.get("/api/v1/exports/runs", manager).get_json()
    assert [r["id"] for r in listed] == [own["id"]]
    assert_error(world.get(f"/api/v1/exports/runs/{crs['id']}", manager), 404)
    assert_error(world.get(f"/api/v1/exports/runs/{crs['id']}/file", manager), 404)
    all_runs = world.get("/api/v1/exports/runs?kind=crs&final=false", officer).get_json()
    assert [r["id"] for r in all_runs] == [crs["id"]]


def test_unknown_run_is_404(world):
    assert_error(world.get("/api/v1/exports/runs/424242", world.token(Role.ADMIN)), 404)
