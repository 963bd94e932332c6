"""The rest of an activity's CRS record (tied status, loan terms, SDG focus, keywords), checked by
the activity service whatever the way in; a refused value leaves the activity as it was."""
from datetime import date
from decimal import Decimal

import pytest

from app.errors import ValidationError
from programmes.services.activities import update_activity
from tests.builders.programmes import irrigation_soft_loan, malawi_agriculture_programme


@pytest.fixture
def loan(session):
    return irrigation_soft_loan(session, malawi_agriculture_programme(session, with_budget=False))


def test_a_soft_loan_keeps_its_terms_and_record(loan):
    assert (loan.tied_status, loan.loan_repayment_type, loan.loan_repayments_per_year) == ("5", 2, 2)
    assert loan.loan_interest_rate_1 == Decimal("0.75") and loan.loan_final_repayment_date == date(2054, 3, 1)
    assert loan.sdg_focus == "2.3;6.4" and loan.keywords == "irrigation; smallholders"


def test_sdg_focus_is_normalised_to_the_crs_form(session, loan):
    update_activity(session, loan, sdg_focus=" 2.3, 6.4 ;5.A 2.3 ")
    assert loan.sdg_focus == "2.3;6.4;5.a"
    update_activity(session, loan, sdg_focus="  ")
    assert loan.sdg_focus is None


@pytest.mark.parametrize("changes, field, message", [
    ({"tied_status": "6"}, "tied_status", "3 (partially untied), 4 (tied), 5 (untied)"),
    ({"tied_status": "untied"}, "tied_status", "tied status"),
    ({"loan_repayment_type": 4}, "loan_repayment_type", "1 (equal principal)"),
    ({"loan_repayment_type": "2"}, "loan_repayment_type", "whole number"),
    ({"loan_repayments_per_year": 0}, "loan_repayments_per_year", "1 to 12"),
    ({"loan_repayments_per_year": 365}, "loan_repayments_per_year", "1 to 12"),
    ({"loan_interest_rate_1": Decimal("-0.5")}, "loan_interest_rate_1", "between 0 and 100"),
    ({"loan_interest_rate_1": Decimal("100.01")}, "loan_interest_rate_1", "between 0 and 100"),
    ({"loan_interest_rate_1": 0.75}, "loan_interest_rate_1", "not a floating-point"),
    ({"loan_interest_rate_1": "NaN"}, "loan_interest_rate_1", "between 0 and 100"),
    ({"loan_interest_rate_1": Decimal("0.123456")}, "loan_interest_rate_1", "at most 4 decimals"),
    ({"loan_interest_rate_2": Decimal("2")}, "loan_interest_rate_2_date", "needs the date"),
    ({"loan_final_repayment_date": date(2033, 9, 1)}, "loan_final_repayment_date", "before the first"),
    ({"loan_first_repayment_date": date(2024, 3, 1)}, "loan_first_repayment_date", "after the commitment"),
    ({"sdg_focus": ";".join(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"])}, "sdg_focus",
     "at most 10"),
    ({"sdg_focus": "18"}, "sdg_focus", "not an SDG goal or target: '18'"),
    ({"sdg_focus": "4.e"}, "sdg_focus", "not an SDG goal or target"),
    ({"sdg_focus": "<script>alert(1)</script>"}, "sdg_focus", "not an SDG goal or target"),
    ({"keywords": "irrigation\x00; drop table"}, "keywords", "control characters"),
    ({"keywords": "x" * 501}, "keywords", "at most 500"),
])
def test_bad_values_are_refused_with_the_field_named(session, loan, changes, field, message):
    with pytest.raises(ValidationError) as refused:
        with session.begin_nested():
            update_activity(session, loan, **changes)
    assert refused.value.field == field and message in refused.value.message
    session.refresh(loan)
    assert loan.loan_repayment_type == 2 and loan.sdg_focus == "2.3;6.4" and loan.tied_status == "5"
