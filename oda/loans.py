"""A loan's grant element and grant equivalent, the DAC way (pure functions, no database).

The grant element is how much of a loan is a gift: (face value − present value of the
debt service) ÷ face value, the debt service (principal and interest) discounted at a
rate that depends on the recipient's income group (DAC Reporting Directives since 2018
flows): 9 % for LDCs and other LICs, 7 % for LMICs, 6 % for UMICs, and for loans to
multilateral institutions 5 % (global institutions and multilateral development banks)
or 6 % (other, sub-regional ones). Aidledger cannot tell those two kinds of institution
apart, so it applies 5 % to every multilateral loan: the lower rate gives the lower grant
element, never overstating ODA. A loan is concessional, hence ODA, when its grant element
reaches 45 % (LDC / other LIC), 15 % (LMIC) or 10 % (UMIC, multilateral).

The model (the DAC's): the loan is disbursed in full on the commitment date; interest is
paid every repayment period on the outstanding balance; principal is repaid in equal
instalments (type 1), with the interest as one constant payment (type 2, annuity) or at
once on the final date (type 3). Dates are counted in whole repayment periods from the
commitment date (rounded to the nearest period, as loan schedules are); the grace period
is the time from the commitment to the first repayment. The per-period interest is the
annual rate ÷ periods per year, the per-period discount rate the equivalent compound
rate (1 + D)^(1/a) − 1. Written as Σ_t v^t · B_{t−1} · (d − q_t) (the discounted interest
forgone on the outstanding balance B), which equals 1 − PV(debt service) exactly and
handles a second interest rate from a given date.

The grant equivalent of a year is the grant element × the ODA disbursements of that year
(the DAC's flows basis: the grant element is fixed at commitment and applied to each
year's disbursements); for grants it is the disbursement itself.
"""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from functools import lru_cache
from typing import NamedTuple

from oda.rules.messages import N_, Message, msg
from programmes.models.enums import MAX_REPAYMENTS_PER_YEAR

EQUAL_PRINCIPAL, ANNUITY, LUMP_SUM, OTHER = 1, 2, 3, 5
#: finance types whose grant equivalent is the disbursement (grants, interest subsidies, capital subscriptions)
GRANT_TYPES = frozenset({"110", "111", "210", "211", "310", "311"})
#: finance types the grant-element method applies to (standard loans; 410–414 are their pre-2018 codes)
LOAN_TYPES = frozenset({"421", "410", "411", "412", "413", "414"})
#: CRS aid types of core contributions to multilateral institutions
MULTILATERAL_AID_TYPES = frozenset({"B02", "B021", "B022"})

LDC, OTHER_LIC, LMIC, UMIC, MULTILATERAL = "LDC", "Other LIC", "LMIC", "UMIC", "multilateral"
#: discount rate and concessionality threshold per income group (DAC Reporting Directives, ODA eligibility)
DISCOUNT_RATES = {LDC: Decimal("0.09"), OTHER_LIC: Decimal("0.09"), LMIC: Decimal("0.07"), UMIC: Decimal("0.06"),
                  MULTILATERAL: Decimal("0.05")}
THRESHOLDS = {LDC: Decimal("0.45"), OTHER_LIC: Decimal("0.45"), LMIC: Decimal("0.15"), UMIC: Decimal("0.10"),
              MULTILATERAL: Decimal("0.10")}
HIGHEST_RATE = Decimal("100")
#: the grant element as stored and written: a fraction with six decimals (45.1234 %)
PRECISION = Decimal("0.000001")


class LoanTerms(NamedTuple):
    """CRS items 44–49 and the commitment date: everything the grant element depends on."""

    repayment_type: int
    repayments_per_year: int
    interest_rate_1: Decimal  # percent a year
    interest_rate_2: Decimal | None
    interest_rate_2_date: date | None
    commitment_date: date
    first_repayment_date: date
    final_repayment_date: date


#: how the reasons name each group
GROUP_LABELS = {LDC: N_("least developed countries"), OTHER_LIC: N_("other low-income countries"),
                LMIC: N_("lower middle-income countries"), UMIC: N_("upper middle-income countries"),
                MULTILATERAL: N_("multilateral institutions")}


class Assessment(NamedTuple):
    """A loan measured against the threshold of its recipient's group."""

    group: str
    discount_rate: Decimal
    threshold: Decimal
    grant_element: Decimal

    @property
    def concessional(self) -> bool:
        return self.grant_element >= self.threshold


def is_grant(finance_type: str | None) -> bool:
    return finance_type in GRANT_TYPES


def is_loan(finance_type: str | None) -> bool:
    return finance_type in LOAN_TYPES


def is_multilateral(bi_multi: str | None, aid_type: str | None) -> bool:
    """A loan to a multilateral institution (bi/multi 2, or a core contribution)."""
    return bi_multi == "2" or aid_type in MULTILATERAL_AID_TYPES


def activity_terms(activity) -> LoanTerms:
    """The terms stored on an activity (anything with the ``loan_*`` and ``commitment_date``
    attributes), some perhaps None (see ``missing_terms``). A lump sum is repaid once: its
    first repayment is the final one, and interest is paid yearly unless said otherwise."""
    lump_sum = activity.loan_repayment_type == LUMP_SUM
    return LoanTerms(activity.loan_repayment_type, activity.loan_repayments_per_year or (1 if lump_sum else None),
                     activity.loan_interest_rate_1, activity.loan_interest_rate_2, activity.loan_interest_rate_2_date,
                     activity.commitment_date,
                     activity.loan_first_repayment_date or (activity.loan_final_repayment_date if lump_sum else None),
                     activity.loan_final_repayment_date)


