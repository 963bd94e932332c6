"""The review groups API: list by cause, decide a group, undo; roles and bad input."""
import pytest
from sqlalchemy import func, select

from app.auth.roles import Role
from app.events.models import Event
from oda.models import Classification, GroupDecision
from tests.builders.api import api, assert_error, pagination  # noqa: F401
from tests.builders.oda import seed_classified


@pytest.fixture
def world(api):
    return api.seed(seed_classified)


def _group(api, token) -> dict:
    groups = api.get("/api/v1/review-groups?year=2023", token).get_json()
    assert len(groups) == 1
    return groups[0]


def test_the_groups_are_listed_with_their_reasons_and_filtered(api, world):
    token = api.token(Role.ODA_OFFICER)
    response = api.get("/api/v1/review-groups", token)
    assert response.status_code == 200 and pagination(response)["total"] == 1
    group = response.get_json()[0]
    assert (group["year"], group["lines"], group["amount_eur"], group["decision"]) == (2023, 1, "84000.00", None)
    assert [r["rule"] for r in group["reasons"]] == ["codes"] and "74010" in group["reasons"][0]["reason"]
    assert api.get("/api/v1/review-groups?rule=recipient", token).get_json() == []
    assert api.get("/api/v1/review-groups?min_amount=84000.01", token).get_json() == []
    assert api.get("/api/v1/review-groups?programme=MULTI", token).get_json() == []
    assert len(api.get("/api/v1/review-groups?programme=MWI-CSP3&reason=withdrawn", token).get_json()) == 1
    assert_error(api.get("/api/v1/review-groups?min_amount=-1", token), 422)
    assert_error(api.get("/api/v1/review-groups?year=99999", token), 422)


def test_a_group_decision_and_its_undo(api, world):
    token = api.token(Role.ODA_OFFICER)
    group = _group(api, token)
    body = {"activity_id": group["activity_id"], "year": 2023, "explanation_id": group["explanation_id"],
            "action": "reject", "reason": "Old project, not ODA"}
    created = api.post("/api/v1/review-groups/decisions", token, body)
    assert created.status_code == 201, created.get_data(as_text=True)
    decision = created.get_json()
    assert (decision["status"], decision["state"], decision["basis_status"]) == (
        "not_eligible", "active", "needs_review")
    assert api.get("/api/v1/review-groups?year=2023", token).get_json() == []
    line = api.get(f"/api/v1/transactions/{world['review']}/classification", token).get_json()
    assert line["status"] == "not_eligible"
    undone = api.post(f"/api/v1/review-groups/decisions/{decision['id']}/undo", token, {"reason": "Wrong group"})
    assert undone.status_code == 200 and undone.get_json()["state"] == "undone"
    assert_error(api.post(f"/api/v1/review-groups/decisions/{decision['id']}/undo", token, {"reason": "x"}), 409)
    assert len(api.get("/api/v1/review-groups?year=2023", token).get_json()) == 1
    types = api.query(lambda s: [e.type for e in s.scalars(select(Event).where(Event.type.like("ReviewGroup%")))])
    assert types == ["ReviewGroupDecided", "ReviewGroupDecisionUndone"]


@pytest.mark.parametrize("change,status", [({"action": "burn"}, 422), ({"reason": ""}, 422),
                                           ({"share": 0.5, "action": "set_share"}, 422),
                                           ({"action": "set_share", "share": "150 %"}, 422),
                                           ({"explanation_id": 999999}, 404), ({"activity_id": 999999}, 404),
                                           ({"year": "twenty"}, 422)])
def test_bad_group_decisions_are_refused_and_change_nothing(api, world, change, status):
    token = api.token(Role.ODA_OFFICER)
    group = _group(api, token)
    body = {"activity_id": group["activity_id"], "year": 2023, "explanation_id": group["explanation_id"],
            "action": "reject", "reason": "x", **change}
    assert_error(api.post("/api/v1/review-groups/decisions", token, body), status)
    assert api.query(lambda s: s.scalar(select(func.count()).select_from(GroupDecision))) == 0
    assert api.query(lambda s: s.get(Classification, world["review"]).status) == "needs_review"


def test_only_the_oda_officer_decides_groups(api, world):
    group = _group(api, api.token(Role.ODA_OFFICER))
    body = {"activity_id": group["activity_id"], "year": 2023, "explanation_id": group["explanation_id"],
            "action": "reject", "reason": "x"}
    for role in (Role.VIEWER, Role.FINANCE):
        token = api.token(role)
        assert_error(api.get("/api/v1/review-groups", token), 403)
        assert_error(api.post("/api/v1/review-groups/decisions", token, body), 403)
    assert_error(api.post("/api/v1/review-groups/decisions", None, body), 401)
    assert api.query(lambda s: s.scalar(select(func.count()).select_from(GroupDecision))) == 0
