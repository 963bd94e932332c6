"""The year's status through its three doors: ``flask oda year-status``, the API and the
Year close page (roles, Dutch text)."""
from __future__ import annotations

import json

import pytest

from app.auth.roles import Role
from tests.builders.api import api, assert_error  # noqa: F401
from tests.builders.oda import seed_classified
from tests.builders.web import web  # noqa: F401
from tests.oda.year_close_data import SHARED, cli, import_portfolio

STATUS_KEYS = {"year", "ready", "blocking", "items", "totals", "progress"}
ITEM_KEYS = {"kind", "title", "fix", "count", "unit", "lines", "blocks", "link", "examples"}


@pytest.mark.skipif(not SHARED.is_dir(), reason="the official reference files are not beside the repository")
def test_the_command_prints_the_status_and_exits_1_while_something_blocks(app, session, tmp_path):
    import_portfolio(app, session, tmp_path)
    table = cli(app, "oda", "year-status", "--year", "2024", "--lang", "en", code=1).output
    assert "Year close 2024" in table and "BLOCKS" in table and "Open review groups" in table
    assert "MWI-2024-LIL Verbindingsbureau Lilongwe" in table
    assert "The final CRS file of 2024 is blocked by: Open review groups" in table
    data = json.loads(cli(app, "oda", "year-status", "--year", "2024", "--json", code=1).output)
    assert set(data) == STATUS_KEYS and data["ready"] is False
    assert all(set(item) == ITEM_KEYS for item in data["items"])
    assert "open_review_groups" in data["blocking"] and data["totals"]["oda"] == "600000.00"
    review = next(item for item in data["items"] if item["kind"] == "open_review_groups")
    assert review["link"] == "/oda/reviews?year=2024" and review["count"] == 2
    dutch = cli(app, "oda", "year-status", "--year", "2024", "--lang", "nl", code=1).output
    assert "Jaarafsluiting 2024" in dutch and "Open beoordelingsgroepen" in dutch and "600.000,00" in dutch
    quiet = json.loads(cli(app, "oda", "year-status", "--year", "2021", "--json", code=0).output)
    assert quiet["ready"] is True and quiet["blocking"] == []


@pytest.mark.parametrize("year", ["twenty", "1989", "2101"])
def test_the_command_refuses_a_bad_year_with_exit_2(app, connection, year):
    result = app.test_cli_runner().invoke(args=["oda", "year-status", "--year", year])
    assert result.exit_code == 2
    assert "--year" in result.output and "year" in result.output


def test_the_api_gives_the_same_status_to_those_who_may_read_it(api):
    world = api.seed(seed_classified)
    assert world
    body = api.get("/api/v1/oda/years/2023/status", api.token(Role.VIEWER)).get_json()
    assert set(body) == STATUS_KEYS and body["year"] == 2023 and body["ready"] is False
    review = next(item for item in body["items"] if item["kind"] == "open_review_groups")
    assert (review["count"], review["lines"], review["blocks"]) == (1, 1, True)
    assert body["progress"]["lines"] == 2 and body["progress"]["lines_share"] == "0.5000"
    assert_error(api.get("/api/v1/oda/years/2023/status", api.token(Role.PROGRAMME_MANAGER,
                                                                     world["malawi_programme"])), 403)
    assert_error(api.get("/api/v1/oda/years/abc/status", api.token(Role.ODA_OFFICER)), 422)
    assert_error(api.get("/api/v1/oda/years/2023/status"), 401)


def test_the_page_shows_each_item_with_its_fix_for_the_officer_and_viewers(web):
    web.seed(seed_classified)
    html = web.signed_in(Role.ODA_OFFICER).get("/oda/year-close?year=2023").get_data(as_text=True)
    assert "Year close 2023" in html and "Open review groups" in html and "blocks the final file" in html
    assert 'href="/oda/reviews?year=2023"' in html
    assert web.signed_in(Role.VIEWER).get("/oda/year-close?year=2023").status_code == 200
    assert web.signed_in(Role.PROGRAMME_MANAGER).get("/oda/year-close?year=2023").status_code == 403
    assert web.signed_in(Role.ODA_OFFICER).get("/oda/year-close?year=abc").status_code == 404
    home = web.signed_in(Role.ODA_OFFICER).get("/").get_data(as_text=True)
    assert 'href="/oda/year-close"' in home


def test_the_page_speaks_dutch(web):
    web.seed(seed_classified)
    html = web.signed_in(Role.ODA_OFFICER, locale="nl").get("/oda/year-close?year=2023").get_data(as_text=True)
    assert "Jaarafsluiting 2023" in html and "Open beoordelingsgroepen" in html
    assert "blokkeert het definitieve bestand" in html
