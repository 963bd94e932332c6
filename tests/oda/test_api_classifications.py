"""The ODA API: classifications, one transaction's classification, overrides, reference lists."""
import pytest
from sqlalchemy import select

from app.auth.roles import Role
from app.events.models import Event
from oda.models import Classification, Override
from tests.builders.api import api, assert_error, pagination  # noqa: F401
from tests.builders.oda import seed_classified


@pytest.fixture
def world(api):
    return api.seed(seed_classified)


def test_list_filters_by_year_status_and_programme(api, world):
    token = api.token(Role.VIEWER)
    everything = api.get("/api/v1/classifications", token)
    assert everything.status_code == 200 and pagination(everything)["total"] == 3
    review = api.get("/api/v1/classifications?year=2023&status=needs_review", token).get_json()
    assert [r["transaction_id"] for r in review] == [world["review"]]
    multi = api.get("/api/v1/classifications?programme=MULTI", token).get_json()
    assert multi[0]["share"] == "0.6000000000" and multi[0]["oda_amount"] == "60000.00"


def test_a_programme_manager_sees_only_their_programmes(api, world):
    token = api.token(Role.PROGRAMME_MANAGER, world["malawi_programme"])
    rows = api.get("/api/v1/classifications", token).get_json()
    assert [r["transaction_id"] for r in rows] == [world["review"]]
    # as if it did not exist
    assert_error(api.get(f"/api/v1/transactions/{world['unesco']}/classification", token), 404)


def test_one_classification_explains_every_rule(api, world):
    body = api.get(f"/api/v1/transactions/{world['trainee']}/classification", api.token(Role.VIEWER)).get_json()
    assert body["status"] == "not_eligible" and body["oda_amount_eur"] == "0.00"
    assert [r["rule"] for r in body["reasons"]][:2] == ["official", "main_objective"]
    assert body["reasons"][1]["result"] == "fail"
    assert body["reference_version"] > 0 and body["rules_version"]
    assert body["override"] is None and body["overrides"] == []


def test_unknown_transaction_is_404(api, world):
    assert_error(api.get("/api/v1/transactions/999999/classification", api.token(Role.VIEWER)), 404)


def test_the_oda_officer_overrides_with_a_reason(api, world):
    token = api.token(Role.ODA_OFFICER)
    response = api.post(f"/api/v1/classifications/{world['review']}/override", token,
                        {"action": "set_share", "share": "75 %", "reason": "Staff costs: 75 % of time on ODA"})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["status"], body["oda_amount"], body["override"]["action"]) == ("eligible", "63000.00", "set_share")
    events = api.query(lambda s: s.scalars(select(Event).where(Event.type == "ClassificationOverridden")).all())
    assert events[0].actor.startswith("oda_officer")


@pytest.mark.parametrize("body, field", [
    ({"action": "accept"}, "reason"),
    ({"action": "accept", "reason": ""}, "reason"),
    ({"action": "approve", "reason": "x"}, "action"),
    ({"action": "set_share", "reason": "x", "share": "150"}, "share"),
    ({"action": "set_share", "reason": "x", "share": 0.75}, "share"),
    ({"action": "set_share", "reason": "x"}, "share"),
    ({"action": "accept", "reason": "x" * 5000}, "reason"),
    ({"action": "accept", "reason": "x", "surprise": 1}, "surprise"),
])
def test_bad_overrides_answer_422_and_change_nothing(api, world, body, field):
    response = api.post(f"/api/v1/classifications/{world['review']}/override", api.token(Role.ODA_OFFICER), body)
    error = assert_error(response, 422)
    assert field in str(error["details"]) or field in error["message"]
    assert api.count(Override) == 0
    assert api.query(lambda s: s.get(Classification, world["review"]).status) == "needs_review"


def test_only_the_oda_officer_may_override(api, world):
    body = {"action": "accept", "reason": "fine"}
    assert_error(api.post(f"/api/v1/classifications/{world['review']}/override", api.token(Role.FINANCE), body), 403)
    assert_error(api.post(f"/api/v1/classifications/{world['review']}/override", None, body), 401)


def test_reference_lists_are_paged(api, world):
    token = api.token(Role.VIEWER)
    annex2 = api.get("/api/v1/reference/annex2_coefficients?page_size=5", token)
    assert annex2.status_code == 200 and pagination(annex2)["total"] >= 20
    first = annex2.get_json()[0]
    assert set(first) >= {"channel_code", "year", "coefficient", "source"}
    rates = api.get("/api/v1/reference/exchange_rates", token).get_json()
    assert {"year": 2023, "currency": "EUR"}.items() <= rates[1].items() or any(
        r["year"] == 2023 and r["currency"] == "EUR" for r in rates)
    versions = api.get("/api/v1/reference/versions", token).get_json()
    assert versions[0]["origin"] == "curated"
    assert_error(api.get("/api/v1/reference/../../etc", token), 404)
    assert_error(api.get("/api/v1/reference/currencies", token), 404)
