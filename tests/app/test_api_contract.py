"""The API keeps its own contract, checked by real tools (the fuzzing: tests/app/fuzz_api_contract.py).

- openapi-spec-validator: the document served at ``/api/openapi.json`` is valid OpenAPI 3.
- schemathesis' response checks on the answers the contract once got wrong: a duplicate
  import (200), a decision (approved, not approve), applications and reports with null
  fields, the X-Pagination header.
"""
from __future__ import annotations

import io
import json

from openapi_spec_validator.validation import OpenAPIV30SpecValidator
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)

from app.auth.roles import Role
from tests.builders import grants as gb
from tests.builders.api import api  # noqa: F401 - fixture
from tests.builders.contract import OPENAPI_URL, load_schema
from tests.builders.web import seed_portfolio

schema = load_schema()
#: what schemathesis checks of an answer alone (the others replay or vary the request)
RESPONSE_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
                   response_headers_conformance, response_schema_conformance]


# --- the document itself ---------------------------------------------------------------------

def test_openapi_document_is_valid(client):
    response = client.get(OPENAPI_URL)
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    errors = [f"{'/'.join(map(str, e.path))}: {e.message[:200]}"
              for e in OpenAPIV30SpecValidator(document).iter_errors()]
    assert not errors, "\n".join(errors)


# --- the answers the issue named, checked against the document one by one -------------------

def _conforms(path: str, method: str, response) -> None:
    """The answer is one the document declares for the operation (status, headers, body)."""
    schema[path][method].Case().validate_response(response, checks=RESPONSE_CHECKS)


def test_a_second_upload_of_the_same_file_is_a_declared_answer(api, tmp_path):
    from tests.builders.importers import spending_workbook
    from tests.builders.programmes import malawi_agriculture_programme, tradeline_market_access

    api.seed(lambda s: tradeline_market_access(s, malawi_agriculture_programme(s)))
    token, path = api.token(Role.FINANCE), spending_workbook(tmp_path / "grootboek.xlsx")

    def upload():
        return api.call("POST", "/api/v1/imports", token, content_type="multipart/form-data",
                        data={"kind": "spending", "file": (io.BytesIO(path.read_bytes()), path.name)})

    first, again = upload(), upload()
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["status"] == "already_imported"
    _conforms("/api/v1/imports", "POST", first)
    _conforms("/api/v1/imports", "POST", again)
    _conforms("/api/v1/imports", "GET", api.get("/api/v1/imports", token))


def test_a_decision_and_the_application_answer_as_documented(api):
    """approve → outcome "approved"; the application and its reports with their null fields."""
    from grants.services.assess import record_assessment, start_assessment
    from grants.services.submit import submit

    def build(session):
        unp = gb.un_promoters_scheme(session, four_eyes=False)
        call = gb.awareness_call(session, unp)
        assessor, approver = gb.managers(session, unp)
        application = gb.vvn_application(session, unp, call)
        submit(session, application, today=call.opens_on)
        start_assessment(session, application)
        checklist, scores = gb.full_marks(unp)
        record_assessment(session, application, assessor, checklist, scores, "approve")
        return application.id

    application_id = api.seed(build)
    token = api.token(Role.ADMIN)
    url = f"/api/v1/grants/applications/{application_id}"
    template = "/api/v1/grants/applications/{application_id}"

    draft = api.get(url, token)
    assert draft.get_json()["approved_amount"] is None
    _conforms(template, "GET", draft)
    decided = api.post(f"{url}/decision", token, {"outcome": "approve", "amount": "38000.00"})
    assert decided.status_code == 201 and decided.get_json()["outcome"] == "approved"
    _conforms(template + "/decision", "POST", decided)
    _conforms(template + "/decision", "GET", api.get(f"{url}/decision", token))
    committed = api.post(f"{url}/commitment", token, {"commitment_date": "2024-03-01"})
    _conforms(template + "/commitment", "POST", committed)
    report = api.post(f"{url}/reports", token, {"due_date": "2024-09-30"})
    assert report.status_code == 201 and report.get_json()["received_on"] is None
    _conforms(template + "/reports", "POST", report)
    _conforms(template + "/reports", "GET", api.get(f"{url}/reports", token))


def test_the_pagination_header_is_the_json_text_the_document_declares(api):
    api.seed(seed_portfolio)
    token = api.token(Role.VIEWER)
    response = api.get("/api/v1/programmes?page_size=1", token)
    assert json.loads(response.headers["X-Pagination"])["total"] == 2
    _conforms("/api/v1/programmes", "GET", response)


# --- what the fuzzing found (tests/app/test_api_fuzz.py), one test each --------------------

def test_a_ledger_date_in_the_document_has_the_range_the_server_enforces(client):
    """A tranche due on 0003-01-01 was schema-valid but refused (422): the pattern now says 1950–2100."""
    import re
    from datetime import date, timedelta

    from app.api.fields import EARLIEST_DATE, LATEST_DATE, LEDGER_DATE_PATTERN

    for day in (EARLIEST_DATE, LATEST_DATE, date(2024, 2, 29)):
        assert re.fullmatch(LEDGER_DATE_PATTERN, day.isoformat())
    for day in (EARLIEST_DATE - timedelta(days=1), LATEST_DATE + timedelta(days=1), date(3, 1, 1)):
        assert not re.fullmatch(LEDGER_DATE_PATTERN, day.isoformat())
    due = client.get(OPENAPI_URL).get_json()["components"]["schemas"]["Tranche"]["properties"]["due_date"]
    assert (due["format"], due["pattern"]) == ("date", LEDGER_DATE_PATTERN)


def test_a_page_far_past_the_end_of_the_review_groups_is_empty(api):
    api.seed(seed_portfolio)
    response = api.get("/api/v1/review-groups?page=15028246738156226871296", api.token(Role.ADMIN))
    assert response.status_code == 200 and response.get_json() == []
    _conforms("/api/v1/review-groups", "GET", response)


def test_ids_in_the_query_of_grant_applications_are_bounded(api):
    from tests.builders.api import assert_error

    token = api.token(Role.ADMIN)
    error = assert_error(api.get("/api/v1/grants/applications?scheme_id=-5618&call_id=15831182535150782464", token),
                         422)
    assert set(error["details"]["query"]) == {"scheme_id", "call_id"}
    assert api.get("/api/v1/grants/applications?call_id=2147483647", token).status_code == 200
