"""/api/v1/activities: tied status, loan terms, SDG focus and keywords (strict types, 422 naming the field)."""
import re
from decimal import Decimal

import pytest

from app.auth.roles import Role
from app.events.models import Event
from programmes.models import Activity
from tests.builders.api import api, assert_error  # noqa: F401 - fixture
from tests.builders.programmes import malawi_agriculture_programme

LOAN = {"code": "MWI-2024-IRR-LOAN", "title": "Soft loan for smallholder irrigation schemes in Kasungu",
        "programme_code": "MWI-CSP3", "recipient_code": "253", "purpose_code": "31140", "aid_type": "C01",
        "finance_type": "421", "commitment_date": "2024-03-01", "commitment_amount": "2000000.00",
        "tied_status": "5", "loan_repayment_type": 2, "loan_repayments_per_year": 2, "loan_interest_rate_1": "0.75",
        "loan_first_repayment_date": "2034-03-01", "loan_final_repayment_date": "2054-03-01",
        "sdg_focus": "2.3; 6.4", "keywords": "irrigation; smallholders"}


@pytest.fixture
def malawi(api):
    return api.seed(lambda session: malawi_agriculture_programme(session, with_budget=False).id)


def test_a_loan_is_created_with_its_terms_and_changed_with_an_event(api, malawi):
    token = api.token(Role.ADMIN)
    created = api.post("/api/v1/activities", token, LOAN)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["tied_status"], body["loan_repayment_type"], body["loan_repayments_per_year"]) == ("5", 2, 2)
    assert body["loan_interest_rate_1"] == "0.75" and body["loan_interest_rate_2"] is None
    assert body["loan_final_repayment_date"] == "2054-03-01" and body["sdg_focus"] == "2.3;6.4"
    changed = api.patch(f"/api/v1/activities/{body['id']}", token, {
        "version": body["version"], "loan_interest_rate_2": "1.25", "loan_interest_rate_2_date": "2044-03-01",
        "tied_status": None})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["loan_interest_rate_2"] == "1.25" and changed.get_json()["tied_status"] is None
    event = api.query(lambda s: s.query(Event).filter(Event.type == "ActivityChanged").all())[-1]
    assert event.payload["changes"]["tied_status"] == {"before": "5", "after": None}


@pytest.mark.parametrize("overrides, field", [
    ({"tied_status": "6"}, "tied_status"),
    ({"tied_status": 5}, "tied_status"),
    ({"loan_repayment_type": "2"}, "loan_repayment_type"),
    ({"loan_repayment_type": 4}, "loan_repayment_type"),
    ({"loan_repayments_per_year": 13}, "loan_repayments_per_year"),
    ({"loan_repayments_per_year": True}, "loan_repayments_per_year"),
    ({"loan_interest_rate_1": 0.75}, "loan_interest_rate_1"),
    ({"loan_interest_rate_1": "-1"}, "loan_interest_rate_1"),
    ({"loan_interest_rate_1": "100.5"}, "loan_interest_rate_1"),
    ({"loan_interest_rate_1": "0,75"}, "loan_interest_rate_1"),
    ({"loan_interest_rate_1": "1e2"}, "loan_interest_rate_1"),
    ({"loan_interest_rate_1": "0.123456"}, "loan_interest_rate_1"),
    ({"loan_interest_rate_1": "101"}, "loan_interest_rate_1"),
    ({"loan_interest_rate_1": 101}, "loan_interest_rate_1"),
    ({"loan_interest_rate_1": "999.5"}, "loan_interest_rate_1"),
    ({"loan_interest_rate_1": "\u0661\u0662"}, "loan_interest_rate_1"),
    ({"loan_interest_rate_1": "12\n"}, "loan_interest_rate_1"),
    ({"loan_final_repayment_date": "2030-03-01"}, "loan_final_repayment_date"),
    ({"loan_first_repayment_date": "2023-03-01"}, "loan_first_repayment_date"),
    ({"loan_final_repayment_date": "9999-12-31"}, "loan_final_repayment_date"),
    ({"loan_interest_rate_2": "2"}, "loan_interest_rate_2_date"),
    ({"sdg_focus": "1;2;3;4;5;6;7;8;9;10;11"}, "sdg_focus"),
    ({"sdg_focus": "4.1;18"}, "sdg_focus"),
    ({"sdg_focus": "x" * 121}, "sdg_focus"),
    ({"sdg_focus": ["4.1"]}, "sdg_focus"),
    ({"keywords": "irrigation\nDROP TABLE activities"}, "keywords"),
    ({"keywords": "k" * 501}, "keywords"),
])
def test_bad_crs_record_values_are_422_naming_the_field_and_change_nothing(api, malawi, overrides, field):
    token = api.token(Role.ADMIN)
    before = api.counts(Activity, Event)
    error = assert_error(api.post("/api/v1/activities", token, {**LOAN, **overrides}), 422)
    assert field in error["details"]["json"], error
    assert api.counts(Activity, Event) == before


@pytest.mark.parametrize("rate", ["0", "100", "100.0000", "99.9999", 7])
def test_every_rate_the_document_allows_is_stored(api, malawi, rate):
    """Found by schemathesis: the document's pattern took 101–999, which the service refused (422)."""
    spec = api.get("/api/openapi.json").get_json()
    pattern = spec["components"]["schemas"]["ActivityCreate"]["properties"]["loan_interest_rate_1"]["pattern"]
    assert re.fullmatch(pattern, str(rate)) and not re.fullmatch(pattern, "101")
    created = api.post("/api/v1/activities", api.token(Role.ADMIN), {**LOAN, "loan_interest_rate_1": rate})
    assert created.status_code == 201, created.get_json()
    assert Decimal(created.get_json()["loan_interest_rate_1"]) == Decimal(str(rate))


def test_the_openapi_document_describes_the_crs_record(api):
    spec = api.get("/api/openapi.json").get_json()
    create = spec["components"]["schemas"]["ActivityCreate"]["properties"]
    assert create["loan_interest_rate_1"]["type"] == "string" and create["loan_interest_rate_1"]["example"] == "0.75"
    assert create["loan_repayment_type"]["enum"] == [1, 2, 3, 5, None] and create["loan_repayment_type"]["nullable"]
    assert create["tied_status"]["enum"] == ["3", "4", "5", None]
    assert create["loan_repayments_per_year"]["maximum"] == 12
    assert create["keywords"]["maxLength"] == 500
    shown = spec["components"]["schemas"]["Activity"]["properties"]
    assert {"sdg_focus", "keywords", "loan_final_repayment_date", "tied_status"} <= set(shown)
