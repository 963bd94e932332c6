"""GET /api/v1/exports/iati (the files kept and the last report, as the document declares) and
POST (publish now: 201, or 409 with the report kept); roles."""
from __future__ import annotations

from app.auth.roles import Role
from exports.services import iati_publication as iati
from tests.builders.api import api, assert_error  # noqa: F401 - fixture
from tests.builders.contract import load_schema
from tests.builders.programmes import malawi_agriculture_programme, tradeline_market_access
from tests.exports.iati.conftest import ORGANISATION

URL = "/api/v1/exports/iati"
schema = load_schema()


def _conforms(method: str, response) -> None:
    from tests.app.test_api_contract import RESPONSE_CHECKS

    schema["/api/v1/exports/iati"][method].Case().validate_response(response, checks=RESPONSE_CHECKS)


def _seed(api):
    api.seed(lambda s: tradeline_market_access(s, malawi_agriculture_programme(s)))


def test_nothing_published_yet(api):
    response = api.call("GET", URL, api.token(Role.VIEWER))
    assert response.status_code == 200 and response.get_json() == {"latest": [], "publications": []}
    _conforms("GET", response)


def test_the_officer_publishes_through_the_api(api, writer):
    _seed(api)
    token = api.token(Role.ODA_OFFICER, email="oda.officer@vlaanderen.test")
    created = api.call("POST", URL, token)
    assert created.status_code == 201, created.get_json()
    _conforms("POST", created)
    body = created.get_json()
    assert body["published"] is True
    activities = body["files"][0]
    assert activities["kind"] == "activities" and activities["triggered_by"] == "oda.officer@vlaanderen.test"
    assert activities["trigger"] == "api" and activities["activity_count"] == 1
    assert activities["public_url"] == f"http://aidledger.test/iati/{ORGANISATION}-activities.xml"
    listed = api.call("GET", URL, api.token(Role.VIEWER))
    _conforms("GET", listed)
    overview = listed.get_json()
    assert [f["sha256"] for f in overview["latest"]] == [f["sha256"] for f in body["files"]]
    assert overview["latest"][0]["report"] == {"kind": "activities", "errors": 0, "warnings": 0, "findings": [],
                                               "truncated": False}
    assert len(overview["publications"]) == 2


def test_errors_answer_409_and_the_report_is_kept_for_get(api, writer):
    _seed(api)
    writer.error("MWI-2019-TLC", "iati:atleast_one", "sector must be present")
    refused = api.call("POST", URL, api.token(Role.ADMIN))
    assert_error(refused, 409)
    _conforms("POST", refused)
    assert "1 error" in refused.get_json()["error"]["message"]
    latest = api.call("GET", URL, api.token(Role.ODA_OFFICER)).get_json()["latest"]
    assert [f["published"] for f in latest] == [False, False] and latest[0]["public_url"] is None
    finding = latest[0]["report"]["findings"][0]
    assert (finding["rule_id"], finding["message"], finding["identifier"]) == (
        "iati:atleast_one", "sector must be present", f"{ORGANISATION}-MWI-2019-TLC")


def test_a_viewer_may_read_but_not_publish(api, writer):
    _seed(api)
    assert_error(api.call("POST", URL, api.token(Role.VIEWER)), 403)
    assert_error(api.call("POST", URL, api.token(Role.FINANCE)), 403)
    assert api.query(iati.latest_attempt) == []


def test_a_programme_manager_reads_nothing(api, writer):
    _seed(api)
    assert_error(api.call("GET", URL, api.token(Role.PROGRAMME_MANAGER)), 403)


def test_anonymous_gets_401(api):
    assert_error(api.call("GET", URL, None), 401)
    assert_error(api.call("POST", URL, None), 401)
