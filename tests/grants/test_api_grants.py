"""/api/v1/grants: the workflow over HTTP, roles and scopes, hostile input."""
from datetime import date

import pytest
from sqlalchemy import func, select

from app.auth.roles import Role
from grants.models import Application, Assessment
from tests.builders.grants import intern_application, vvn_application
from tests.builders.programmes import multilateral_portfolio
from tests.builders.users import user_with_role
from tests.grants.helpers import bearer

API = "/api/v1/grants"


@pytest.fixture
def tokens(session, unp, admin, viewer):
    elsewhere = multilateral_portfolio(session)
    outsider = user_with_role(session, Role.PROGRAMME_MANAGER, elsewhere.id, email="outsider@vlaanderen.test")
    session.commit()
    return {"assessor": bearer(session, unp.assessor), "approver": bearer(session, unp.approver),
            "admin": bearer(session, admin), "viewer": bearer(session, viewer), "outsider": bearer(session, outsider)}


def create(client, headers, unp, **overrides):
    body = {"scheme_id": unp.scheme.id, "call_id": unp.call.id, "organisation_name": "Vereniging voor de VN",
            "title": "SDG school campaign", "amount_requested": "40000.00", **overrides}
    return client.post(f"{API}/applications", json=body, headers=headers)


def test_a_grant_goes_from_application_to_payment_over_the_api(client, session, unp, tokens, monkeypatch):
    monkeypatch.setattr("grants.services.submit._today", lambda: date(2024, 2, 1))
    response = create(client, tokens["assessor"], unp)
    assert response.status_code == 201, response.json
    app_id = response.json["id"]
    assert response.json["status"] == "draft" and response.json["amount_requested"] == "40000.00"
    url = f"{API}/applications/{app_id}"
    assert client.post(f"{url}/submit", headers=tokens["assessor"]).json["status"] == "submitted"
    assert client.post(f"{url}/start-assessment", headers=tokens["assessor"]).status_code == 200
    checklist = {"seat_in_flanders": True, "budget_attached": True}
    scores = {"relevance": 9, "reach": 7, "budget": 4}
    response = client.post(f"{url}/assessments", json={"checklist": checklist, "scores": scores,
                                                       "recommendation": "approve"}, headers=tokens["assessor"])
    assert response.status_code == 201 and response.json["total_score"] == 20

    refused = client.post(f"{url}/decision", json={"outcome": "approve", "amount": "38000.00"},
                          headers=tokens["assessor"])
    assert refused.status_code == 403 and "four-eyes" in refused.json["error"]["message"]
    decided = client.post(f"{url}/decision", json={"outcome": "approve", "amount": "38000.00"},
                          headers=tokens["approver"])
    assert decided.status_code == 201 and decided.json["amount"] == "38000.00"
    committed = client.post(f"{url}/commitment", json={"commitment_date": "2024-03-01"}, headers=tokens["approver"])
    assert committed.status_code == 201 and committed.json["committed_amount"] == "38000.00"
    tranche = client.post(f"{url}/tranches", json={"due_date": "2024-03-15", "amount": "38000.00"},
                          headers=tokens["approver"]).json
    paid = client.post(f"{url}/payments", json={"tranche_id": tranche["id"], "paid_on": "2024-03-18",
                                                "amount": "38000.00", "document_number": "BK2024-0318"},
                       headers=tokens["approver"])
    assert paid.status_code == 201, paid.json
    detail = client.get(url, headers=tokens["viewer"]).json
    assert (detail["status"], detail["paid_amount"]) == ("committed", "38000.00")
    assert client.get(f"{url}/tranches", headers=tokens["viewer"]).json[0]["status"] == "paid"


