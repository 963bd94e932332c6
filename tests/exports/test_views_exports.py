"""Report pages with charts and tables, the export queue with progress and "ready" notices."""
import hashlib
import re
from decimal import Decimal

import pytest

from app.auth.roles import Role
from exports.models import ExportRun, RunStatus
from exports.services.execute import process_queued
from programmes.models import Programme
from programmes.services.queries import programme_id_by_code
from programmes.services.programmes import set_budget_line
from tests.builders.exports import classified_portfolio
from tests.builders.web import csrf_token_from, web  # noqa: F401


@pytest.fixture
def world(web):
    web.seed(classified_portfolio)
    web.dispatch()
    return web


def run_jobs(web):
    with web.app.app_context():
        return process_queued(web.app.extensions["aidledger.db"].Session)


def last_run(web) -> ExportRun:
    from sqlalchemy import select

    return web.query(lambda s: s.scalars(select(ExportRun).order_by(ExportRun.id.desc())).first())


@pytest.mark.parametrize("url", ["/exports/reports", "/exports/budget", "/exports/", "/exports/runs/1/status",
                                 "/exports/runs/1/download"])
def test_pages_need_a_sign_in(web, url):
    response = web.client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role, status", [(Role.ODA_OFFICER, 200), (Role.ADMIN, 200), (Role.VIEWER, 403),
                                          (Role.FINANCE, 403)])
def test_reports_page_is_for_oda_officers(world, role, status):
    assert world.signed_in(role).get("/exports/reports?from=2023&to=2024").status_code == status


def test_reports_page_shows_the_chart_and_the_table_beside_it(world):
    html = world.signed_in(Role.ODA_OFFICER).get("/exports/reports?from=2023&to=2024").get_data(as_text=True)
    policy = html[html.index('id="policy-table"'):html.index("</table>", html.index('id="policy-table"'))]
    assert "€1,811,952.65" in policy and "€450,000.00" in policy and "€2,261,952.65" in policy
    assert "80.1%" in policy and "€10,000.00" in policy, "share of development cooperation; still in review"
    assert html.count("<svg") == 2 and 'aria-describedby="policy-table"' in html
    assert 'class="share-line"' in html and "<title" in html
    climate = html[html.index('id="climate-table"'):]
    assert "€500,000.00" in climate and "counted once" in climate
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert all(src.startswith("/") for src in sources) and "cdn" not in html.lower(), "no script from elsewhere"


@pytest.mark.parametrize("query", ["from=abc", "from=2024&to=2019", "to=1800", "from=1990&to=2100"])
def test_bad_year_ranges_are_refused(world, query):
    assert world.signed_in(Role.ODA_OFFICER).get(f"/exports/reports?{query}").status_code == 400


def test_budget_page_per_partner_country_and_scoped_for_managers(world):
    def plan(session):
        programme = session.get(Programme, programme_id_by_code(session, "MWI-CSP3"))
        set_budget_line(session, programme, 2023, Decimal("5000000.00"))

    world.seed(plan)
    world.dispatch()
    html = world.signed_in(Role.VIEWER).get("/exports/budget?from=2023&to=2023").get_data(as_text=True)
    assert "Malawi" in html and "€5,000,000.00" in html and "€1,600,000.00" in html and "€400,000.10" in html
    assert "Mozambique" in html
    mwi = world.query(lambda s: programme_id_by_code(s, "MWI-CSP3"))
    scoped = world.signed_in(Role.PROGRAMME_MANAGER, mwi).get("/exports/budget?from=2023&to=2023")
    text = scoped.get_data(as_text=True)
    assert scoped.status_code == 200 and "MWI-CSP3" in text and "MOZ-CSP4" not in text


def test_queue_from_the_browser_follow_progress_and_download(world):
    client = world.signed_in(Role.ODA_OFFICER)
    response = client.post("/exports/", data={"kind": "crs", "year": "2024"})
    assert response.status_code == 302
    queue = client.get("/exports/").get_data(as_text=True)
    run = last_run(world)
    assert run.status == RunStatus.QUEUED and run.trigger == "browser"
    assert "Export queued" in queue and "<progress" in queue
    assert f'data-status-url="/exports/runs/{run.id}/status"' in queue
    assert client.get(f"/exports/runs/{run.id}/status").get_json()["status"] == "queued"

    run_jobs(world)
    status = client.get(f"/exports/runs/{run.id}/status").get_json()
    assert status["status"] == "done" and status["download_url"]
    page = client.get("/exports/").get_data(as_text=True)
    assert "Your export is ready" in page and status["sha256"] in page
    download = client.get(status["download_url"])
    assert download.status_code == 200 and hashlib.sha256(download.data).hexdigest() == status["sha256"]
    assert "Your export is ready" not in client.get("/exports/").get_data(as_text=True), "shown until downloaded"


