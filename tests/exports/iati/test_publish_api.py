"""GET /api/v1/exports/iati (the files kept and the last report, as the document declares) and
POST (publish now: 201, or 409 with the report kept); roles."""
from __future__ import annotations

from app.auth.roles import Role
from exports.services import iati_publication as iati
from tests.builders.api import api, assert_error  # noqa: F401 - fixture
from tests.builders.contract import load_schema
from tests.builders.programmes import malawi_agriculture_programme, tradeline_market_access
from tests.exports.iati.fake_writer import ORGANISATION, writer  # noqa: F401 - fixture

URL = "/api/v1/exports/iati"
schema = load_schema()


def _conforms(method: str, response) -> None:
    from tests.app.test_api_contract import RESPONSE_CHECKS

    schema["/api/v1/exports/iati"][method].Case().validate_response(response, checks=RESPONSE_CHECKS)


def _seed(api):
    api.seed(lambda s: tradeline_market_access(s, malawi_agriculture_programme(s)))


def test_nothing_published_yet(api):
    response = api.call("GET", URL, api.token(Role.VIEWER))
    assert response.status_code == 200 and response.get_json() == {"latest": None, "publications": []}
    _conforms("GET", response)


def test_the_officer_publishes_through_the_api(api, writer):
    _seed(api)
    token = api.token(Role.ODA_OFFICER, email="oda.officer@vlaanderen.test")
    created = api.call("POST", URL, token)
    assert created.status_code == 201, created.get_json()
    _conforms("POST", created)
    body = created.get_json()
    assert body["published"] is True
    assert (body["triggered_by"], body["trigger"], body["activity_count"]) == ("oda.officer@vlaanderen.test", "api", 1)
    assert [f["kind"] for f in body["files"]] == ["activities", "organisation"]
    assert body["public_urls"] == {"activities": f"http://aidledger.test/iati/{ORGANISATION}-activities.xml",
                                   "organisation": f"http://aidledger.test/iati/{ORGANISATION}-organisation.xml"}
    assert body["report"] == {"validated": True, "checked": 2, "errors": 0, "warnings": 0, "findings": [],
                              "truncated": False}
    listed = api.call("GET", URL, api.token(Role.VIEWER))
    _conforms("GET", listed)
    overview = listed.get_json()
    assert overview["latest"]["id"] == body["id"] and overview["latest"]["report"] == body["report"]
    assert [p["id"] for p in overview["publications"]] == [body["id"]]
    assert "report" not in overview["publications"][0]


def test_errors_answer_409_and_the_report_is_kept_for_get(api, writer):
    _seed(api)
    writer.error("MWI-2019-TLC", "6.2.1", "The activity must have a sector.")
    refused = api.call("POST", URL, api.token(Role.ADMIN))
    assert_error(refused, 409)
    _conforms("POST", refused)
    assert "1 error" in refused.get_json()["error"]["message"]
    latest = api.call("GET", URL, api.token(Role.ODA_OFFICER)).get_json()["latest"]
    assert latest["published"] is False and latest["public_urls"] == {}
    finding = latest["report"]["findings"][0]
    assert (finding["rule_id"], finding["message"], finding["identifier"]) == (
        "6.2.1", "The activity must have a sector.", f"{ORGANISATION}-MWI-2019-TLC")


def test_a_viewer_may_read_but_not_publish(api, writer):
    _seed(api)
    assert_error(api.call("POST", URL, api.token(Role.VIEWER)), 403)
    assert_error(api.call("POST", URL, api.token(Role.FINANCE)), 403)
    assert api.query(iati.recent_publications) == []


def test_a_programme_manager_reads_nothing(api, writer):
    _seed(api)
    assert_error(api.call("GET", URL, api.token(Role.PROGRAMME_MANAGER)), 403)


def test_anonymous_gets_401(api):
    assert_error(api.call("GET", URL, None), 401)
    assert_error(api.call("POST", URL, None), 401)


def test_an_installation_without_the_iati_schemas_answers_409_and_stores_nothing(api, writer):
    _seed(api)
    writer.setup_error = "AIDLEDGER_IATI_SCHEMA_DIR must name the folder of the official IATI 2.03 schemas"
    refused = api.call("POST", URL, api.token(Role.ODA_OFFICER))
    assert_error(refused, 409)
    assert "AIDLEDGER_IATI_SCHEMA_DIR" in refused.get_json()["error"]["message"]
    assert api.query(iati.recent_publications) == []
