"""The grouped review queue's pages: decide a group, undo, fix codes at the source; roles and CSRF."""
import re

import pytest
from sqlalchemy import select

from app.auth.roles import Role
from oda.models import Classification, DecisionState, Evaluation, GroupDecision
from tests.builders.oda import seed_classified
from tests.builders.web import csrf_token_from, web  # noqa: F401


@pytest.fixture
def world(web):
    ids = web.seed(seed_classified)
    explanation = web.query(lambda s: s.scalar(select(Evaluation.explanation_id).join(
        Classification, Classification.evaluation_id == Evaluation.id)
        .where(Classification.transaction_id == ids["review"])))
    activity = web.query(lambda s: s.get(Classification, ids["review"]).activity_id)
    return {**ids, "group": f"/oda/reviews/groups/{activity}/2023/{explanation}", "activity": activity}


def _error_of(html: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


def _decisions(web) -> list:
    return web.query(lambda s: [(d.state, d.status)
                                for d in s.scalars(select(GroupDecision).order_by(GroupDecision.id))])


def test_the_group_page_shows_the_reasons_and_the_lines(web, world):
    html = web.signed_in(Role.ODA_OFFICER).get(world["group"]).get_data(as_text=True)
    assert "74010" in html and "B-2023-0008" in html and "Decide the whole group" in html
    assert "Fix at the source" in html and 'list="dl-purpose_code"' in html and "<datalist" in html


def test_the_officer_rejects_a_group_and_undoes_it(web, world):
    client = web.signed_in(Role.ODA_OFFICER)
    response = client.post(f"{world['group']}/decision", data={"action": "reject", "reason": "Old project, not ODA"})
    assert response.status_code == 302
    assert _decisions(web) == [(DecisionState.ACTIVE, "not_eligible")]
    decision_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "B-2023-0008" in decision_page and "Undo the group decision" in decision_page
    line = client.get(f"/oda/transactions/{world['review']}").get_data(as_text=True)
    assert "follows the ODA officer's decision on its review group" in line
    assert "Nothing to review." in client.get("/oda/reviews?year=2023").get_data(as_text=True)
    decision_id = web.query(lambda s: s.scalar(select(GroupDecision.id)))
    refused = client.post(f"/oda/reviews/decisions/{decision_id}/undo", data={"reason": " "})
    assert refused.status_code == 422 and _error_of(refused.get_data(as_text=True), "undo-reason")
    undone = client.post(f"/oda/reviews/decisions/{decision_id}/undo", data={"reason": "Wrong group"})
    assert undone.status_code == 302 and _decisions(web) == [(DecisionState.UNDONE, "not_eligible")]
    assert "1 open group" in client.get("/oda/reviews?year=2023").get_data(as_text=True)


@pytest.mark.parametrize("form,field", [({"action": "reject", "reason": ""}, "reason"),
                                        ({"action": "set_share", "share": "abc", "reason": "x"}, "share"),
                                        ({"action": "set_share", "reason": "x"}, "share"),
                                        ({"action": "burn", "reason": "x"}, "action")])
def test_a_bad_group_decision_is_refused_with_its_message(web, world, form, field):
    response = web.signed_in(Role.ODA_OFFICER).post(f"{world['group']}/decision", data=form)
    assert response.status_code == 422 and _error_of(response.get_data(as_text=True), field)
    assert _decisions(web) == []


def test_fixing_the_purpose_code_from_the_queue_resolves_the_group(web, world):
    client = web.signed_in(Role.ODA_OFFICER)
    bad = client.post(f"{world['group']}/codes", data={"purpose_code": "99999"})
    assert bad.status_code == 422 and "99999" in _error_of(bad.get_data(as_text=True), "purpose_code")
    good = client.post(f"{world['group']}/codes", data={"purpose_code": "31120"})
    assert good.status_code == 302
    assert "Nothing to review." in client.get("/oda/reviews?year=2023").get_data(as_text=True)
    assert web.query(lambda s: s.get(Classification, world["review"]).status) == "eligible"


def test_a_viewer_may_not_see_or_decide_groups(web, world):
    client = web.signed_in(Role.VIEWER)
    assert client.get("/oda/reviews").status_code == 403
    assert client.get(world["group"]).status_code == 403
    assert client.post(f"{world['group']}/decision", data={"action": "reject", "reason": "x"}).status_code == 403
    assert client.post(f"{world['group']}/codes", data={"purpose_code": "31120"}).status_code == 403
    assert _decisions(web) == []


def test_the_group_forms_need_a_csrf_token(app, web, world):
    client = web.signed_in(Role.ODA_OFFICER)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        data = {"action": "reject", "reason": "Not ODA"}
        assert client.post(f"{world['group']}/decision", data=data).status_code == 400
        assert client.post(f"{world['group']}/codes", data={"purpose_code": "31120"}).status_code == 400
        token = csrf_token_from(client.get("/oda/reviews?year=2023").get_data(as_text=True))
        assert client.post(f"{world['group']}/decision", data={**data, "csrf_token": token}).status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert _decisions(web) == [(DecisionState.ACTIVE, "not_eligible")]


def test_the_filters_ignore_nonsense(web, world):
    client = web.signed_in(Role.ODA_OFFICER)
    for query in ("year=abc", "min_amount=-5", "rule=<script>", "programme=x", "min_amount=1e999", "page=-1"):
        assert client.get(f"/oda/reviews?{query}").status_code == 200
    assert "Nothing to review." in client.get("/oda/reviews?min_amount=90000").get_data(as_text=True)
    assert "74010" in client.get("/oda/reviews?rule=codes&reason=withdrawn").get_data(as_text=True)
