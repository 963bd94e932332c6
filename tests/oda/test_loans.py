"""The grant element of a loan, checked against explicit cash-flow discounting and the DAC's formula."""
from datetime import date
from decimal import Decimal

import pytest

from oda import loans
from oda.loans import ANNUITY, EQUAL_PRINCIPAL, LUMP_SUM, LoanTerms, assess, grant_element

COMMITTED = date(2024, 3, 1)


def _terms(kind=ANNUITY, per_year=2, rate="0.75", first=date(2034, 3, 1), final=date(2054, 3, 1),
           rate_2=None, rate_2_date=None) -> LoanTerms:
    return LoanTerms(kind, per_year, Decimal(rate), None if rate_2 is None else Decimal(rate_2), rate_2_date,
                     COMMITTED, first, final)


def _explicit_grant_element(kind, per_year, annual_rate, first_period, final_period, discount, step=None):
    """1 − the present value of every payment the borrower makes, the schedule built payment by
    payment as a lender's table would show it (floats: an independent computation)."""
    q = annual_rate / 100 / per_year
    n = final_period - first_period + 1
    balance, present_value = 1.0, 0.0
    instalment = q / (1 - (1 + q) ** -n) if q else 1 / n
    for period in range(1, final_period + 1):
        if step is not None and period > step[0]:
            q = step[1] / 100 / per_year
            if period == step[0] + 1 and kind == ANNUITY and period >= first_period:
                instalment = balance * q / (1 - (1 + q) ** -(final_period - period + 1))
        interest = balance * q
        if period < first_period:
            principal = 0.0
        elif kind == EQUAL_PRINCIPAL:
            principal = 1 / n
        elif kind == ANNUITY:
            principal = instalment - interest
        else:
            principal = balance if period == final_period else 0.0
        balance -= principal
        present_value += (interest + principal) / (1 + discount) ** (period / per_year)
    assert abs(balance) < 1e-9, "the schedule repays the loan"
    return 1 - present_value


def test_a_30_year_annuity_loan_at_0_75_percent_with_10_years_grace_to_an_ldc():
    result = assess(_terms(), loans.LDC)
    expected = _explicit_grant_element(ANNUITY, 2, 0.75, 20, 60, 0.09)
    assert float(result.grant_element) == pytest.approx(expected, abs=1e-6)
    assert result.grant_element == Decimal("0.733503")  # 73.35 %: well above the LDC threshold
    assert result.discount_rate == Decimal("0.09") and result.threshold == Decimal("0.45")
    assert result.concessional


@pytest.mark.parametrize("kind", [EQUAL_PRINCIPAL, ANNUITY, LUMP_SUM])
@pytest.mark.parametrize("group, discount", [(loans.LDC, 0.09), (loans.LMIC, 0.07), (loans.UMIC, 0.06),
                                             (loans.MULTILATERAL, 0.05)])
def test_each_repayment_type_and_discount_rate_matches_explicit_discounting(kind, group, discount):
    final = date(2044, 3, 1) if kind != LUMP_SUM else date(2039, 3, 1)
    first = date(2029, 3, 1) if kind != LUMP_SUM else final
    result = assess(_terms(kind, per_year=2, rate="2.5", first=first, final=final), group)
    expected = _explicit_grant_element(kind, 2, 2.5, 10 if kind != LUMP_SUM else 30, 40 if kind != LUMP_SUM else 30,
                                       discount)
    assert float(result.grant_element) == pytest.approx(expected, abs=1e-6)


def test_equal_principal_payments_match_the_dac_closed_formula():
    """GE = (1 − q/d)(1 − (v^(aG) − v^(aM)) / (d·a(M − G))), G = grace before the first instalment period."""
    a, q, d = 2, 0.0075 / 2, 1.09 ** 0.5 - 1
    grace, maturity = 9.5, 30
    v = 1 / (1 + d)
    formula = (1 - q / d) * (1 - (v ** (a * grace) - v ** (a * maturity)) / (d * a * (maturity - grace)))
    assert float(grant_element(_terms(EQUAL_PRINCIPAL), Decimal("0.09"))) == pytest.approx(formula, abs=1e-6)


def test_a_second_interest_rate_applies_from_its_date():
    stepped = _terms(ANNUITY, rate="1", rate_2="3", rate_2_date=date(2039, 3, 1))
    expected = _explicit_grant_element(ANNUITY, 2, 1.0, 20, 60, 0.07, step=(30, 3.0))
    assert float(grant_element(stepped, Decimal("0.07"))) == pytest.approx(expected, abs=1e-6)
    assert grant_element(stepped, Decimal("0.07")) < grant_element(_terms(rate="1"), Decimal("0.07"))


def test_a_loan_at_market_terms_is_not_concessional_for_an_lmic():
    result = assess(_terms(EQUAL_PRINCIPAL, rate="6.5", first=date(2026, 3, 1), final=date(2031, 3, 1)), loans.LMIC)
    assert result.grant_element < Decimal("0.15") and not result.concessional


def test_a_loan_above_the_discount_rate_has_no_negative_grant_element():
    assert grant_element(_terms(rate="12"), Decimal("0.09")) == 0


@pytest.mark.parametrize("changes, problem", [
    ({"repayment_type": 5}, "repayment type 5"),
    ({"repayments_per_year": 0}, "repayments per year"),
    ({"repayments_per_year": 52}, "repayments per year"),
    ({"interest_rate_1": Decimal("-1")}, "between 0 and 100"),
    ({"interest_rate_2": Decimal("100.5")}, "between 0 and 100"),
    ({"first_repayment_date": COMMITTED}, "after the commitment"),
    ({"final_repayment_date": date(2030, 1, 1)}, "before the first"),
])
def test_terms_the_method_cannot_compute_are_named(changes, problem):
    terms = _terms()._replace(**changes)
    assert problem in loans.terms_problem(terms)
    with pytest.raises(ValueError):
        grant_element(terms, Decimal("0.09"))


def test_grant_equivalent_is_grant_element_times_disbursement_in_cents():
    assert loans.grant_equivalent_cents(100_000_000, Decimal("0.733503")) == 73_350_300
    assert loans.grant_equivalent_cents(-25_000, Decimal("0.5")) == -12_500
    assert loans.as_percent(Decimal("0.733503")) == Decimal("73.35")


def test_discount_group_uses_the_multilateral_rate_before_the_income_group():
    assert loans.discount_group("LDC", multilateral=True) == loans.MULTILATERAL
    assert loans.discount_group("UMIC", multilateral=False) == loans.UMIC
    assert loans.discount_group("MADCT", multilateral=False) is None
    assert loans.discount_group(None, multilateral=False) is None
