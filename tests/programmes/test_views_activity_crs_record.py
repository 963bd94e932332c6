"""The activity form: tied status, a loan's terms, SDG focus and keywords; bad input explained next to the field."""
from datetime import date
from decimal import Decimal

import pytest

from app.auth.roles import Role
from tests.builders.web import web  # noqa: F401
from tests.programmes.test_views_activity import URL, _activity, _error_of, _events, _form, portfolio  # noqa: F401

LOAN = {"finance_type": "421", "tied_status": "4", "loan_repayment_type": "2", "loan_repayments_per_year": "2",
        "loan_interest_rate_1": "0,75", "loan_interest_rate_2": "1.5", "loan_interest_rate_2_date": "2039-03-01",
        "loan_first_repayment_date": "2029-03-01", "loan_final_repayment_date": "2049-03-01",
        "sdg_focus": "2.3; 6.4", "keywords": "irrigation; smallholders"}


def test_a_manager_enters_loan_terms_and_the_page_shows_them_by_name(web, portfolio):
    client = web.signed_in(Role.PROGRAMME_MANAGER, portfolio["malawi"])
    response = client.post(URL, data=_form(web, **LOAN))
    assert response.status_code == 302, _error_of(response.get_data(as_text=True), "loan_interest_rate_1")
    a = _activity(web)
    assert (a.tied_status, a.loan_repayment_type, a.loan_repayments_per_year) == ("4", 2, 2)
    assert (a.loan_interest_rate_1, a.loan_interest_rate_2) == (Decimal("0.75"), Decimal("1.5"))
    assert a.loan_final_repayment_date == date(2049, 3, 1) and a.sdg_focus == "2.3;6.4"
    html = client.get(URL).get_data(as_text=True)
    assert "Annuity" in html and "Tied" in html and "2.3;6.4" in html
    assert '<option value="2" selected>2 – Annuity</option>' in html
    assert 'name="loan_interest_rate_1" type="text" value="0.75"' in html
    dutch = web.signed_in(Role.PROGRAMME_MANAGER, portfolio["malawi"])
    dutch.post("/language", data={"locale": "nl", "next": URL})
    page = dutch.get(URL).get_data(as_text=True)
    assert "Gebonden status" in page and "Annuïteit" in page and "Leningsvoorwaarden" in page


@pytest.mark.parametrize("changes, field, message", [
    ({"tied_status": "7"}, "tied_status", "Not a valid choice"),
    ({"loan_repayment_type": "4"}, "loan_repayment_type", "Not a valid choice"),
    ({"loan_repayments_per_year": "52"}, "loan_repayments_per_year", "Not a valid choice"),
    ({"loan_interest_rate_1": "-1"}, "loan_interest_rate_1", "Enter the rate in percent a year"),
    ({"loan_interest_rate_1": "100.5"}, "loan_interest_rate_1", "Enter the rate in percent a year"),
    ({"loan_interest_rate_1": "0.75%; DROP"}, "loan_interest_rate_1", "Enter the rate in percent a year"),
    ({"loan_final_repayment_date": "2028-03-01"}, "loan_final_repayment_date", "The final repayment comes before"),
    ({"loan_first_repayment_date": "2019-01-01"}, "loan_first_repayment_date", "after the commitment date"),
    ({"loan_interest_rate_2_date": ""}, "loan_interest_rate_2_date", "A second interest rate needs the date"),
    ({"sdg_focus": "1;2;3;4;5;6;7;8;9;10;11"}, "sdg_focus", "At most 10 SDG goals or targets."),
    ({"sdg_focus": "4.1;<b>18</b>"}, "sdg_focus", "is not an SDG goal or target"),
    ({"keywords": "water\x07"}, "keywords", "One line of text, without control characters."),
    ({"keywords": "k" * 501}, "keywords", "At most 500 characters."),
])
def test_bad_loan_terms_and_codes_are_explained_next_to_the_field_and_change_nothing(web, portfolio, changes,
                                                                                     field, message):
    client = web.signed_in(Role.PROGRAMME_MANAGER, portfolio["malawi"])
    before = _events(web)
    response = client.post(URL, data=_form(web, **{**LOAN, **changes}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in _error_of(html, field), _error_of(html, field)
    assert "<b>18</b>" not in html
    assert _events(web) == before and _activity(web).loan_repayment_type is None