def test_viewers_see_calls_and_non_personal_data_only(client, session, unp, ftp, tokens):
    intern = intern_application(session, ftp.scheme, full_name="Lotte Vandenbroucke", call=ftp.call)
    vvn_application(session, unp.scheme, unp.call)
    session.commit()
    assert client.get(f"{API}/calls", headers=tokens["viewer"]).status_code == 200
    listing = client.get(f"{API}/applications", headers=tokens["viewer"])
    assert listing.status_code == 200 and "Vandenbroucke" not in listing.get_data(as_text=True)
    detail = client.get(f"{API}/applications/{intern.id}", headers=tokens["viewer"]).json
    assert detail["restricted"] is True and "person" not in detail and "host_organisation" not in detail
    assert client.post(f"{API}/applications/{intern.id}/submit", headers=tokens["viewer"]).status_code == 403
    assert client.post(f"{API}/persons/{intern.person_id}/erase", headers=tokens["viewer"]).status_code == 403
    assert create(client, tokens["viewer"], unp).status_code == 403


def test_managers_of_the_scheme_see_the_person_others_do_not_see_the_scheme(client, session, ftp, tokens, unp):
    intern = intern_application(session, ftp.scheme, full_name="Lotte Vandenbroucke", call=ftp.call)
    manager = bearer(session, ftp.assessor)
    session.commit()
    detail = client.get(f"{API}/applications/{intern.id}", headers=manager).json
    assert detail["person"]["full_name"] == "Lotte Vandenbroucke" and detail["restricted"] is False
    # managers of other programmes get the answer of an id that does not exist
    assert client.get(f"{API}/applications/{intern.id}", headers=tokens["outsider"]).status_code == 404
    assert client.get(f"{API}/applications/{intern.id}", headers=tokens["assessor"]).status_code == 404
    assert client.get(f"{API}/applications", headers=tokens["outsider"]).json == []


def test_erasure_over_the_api(client, session, ftp):
    intern = intern_application(session, ftp.scheme, full_name="Lotte Vandenbroucke", call=ftp.call)
    manager = bearer(session, ftp.approver)
    session.commit()
    response = client.post(f"{API}/persons/{intern.person_id}/erase", headers=manager)
    assert response.status_code == 200 and response.json["applications"] == 1
    again = client.post(f"{API}/persons/{intern.person_id}/erase", headers=manager)
    assert again.status_code == 409 and again.json["error"]["code"] == "conflict"


def test_over_the_calls_budget_only_an_admin_overrides(client, session, unp, tokens, monkeypatch):
    monkeypatch.setattr("grants.services.submit._today", lambda: date(2024, 2, 1))
    app_id = create(client, tokens["assessor"], unp, amount_requested="160000.00").json["id"]
    url = f"{API}/applications/{app_id}"
    client.post(f"{url}/submit", headers=tokens["assessor"])
    client.post(f"{url}/start-assessment", headers=tokens["assessor"])
    client.post(f"{url}/assessments", json={"checklist": {"seat_in_flanders": True, "budget_attached": True},
                                           "scores": {"relevance": 9, "reach": 7, "budget": 4},
                                           "recommendation": "approve"}, headers=tokens["assessor"])
    over = {"outcome": "approve", "amount": "160000.00"}
    refused = client.post(f"{url}/decision", json=over, headers=tokens["approver"])
    assert refused.status_code == 409 and refused.json["error"]["details"] == {"json": {"amount": [
        refused.json["error"]["message"]]}}
    no_admin = client.post(f"{url}/decision", json={**over, "override_budget": True, "override_reason": "urgent"},
                           headers=tokens["approver"])
    assert no_admin.status_code == 403
    ok = client.post(f"{url}/decision", json={**over, "override_budget": True,
                                               "override_reason": "Government decision of 12 March"},
                     headers=tokens["admin"])
    assert ok.status_code == 201 and ok.json["budget_override"] is True


def test_anonymous_and_bad_tokens_get_401_in_the_error_shape(client, unp):
    for headers in ({}, {"Authorization": "Bearer al_nonsense"}):
        response = client.get(f"{API}/applications", headers=headers)
        assert response.status_code == 401
        assert set(response.json["error"]) == {"status", "code", "message", "details"}


