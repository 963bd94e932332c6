"""The grants pages in the site's design: tables with the applicant organisation, statuses in
words, empty states; the fast track refused to the person who registered and submitted, through
the pages, with the names of who may decide."""
from datetime import date

import pytest
from sqlalchemy import select

from grants.models import Application
from tests.builders.grants import vvn_application
from tests.builders.web import web  # noqa: F401
from tests.grants.helpers import login


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    for module in ("submit", "commit", "payments", "reports", "changes", "close"):
        monkeypatch.setattr(f"grants.services.{module}._today", lambda: date(2024, 6, 1))
    for module in ("pages", "applications", "schedule"):
        monkeypatch.setattr(f"grants.views.{module}.today", lambda: date(2024, 6, 1))


def test_the_list_shows_the_organisation_and_the_status_in_words(client, session, unp):
    vvn_application(session, unp.scheme, unp.call, name="Vereniging voor de Verenigde Naties")
    session.commit()
    login(client, unp.assessor)
    html = client.get("/grants/applications").get_data(as_text=True)
    table = html[html.index('<table class="data applications">'):]
    row = table[table.index("<tbody>"):table.index("</tr>", table.index("<tbody>"))]
    assert "Vereniging voor de Verenigde Naties" in row and "SDG school campaign in Flanders" in row
    assert ">Draft</span>" in row and "status-pill" in row
    assert 'class="table-wrap"' in html and '<th scope="col">' in html
    empty = client.get("/grants/applications?q=nothing-like-this").get_data(as_text=True)
    assert 'class="empty-state"' in empty


def test_the_fast_track_through_the_pages_is_decided_by_someone_else(client, session, hum):
    session.commit()
    login(client, hum.assessor)
    created = client.post(f"/grants/schemes/{hum.scheme.id}/applications/new", data={
        "organisation_name": "Caritas International", "title": "Cholera response in Beira",
        "start_date": "2024-06-01", "end_date": "2024-12-31", "amount_requested": "250000.00"})
    assert created.status_code == 302, created.get_data(as_text=True)[:2000]
    application = session.scalar(select(Application).where(Application.title == "Cholera response in Beira"))
    url = f"/grants/applications/{application.id}"
    assert client.post(f"{url}/submit").status_code == 302
    refused = client.post(f"{url}/decide", data={"outcome": "approve", "amount": "250000.00"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 403 and "four-eyes" in text and hum.approver.email in text
    assert client.post(f"{url}/decide", data={"outcome": "reject", "reason": "No"}).status_code == 403
    client.post("/logout")
    login(client, hum.approver)
    assert client.post(f"{url}/decide", data={"outcome": "approve", "amount": "250000.00"}).status_code == 302
    detail = client.get(url).get_data(as_text=True)
    assert "Caritas International" in detail and ">Approved</span>" in detail


def test_statuses_read_in_dutch(web):
    from app.auth.roles import Role
    from tests.builders.grants import awareness_call, un_promoters_scheme

    def build(session):
        scheme = un_promoters_scheme(session)
        vvn_application(session, scheme, awareness_call(session, scheme))

    web.seed(build)
    dutch = web.signed_in(Role.VIEWER, locale="nl").get("/grants/applications").get_data(as_text=True)
    assert ">Ontwerp</span>" in dutch and "In beoordeling" in dutch  # the status and the filter's choices
    assert "Vereniging voor de Verenigde Naties" in dutch
