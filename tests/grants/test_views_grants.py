"""The grants pages: who sees what, the forms of the workflow, CSRF and hostile input."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.auth.roles import Role
from grants.models import Application, Person, Tranche
from grants.services.reports import add_interim_report
from grants.services.schedule import schedule_tranche
from tests.builders.grants import committed, intern_application, vvn_application
from tests.builders.programmes import multilateral_portfolio
from tests.builders.users import user_with_role
from tests.grants.helpers import login


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """The pages and services decide with "today"; the 2024 call is open then."""
    for module in ("submit", "commit", "payments", "reports", "changes", "close"):
        monkeypatch.setattr(f"grants.services.{module}._today", lambda: date(2024, 6, 1))
    for module in ("pages", "applications", "schedule"):
        monkeypatch.setattr(f"grants.views.{module}.today", lambda: date(2024, 6, 1))


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def test_anonymous_users_are_sent_to_the_login_page(client, unp):
    for url in ("/grants/", "/grants/calls", "/grants/applications"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_viewer_sees_calls_and_applications_without_the_interns_identity(client, session, unp, ftp, viewer):
    intern = intern_application(session, ftp.scheme, full_name="Lotte Vandenbroucke", call=ftp.call)
    vvn_application(session, unp.scheme, unp.call)
    session.commit()
    login(client, viewer)
    assert "UNP-2024" in page(client, "/grants/")
    listing = page(client, "/grants/applications")
    assert "SDG school campaign" in listing and "Vandenbroucke" not in listing
    detail = page(client, f"/grants/applications/{intern.id}")
    assert "Vandenbroucke" not in detail and "lotte.v@example.be" not in detail and "FAO" not in detail
    assert "visible to the scheme" in detail
    assert "Next steps" not in detail and "Erase" not in detail
    assert client.post(f"/grants/applications/{intern.id}/submit").status_code == 403
    assert client.get(f"/grants/applications/{intern.id}/assess").status_code == 403


def test_the_schemes_manager_sees_the_person_and_another_programmes_manager_nothing(client, session, ftp):
    intern = intern_application(session, ftp.scheme, full_name="Lotte Vandenbroucke", call=ftp.call)
    outsider = user_with_role(session, Role.PROGRAMME_MANAGER, multilateral_portfolio(session).id,
                              email="outsider@vlaanderen.test")
    session.commit()
    login(client, ftp.assessor)
    assert "Lotte Vandenbroucke" in page(client, f"/grants/applications/{intern.id}")
    client.post("/logout")
    login(client, outsider)
    assert client.get(f"/grants/applications/{intern.id}").status_code == 404  # as if it did not exist
    assert "FTP-2024-001" not in page(client, "/grants/applications")


def test_the_workflow_through_the_forms(client, session, unp):
    application = vvn_application(session, unp.scheme, unp.call)
    session.commit()
    url = f"/grants/applications/{application.id}"
    login(client, unp.assessor)
    assert client.post(f"{url}/submit").status_code == 302
    assert client.post(f"{url}/start-assessment").status_code == 302
    assert "Strong reach" not in page(client, f"{url}/assess")
    response = client.post(f"{url}/assess", data={
        "check_seat_in_flanders": "yes", "check_budget_attached": "yes", "score_relevance": "9",
        "score_reach": "8", "score_budget": "4", "recommendation": "approve", "recommended_amount": "36 duizend"})
    assert response.status_code == 422 and "not an amount: &#39;36 duizend&#39;" in response.get_data(as_text=True)
    response = client.post(f"{url}/assess", data={
        "check_seat_in_flanders": "yes", "check_budget_attached": "yes", "score_relevance": "9",
        "score_reach": "8", "score_budget": "4", "recommendation": "approve", "recommended_amount": "36.000,00",
        "comment": "Strong reach"})
    assert response.status_code == 302
    refused = client.post(f"{url}/decide", data={"outcome": "approve", "amount": "36000.00"})
    assert refused.status_code == 403 and "four-eyes" in refused.get_data(as_text=True)
    client.post("/logout")

    login(client, unp.approver)
    assert client.post(f"{url}/decide", data={"outcome": "approve", "amount": "36000.00"}).status_code == 302
    assert client.post(f"{url}/commit", data={"commitment_date": "2024-03-01"}).status_code == 302
    assert client.post(f"{url}/tranches", data={"due_date": "15/03/2024", "amount": "30.000,00"}).status_code == 302
    schedule = page(client, f"{url}/schedule")
    assert "30.000,00" in schedule or "30,000.00" in schedule
    tranche_id = session.scalar(select(func.max(Tranche.id)))
    too_much = client.post(f"{url}/payments", data={"tranche_id": tranche_id, "paid_on": "2024-03-18",
                                                    "amount": "30000.01", "document_number": "BK-1"})
    assert too_much.status_code == 409 and "more than" in too_much.get_data(as_text=True)
    assert client.post(f"{url}/payments", data={"tranche_id": tranche_id, "paid_on": "2024-03-18",
                                                "amount": "30000.00", "document_number": "BK-1"}).status_code == 302
    assert client.post(f"{url}/final-report", data={"due_date": "2024-05-31"}).status_code == 302
    session.expire_all()
    assert session.get(Application, application.id).status == "final_report_due"
    refused = client.post(f"{url}/close")
    assert refused.status_code == 422 and "final report" in refused.get_data(as_text=True)


def test_an_overdue_report_shows_on_the_overview_with_the_tranche_it_blocks(client, session, unp):
    application = committed(session, vvn_application(session, unp.scheme, unp.call), unp.assessor, unp.approver)
    schedule_tranche(session, application, date(2024, 6, 20), Decimal("20000.00"))
    add_interim_report(session, application, date(2024, 5, 15))
    session.commit()
    login(client, unp.assessor)
    overview = page(client, "/grants/")
    assert "Overdue reports" in overview and application.reference in overview
    assert "the interim report due 2024-05-15 is overdue" in overview


def test_forms_need_a_csrf_token(app, client, session, unp):
    application = vvn_application(session, unp.scheme, unp.call)
    session.commit()
    login(client, unp.assessor)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/grants/applications/{application.id}/submit")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    session.expire_all()
    assert session.get(Application, application.id).status == "draft"


def test_hostile_input_in_a_new_application_is_escaped_or_refused(client, session, unp):
    session.commit()
    login(client, unp.assessor)
    url = f"/grants/schemes/{unp.scheme.id}/applications/new"
    assert "Organisation" in page(client, url)
    for bad in ({"amount_requested": "1e999"}, {"amount_requested": "12.345"}, {"title": "x" * 400},
                {"recipient_code": "<b>1</b>"}, {"start_date": "12/31/2024"}, {"start_date": "=1+1"},
                {"amount_requested": "9" * 5000}, {"amount_requested": "USD 10"}):
        data = {"organisation_name": "Attackers vzw", "title": "t", "amount_requested": "10.00", **bad}
        response = client.post(url, data=data)
        assert response.status_code == 422, bad
    assert session.scalar(select(func.count()).select_from(Application)) == 0
    response = client.post(url, data={"organisation_name": "Vzw <img src=x onerror=alert(1)>",
                                      "title": "<script>alert('x')</script>", "amount_requested": "10.00",
                                      "call_id": str(unp.call.id)})
    assert response.status_code == 302
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert" not in detail and "&lt;script&gt;" in detail


def test_search_and_paging_take_any_text(client, session, unp, viewer):
    vvn_application(session, unp.scheme, unp.call)
    session.commit()
    login(client, viewer)
    assert "SDG school campaign" in page(client, "/grants/applications?q=SDG")
    for query in ("?q=%25_%25", "?q=' OR 1=1 --", "?page=-4&per_page=999999", "?scheme_id=abc&status=evil"):
        assert client.get("/grants/applications" + query).status_code == 200


def test_erasure_from_the_page_needs_the_typed_confirmation(client, session, ftp):
    intern = intern_application(session, ftp.scheme, full_name="Lotte Vandenbroucke", call=ftp.call)
    session.commit()
    login(client, ftp.approver)
    assert "Erase personal data" in page(client, f"/grants/applications/{intern.id}")
    refused = client.post(f"/grants/persons/{intern.person_id}/erase", data={"confirm": "yes"})
    assert refused.status_code == 422
    assert client.post(f"/grants/persons/{intern.person_id}/erase", data={"confirm": "ERASE"}).status_code == 302
    session.expire_all()
    assert session.get(Person, intern.person_id).full_name == "(erased)"
    assert "Vandenbroucke" not in page(client, f"/grants/applications/{intern.id}")


def test_opening_a_call_from_the_browser(client, session, unp, viewer):
    session.commit()
    login(client, unp.approver)
    response = client.post("/grants/calls/new", data={
        "scheme_id": str(unp.scheme.id), "code": "UNP-2025", "title": "UN promoters 2025", "year": "2025",
        "budget_ceiling": "175000.00", "opens_on": "2025-01-15", "closes_on": "2025-03-31"})
    assert response.status_code == 302
    assert "UNP-2025" in page(client, "/grants/calls")
    duplicate = client.post("/grants/calls/new", data={
        "scheme_id": str(unp.scheme.id), "code": "UNP-2025", "title": "again", "year": "2025",
        "budget_ceiling": "1.00", "opens_on": "2025-01-15"})
    assert duplicate.status_code == 422 and "exists already" in duplicate.get_data(as_text=True)
    client.post("/logout")
    login(client, viewer)
    assert client.get("/grants/calls/new").status_code == 403


def test_a_dutch_user_types_a_grant_amount_in_dutch_and_reads_errors_in_dutch(client, session, unp):
    session.commit()
    login(client, unp.assessor)
    client.post("/language", data={"locale": "nl", "next": "/"})
    url = f"/grants/schemes/{unp.scheme.id}/applications/new"
    base = {"organisation_name": "Vlaamse Vereniging voor de VN", "title": "Jongerenwerking",
            "call_id": str(unp.call.id)}
    refused = client.post(url, data={**base, "amount_requested": "twaalfduizend"})
    assert refused.status_code == 422
    assert "geen bedrag: &#39;twaalfduizend&#39;" in refused.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Application)) == 0
    assert client.post(url, data={**base, "amount_requested": "12.500,00"}).status_code == 302
    assert session.scalar(select(Application.amount_requested)) == Decimal("12500.00")