@pytest.mark.parametrize("overrides, field", [
    ({"amount_requested": "1.001"}, "amount_requested"),
    ({"amount_requested": "-40000.00"}, "amount_requested"),
    ({"amount_requested": "NaN"}, "amount_requested"),
    ({"amount_requested": "1e999"}, "amount_requested"),
    ({"amount_requested": 0.1 + 0.2}, "amount_requested"),
    ({"amount_requested": ["40000"]}, "amount_requested"),
    ({"title": "x" * 301}, "title"),
    ({"title": "Campaign\x00"}, "title"),
    ({"scheme_id": "1"}, "scheme_id"),
    ({"recipient_code": "DROP TABLE"}, "recipient_code"),
    ({"crs_overrides": {"aid_type": "H01", "evil": "x"}}, "crs_overrides"),
    ({"is_admin": True}, "is_admin"),
])
def test_hostile_applications_are_refused_with_the_field_and_store_nothing(client, session, unp, tokens,
                                                                           overrides, field):
    response = create(client, tokens["assessor"], unp, **overrides)
    assert response.status_code == 422, response.json
    assert field in str(response.json["error"]["details"])
    assert session.scalar(select(func.count()).select_from(Application)) == 0


def test_markup_is_stored_as_text_and_malformed_bodies_are_refused(client, session, unp, tokens):
    response = create(client, tokens["assessor"], unp, title='<script>alert("x")</script>=cmd|calc')
    assert response.status_code == 201 and response.json["title"] == '<script>alert("x")</script>=cmd|calc'
    broken = client.post(f"{API}/applications", data="{not json", headers={**tokens["assessor"],
                                                                           "Content-Type": "application/json"})
    assert broken.status_code in (400, 422)
    app_id = response.json["id"]
    huge = {"checklist": {f"k{i}": True for i in range(5000)}, "scores": {}, "recommendation": "approve"}
    client.post(f"{API}/applications/{app_id}/submit", headers=tokens["assessor"])
    assert client.post(f"{API}/applications/{app_id}/assessments", json=huge,
                       headers=tokens["assessor"]).status_code in (409, 422)
    assert session.scalar(select(func.count()).select_from(Assessment)) == 0


def test_unknown_records_are_404_not_500(client, tokens):
    for url in ("/applications/999999", "/calls/999999", "/schemes/999999", "/applications/999999/tranches"):
        assert client.get(API + url, headers=tokens["viewer"]).status_code == 404
    assert client.post(f"{API}/tranches/999999/cancel", json={"reason": "x"},
                       headers=tokens["admin"]).status_code == 404


def test_schemes_are_created_by_admins_and_tuned_by_their_managers(client, session, unp, tokens):
    programme_id = unp.scheme.programme_id
    body = {"code": "UNP2", "name": "UN promoters (second window)", "kind": "un_promoters",
            "programme_id": programme_id, "crs_defaults": {"aid_type": "H01"}}
    assert client.post(f"{API}/schemes", json=body, headers=tokens["assessor"]).status_code == 403
    created = client.post(f"{API}/schemes", json=body, headers=tokens["admin"])
    assert created.status_code == 201 and created.json["four_eyes"] is True
    url = f"{API}/schemes/{unp.scheme.id}"
    version = client.get(url, headers=tokens["viewer"]).json["version"]
    tuned = client.patch(url, json={"reminder_days": 21, "version": version}, headers=tokens["assessor"])
    assert tuned.status_code == 200 and tuned.json["reminder_days"] == 21
    stale = client.patch(url, json={"reminder_days": 7, "version": version}, headers=tokens["assessor"])
    assert stale.status_code == 409 and stale.json["error"]["details"] == {"json": {"version": [
        stale.json["error"]["message"]]}}
    assert client.patch(url, json={"reminder_days": 7}, headers=tokens["assessor"]).status_code == 422
    refused = client.patch(url, json={"four_eyes": False, "version": version + 1}, headers=tokens["assessor"])
    assert refused.status_code == 403 and "only an admin" in refused.json["error"]["message"]
    for who, status in (("outsider", 404), ("viewer", 403)):  # another programme's scheme reads as missing
        assert client.patch(url, json={"reminder_days": 21, "version": version + 1},
                            headers=tokens[who]).status_code == status
    assert [s["code"] for s in client.get(f"{API}/schemes", headers=tokens["viewer"]).json] == ["UNP", "UNP2"]
    assert client.get(f"{API}/schemes", headers=tokens["outsider"]).json == []