def test_ready_notice_can_be_dismissed(world):
    client = world.signed_in(Role.ODA_OFFICER)
    client.post("/exports/", data={"kind": "oda_summary", "year_from": "2023", "year_to": "2024"})
    run_jobs(world)
    run = last_run(world)
    assert "Your export is ready" in client.get("/exports/reports").get_data(as_text=True)
    assert client.post(f"/exports/runs/{run.id}/dismiss").status_code == 302
    assert "Your export is ready" not in client.get("/exports/").get_data(as_text=True)


def test_final_from_the_browser_is_refused_with_the_reasons(world):
    client = world.signed_in(Role.ODA_OFFICER)
    response = client.post("/exports/", data={"kind": "crs", "year": "2024", "final": "1"}, follow_redirects=True)
    assert "No final version yet" in response.get_data(as_text=True)
    assert last_run(world) is None


@pytest.mark.parametrize("data", [{"kind": "crs", "year": "twenty"}, {"kind": "crs"}, {"kind": "nope", "year": "2024"},
                                  {"kind": "oda_summary", "year_from": "2024", "year_to": "2010"}])
def test_bad_forms_queue_nothing(world, data):
    client = world.signed_in(Role.ODA_OFFICER)
    response = client.post("/exports/", data=data, follow_redirects=True)
    assert response.status_code == 200 and "flash-error" in response.get_data(as_text=True)
    assert last_run(world) is None


def test_viewers_cannot_queue_oda_exports_but_can_queue_budget_reports(world):
    client = world.signed_in(Role.VIEWER)
    assert client.post("/exports/", data={"kind": "crs", "year": "2024"}).status_code == 403
    assert client.post("/exports/", data={"kind": "budget_execution", "year": "2024"}).status_code == 302
    assert last_run(world).kind == "budget_execution"


def test_others_cannot_see_or_download_an_export(world):
    officer = world.signed_in(Role.ODA_OFFICER)
    officer.post("/exports/", data={"kind": "crs", "year": "2024"})
    run_jobs(world)
    run = last_run(world)
    viewer = world.signed_in(Role.VIEWER)
    assert viewer.get(f"/exports/runs/{run.id}/download").status_code == 404
    assert viewer.get(f"/exports/runs/{run.id}/status").status_code == 404
    assert run.file_name not in viewer.get("/exports/").get_data(as_text=True)


def test_queue_form_needs_the_csrf_token(world, app):
    client = world.signed_in(Role.ODA_OFFICER)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = client.post("/exports/", data={"kind": "crs", "year": "2024"})
        assert refused.status_code == 400
        page = client.get("/exports/reports").get_data(as_text=True)
        token = csrf_token_from(page)
        accepted = client.post("/exports/", data={"kind": "crs", "year": "2024", "csrf_token": token})
        assert accepted.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_queue_page_script_is_served_from_the_project(world):
    client = world.signed_in(Role.ODA_OFFICER)
    html = client.get("/exports/").get_data(as_text=True)
    src = re.search(r'<script src="([^"]+)"', html).group(1)
    assert src.startswith("/exports/static/") and client.get(src).status_code == 200


def test_pages_render_in_dutch_too(world):
    client = world.signed_in(Role.ODA_OFFICER, locale="nl")
    for url in ("/exports/reports?from=2023&to=2024", "/exports/budget?from=2023&to=2024", "/exports/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="nl' in response.get_data(as_text=True)


def test_export_progress_and_chart_axes_read_in_dutch(world):
    client = world.signed_in(Role.ODA_OFFICER, locale="nl")
    assert client.post("/exports/", data={"kind": "crs", "year": "2024"}).status_code == 302
    run = last_run(world)
    queue = client.get("/exports/").get_data(as_text=True)
    assert "in de wachtrij · 0 %" in queue and "queued" not in queue
    assert client.get(f"/exports/runs/{run.id}/status").get_json()["text"] == "in de wachtrij · 0 %"
    run_jobs(world)
    assert client.get(f"/exports/runs/{run.id}/status").get_json()["text"] == "klaar"
    reports = client.get("/exports/reports?from=2023&to=2024").get_data(as_text=True)
    ticks = re.findall(r'<text[^>]*class="tick"[^>]*>([^<]+)</text>', reports) or reports
    assert "mln." in "".join(ticks) and " M<" not in reports, "axes read 2,5 mln., not 2.5 M"
