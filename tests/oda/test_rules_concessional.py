"""Rule 3: grants are concessional; a standard loan is when its grant element reaches its group's
threshold; loans without terms and other instruments need review."""
from datetime import date
from decimal import Decimal

import pytest

from oda.rules import concessional, evaluate, rule_inputs
from oda.rules.base import FAIL, PASS, UNKNOWN
from tests.builders.oda import CERF_CORE, context, facts
from tests.builders.programmes import SOFT_LOAN_TERMS

#: a Flemish soft loan to Malawi (LDC): 30 years, 10 years' grace, 0.75 %, semi-annual annuity
SOFT_LOAN = dict(SOFT_LOAN_TERMS, commitment_date=date(2024, 3, 1))
#: five years, no grace, 6.5 %: market terms
HARD_TERMS = dict(SOFT_LOAN, loan_repayment_type=1, loan_interest_rate_1=Decimal("6.5"),
                  loan_first_repayment_date=date(2024, 9, 1), loan_final_repayment_date=date(2029, 3, 1))


def test_a_standard_grant_is_concessional():
    result = concessional.check(context(facts(finance_type="110"), 2020))
    assert result.result == PASS


@pytest.mark.parametrize("finance, name", [("510", "Common equity"), ("1100", "Guarantees")])
def test_other_instruments_need_review(finance, name):
    result = concessional.check(context(facts(finance_type=finance), 2020))
    assert result.result == UNKNOWN
    assert name in result.reason and "neither a grant nor a standard loan" in result.reason


def test_a_loan_without_terms_needs_review_and_says_which_terms_are_missing():
    result = concessional.check(context(facts(finance_type="421", commitment_date=date(2024, 3, 1)), 2024))
    assert result.result == UNKNOWN
    assert "Standard loan" in result.reason and "grant-element" in result.reason
    assert "the repayment type" in result.reason and "the final repayment date" in result.reason
    assert "the commitment date" not in result.reason


def test_a_soft_loan_to_an_ldc_is_concessional_with_its_grant_element():
    result = concessional.check(context(facts(**SOFT_LOAN), 2024))
    assert result.result == PASS
    assert "73.35 %" in result.reason and "9 %" in result.reason and "45 %" in result.reason
    assert result.facts["group"] == "LDC" and result.facts["grant_element"] == "0.733503"


def test_market_terms_are_not_concessional_for_an_umic_so_not_oda():
    loan = facts(**HARD_TERMS, recipient_code="218")  # South Africa, UMIC in 2024
    result = concessional.check(context(loan, 2024))
    assert result.result == FAIL
    assert "6 %" in result.reason and "below the 10 % threshold" in result.reason
    assert evaluate(context(loan, 2024)).status == "not_eligible"


def test_the_same_terms_are_measured_against_the_income_group_of_the_commitment_year():
    lmic = concessional.check(context(facts(**SOFT_LOAN, recipient_code="136"), 2024))  # Morocco, LMIC
    assert lmic.result == PASS and lmic.facts["discount_rate"] == "0.07" and lmic.facts["threshold"] == "0.15"


def test_a_loan_to_a_multilateral_institution_uses_5_percent_and_the_10_percent_threshold():
    loan = facts(CERF_CORE, **SOFT_LOAN)
    result = concessional.check(context(loan, 2024))
    assert result.facts["group"] == "multilateral" and result.facts["discount_rate"] == "0.05"
    assert "multilateral institutions" in result.reason


def test_a_loan_whose_recipient_has_no_income_group_needs_review():
    result = concessional.check(context(facts(**SOFT_LOAN, recipient_code="298"), 2024))  # Africa, regional
    assert result.result == UNKNOWN and "no income group for recipient 298 in 2024" in result.reason


@pytest.mark.parametrize("changes, problem", [
    ({"loan_repayment_type": 5}, "repayment type 5"),
    ({"loan_final_repayment_date": date(2030, 1, 1)}, "final repayment comes before the first"),
    ({"loan_interest_rate_1": Decimal("150")}, "between 0 and 100"),
])
def test_terms_that_cannot_be_computed_need_review(changes, problem):
    result = concessional.check(context(facts(**{**SOFT_LOAN, **changes}), 2024))
    assert result.result == UNKNOWN and problem in result.reason


def test_loan_terms_are_rule_inputs_only_for_loans():
    grant_a, grant_b = facts(commitment_date=date(2024, 1, 1)), facts(commitment_date=date(2024, 6, 1))
    assert rule_inputs(context(grant_a, 2024)) == rule_inputs(context(grant_b, 2024))
    soft, later = facts(**SOFT_LOAN), facts(**{**SOFT_LOAN, "loan_final_repayment_date": date(2050, 3, 1)})
    assert rule_inputs(context(soft, 2024)) != rule_inputs(context(later, 2024))
    memo: dict = {}
    assert evaluate(context(soft, 2024), memo).results != evaluate(context(later, 2024), memo).results
