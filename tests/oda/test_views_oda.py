"""ODA pages: review queue, a transaction's classification and the decision form, reference data."""
import re

import pytest

from app.auth.roles import Role
from oda.models import Classification, Override
from tests.builders.oda import seed_classified
from tests.builders.web import csrf_token_from, web  # noqa: F401


@pytest.fixture
def world(web):
    return web.seed(seed_classified)


def _error_of(html: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


def test_the_review_queue_lists_the_open_groups_with_their_reasons(web, world):
    html = web.signed_in(Role.ODA_OFFICER).get("/oda/reviews?year=2023").get_data(as_text=True)
    assert "ODA review queue" in html and "1 line of 2023 needs review." in html
    assert "1 open group" in html and "74010" in html  # the withdrawn purpose code, inline
    assert "B-2023-0005" not in html  # an eligible line is in no group


def test_the_review_queue_is_for_the_oda_officer(web, world):
    assert web.signed_in(Role.VIEWER).get("/oda/reviews").status_code == 403


def test_a_transactions_classification_shows_every_reason(web, world):
    html = web.signed_in(Role.VIEWER).get(f"/oda/transactions/{world['unesco']}").get_data(as_text=True)
    assert "Core contribution to UNESCO (41304): 60 % of it is ODA" in html
    assert "Main objective" in html and "Reference data version" in html
    assert "Your decision" not in html, "viewers cannot decide"


def test_the_officer_sets_a_share_with_a_reason(web, world):
    client = web.signed_in(Role.ODA_OFFICER)
    page = client.get(f"/oda/transactions/{world['review']}").get_data(as_text=True)
    assert "Your decision" in page
    response = client.post(f"/oda/transactions/{world['review']}/override",
                           data={"action": "set_share", "share": "75", "reason": "75 % of staff time is ODA"})
    assert response.status_code == 302
    result = web.query(lambda s: s.get(Classification, world["review"]))
    assert (result.status, str(result.oda_amount)) == ("eligible", "63000.00")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "75 % of staff time is ODA" in html


@pytest.mark.parametrize("form, field", [
    ({"action": "accept", "reason": ""}, "reason"),
    ({"action": "set_share", "reason": "why"}, "share"),
    ({"action": "set_share", "share": "=cmd|' /C calc'!A0", "reason": "why"}, "share"),
    ({"action": "set_share", "share": "150", "reason": "why"}, "share"),
    ({"reason": "why"}, "action"),
])
def test_a_decision_without_reason_or_with_a_bad_share_is_refused(web, world, form, field):
    client = web.signed_in(Role.ODA_OFFICER)
    response = client.post(f"/oda/transactions/{world['review']}/override", data=form)
    assert response.status_code == 422
    assert _error_of(response.get_data(as_text=True), field)
    assert web.query(lambda s: s.query(Override).count()) == 0


def test_the_decision_form_needs_a_csrf_token(app, web, world):
    client = web.signed_in(Role.ODA_OFFICER)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/oda/transactions/{world['review']}/override",
                               data={"action": "accept", "reason": "fine"})
        assert response.status_code == 400
        page = client.get(f"/oda/transactions/{world['review']}").get_data(as_text=True)
        ok = client.post(f"/oda/transactions/{world['review']}/override",
                         data={"action": "accept", "reason": "fine", "csrf_token": csrf_token_from(page)})
        assert ok.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_the_officer_sets_a_reporting_deadline(web, world):
    client = web.signed_in(Role.ODA_OFFICER)
    response = client.post("/oda/reviews/deadline", data={"year": "2023", "deadline": "2024-06-30",
                                                           "remind_days": "45"})
    assert response.status_code == 302
    html = client.get("/oda/reviews?year=2023").get_data(as_text=True)
    assert "Reporting deadline: Jun 30, 2024." in html
    bad = client.post("/oda/reviews/deadline", data={"year": "2023", "deadline": "2022-01-01"})
    assert bad.status_code == 422


def test_the_reference_pages_say_what_is_loaded_which_version_and_when(web, world):
    client = web.signed_in(Role.VIEWER)
    html = client.get("/oda/reference").get_data(as_text=True)
    assert "Annex 2 coefficients" in html and "curated" in html and "Recent versions" in html
    listing = client.get("/oda/reference/annex2_coefficients").get_data(as_text=True)
    assert "41304" in listing and "0.6000000000" in listing
    assert client.get("/oda/reference/nothing").status_code == 404


def test_rates_set_one_by_one_are_not_called_never_loaded(web):
    from decimal import Decimal

    from app.rates.services import set_rate

    web.seed(lambda session: set_rate(session, 2023, "MWK", Decimal("1161.0925000000"), "DAC annual average"))
    client = web.signed_in(Role.VIEWER)
    client.post("/language", data={"locale": "nl", "next": "/"})
    html = client.get("/oda/reference").get_data(as_text=True)
    row = html[html.index(">Wisselkoersen<"):]
    row = row[:row.index("</tr>")]
    assert "nooit geladen" not in row
    assert "koers per koers vastgelegd" in row and "ingevoerd door een medewerker" in row
    assert "wijzigingen in het auditlogboek" in row