def missing_terms(terms: LoanTerms) -> list[str]:
    """The names of the terms a grant-element calculation still needs."""
    required = ("repayment_type", "repayments_per_year", "interest_rate_1", "commitment_date",
                "first_repayment_date", "final_repayment_date")
    return [name for name in required if getattr(terms, name) is None]


def terms_problem(terms: LoanTerms) -> str | None:
    """Why terms cannot be computed (out of range, dates in the wrong order), in English, or None."""
    problem = terms_problem_message(terms)
    return problem.english() if problem else None


def terms_problem_message(terms: LoanTerms) -> Message | None:
    """``terms_problem`` as a message of the catalogue (the concessional rule's reason)."""
    if terms.repayment_type not in (EQUAL_PRINCIPAL, ANNUITY, LUMP_SUM):
        return msg(N_("repayment type %(type)s has no standard schedule (1, 2 or 3 can be computed)"),
                   type=terms.repayment_type)
    if not 1 <= terms.repayments_per_year <= MAX_REPAYMENTS_PER_YEAR:
        return msg(N_("repayments per year must be 1 to %(most)s"), most=MAX_REPAYMENTS_PER_YEAR)
    for rate in (terms.interest_rate_1, terms.interest_rate_2):
        if rate is not None and not 0 <= rate <= HIGHEST_RATE:
            return msg(N_("an interest rate must lie between 0 and 100 %"))
    if terms.first_repayment_date <= terms.commitment_date:
        return msg(N_("the first repayment must come after the commitment date"))
    if terms.final_repayment_date < terms.first_repayment_date:
        return msg(N_("the final repayment comes before the first"))
    return None


def discount_group(income_group: str | None, multilateral: bool) -> str | None:
    """The group whose discount rate and threshold apply, or None when not known."""
    if multilateral:
        return MULTILATERAL
    return income_group if income_group in DISCOUNT_RATES else None


def assess(terms: LoanTerms, group: str) -> Assessment:
    rate = DISCOUNT_RATES[group]
    return Assessment(group, rate, THRESHOLDS[group], grant_element(terms, rate))


@lru_cache(maxsize=4096)
def grant_element(terms: LoanTerms, discount_rate: Decimal) -> Decimal:
    """The grant element as a fraction (0.623456 for 62.3456 %), for valid ``terms``."""
    problem = terms_problem(terms)
    if problem:
        raise ValueError(problem)
    a = terms.repayments_per_year
    first = max(1, _periods(terms.commitment_date, terms.first_repayment_date, a))
    final = max(first, _periods(terms.commitment_date, terms.final_repayment_date, a))
    step_up = (_periods(terms.commitment_date, terms.interest_rate_2_date, a)
               if terms.interest_rate_2 is not None and terms.interest_rate_2_date else None)
    with localcontext() as ctx:
        ctx.prec = 34
        d = (1 + discount_rate) ** (Decimal(1) / a) - 1
        v = 1 / (1 + d)
        total, balance, factor = Decimal(0), Decimal(1), Decimal(1)
        for period in range(1, final + 1):
            q = _period_rate(terms, a, step_up, period)
            factor *= v
            total += factor * balance * (d - q)
            balance -= _principal(terms.repayment_type, balance, q, period, first, final)
        return max(Decimal(0), total).quantize(PRECISION, rounding=ROUND_HALF_EVEN)


def _periods(start: date, end: date, per_year: int) -> int:
    """Whole repayment periods from ``start`` to ``end`` (nearest)."""
    months = (end.year - start.year) * 12 + (end.month - start.month) + Decimal(end.day - start.day) / 30
    return int((months * per_year / 12).to_integral_value(rounding=ROUND_HALF_EVEN))


def _period_rate(terms: LoanTerms, per_year: int, step_up: int | None, period: int) -> Decimal:
    rate = terms.interest_rate_2 if step_up is not None and period > step_up else terms.interest_rate_1
    return rate / 100 / per_year


def _principal(repayment_type: int, balance: Decimal, q: Decimal, period: int, first: int, final: int) -> Decimal:
    """The principal repaid at the end of ``period``, the balance before it being ``balance``."""
    if period < first:
        return Decimal(0)
    remaining = final - period + 1
    if repayment_type == LUMP_SUM or remaining == 1:
        return balance if period == final else Decimal(0)
    if repayment_type == EQUAL_PRINCIPAL or q == 0:
        return balance / remaining
    payment = balance * q / (1 - (1 + q) ** -remaining)  # the annuity over the remaining periods
    return payment - balance * q


def grant_equivalent_cents(disbursement_cents: int, grant_element_fraction: Decimal) -> int:
    """The grant equivalent of a disbursement, in cents (half to even)."""
    value = (Decimal(disbursement_cents) * grant_element_fraction).to_integral_value(rounding=ROUND_HALF_EVEN)
    return int(value)


def as_percent(fraction: Decimal) -> Decimal:
    """0.623456 → 62.35 (the CRS GrantElement column, in percent)."""
    return (fraction * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
