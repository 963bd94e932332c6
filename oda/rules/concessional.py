"""Rule 3, concessional: grants are concessional by definition; a standard loan is when
its grant element reaches the threshold of its recipient's income group (45 % LDC and
other LIC, 15 % LMIC, 10 % UMIC and multilateral institutions; oda.loans computes it).

A loan without its terms (repayment type, repayments per year, interest, first and final
repayment, commitment date) and other instruments (equity, guarantees …) need review.
The income group is the DAC List's for the year of the commitment (the grant element is
fixed at commitment), else for the year of the flows.
"""
from __future__ import annotations

from oda import loans
from oda.rules.base import FAIL, PASS, UNKNOWN, ActivityFacts, RuleContext, RuleResult, percent
from programmes.models.enums import LOAN_REPAYMENT_TYPES, LOAN_TERM_FIELDS

NAME = "concessional"
GRANT = "110"
READS = ("finance_type", "recipient_code", "aid_type", "bi_multi")
#: read for a loan only (a grant's commitment date does not matter, so grants keep sharing results)
LOAN_READS = ("commitment_date",) + LOAN_TERM_FIELDS


def inputs(activity: ActivityFacts) -> tuple:
    """What this rule reads beyond ``READS``, by the activity: a loan's terms, nothing for a grant."""
    if not loans.is_loan(activity.finance_type):
        return ()
    return tuple(getattr(activity, name) for name in LOAN_READS)


def check(ctx: RuleContext) -> RuleResult:
    finance = ctx.activity.finance_type
    facts = {"finance_type": finance}
    if finance == GRANT:
        return RuleResult(NAME, PASS, "Finance type 110 (standard grant) is concessional by definition.",
                          facts=facts)
    if not finance:
        return RuleResult(NAME, UNKNOWN, "No finance type: say which instrument this is (110 for a grant).",
                          facts=facts)
    name = ctx.ref.code_name("finance_types", finance)
    if not loans.is_loan(finance):
        return RuleResult(NAME, UNKNOWN, f"Finance type {name} is neither a grant nor a standard loan: whether "
                                         "it is concessional needs a person's assessment.", facts=facts)
    return _loan(ctx, name, facts)


def _loan(ctx: RuleContext, name: str, facts: dict) -> RuleResult:
    terms = loans.activity_terms(ctx.activity)
    missing = loans.missing_terms(terms)
    if missing:
        return RuleResult(NAME, UNKNOWN, f"Finance type {name}: the grant-element calculation needs the loan's "
                                         f"terms; enter {', '.join(_MISSING_LABELS[m] for m in missing)} on the "
                                         "activity.", facts=facts)
    problem = loans.terms_problem(terms)
    if problem:
        return RuleResult(NAME, UNKNOWN, f"Finance type {name}: the loan's terms cannot be computed: {problem}.",
                          facts=facts)
    group, year = group_for(ctx.ref, ctx.activity, terms, ctx.year)
    if group is None:
        return RuleResult(NAME, UNKNOWN, f"Finance type {name}: no income group for recipient "
                                         f"{ctx.activity.recipient_code or '(none)'} in {year}, so no discount "
                                         "rate: load the DAC List that covers that year.", facts=facts)
    result = loans.assess(terms, group)
    facts.update({"grant_element": str(result.grant_element), "discount_rate": str(result.discount_rate),
                  "threshold": str(result.threshold), "group": group})
    measured = (f"Grant element {percent(result.grant_element)} ({LOAN_REPAYMENT_TYPES[terms.repayment_type]}, "
                f"discounted at {percent(result.discount_rate)} for {loans.GROUP_LABELS[group]})")
    if result.concessional:
        return RuleResult(NAME, PASS, f"{measured} reaches the {percent(result.threshold)} threshold: "
                                      "concessional.", facts=facts)
    return RuleResult(NAME, FAIL, f"{measured} is below the {percent(result.threshold)} threshold: not "
                                  "concessional, so not ODA.", facts=facts)


def group_for(ref, activity, terms: loans.LoanTerms, year: int) -> tuple[str | None, int]:
    """(the group whose discount rate and threshold apply, the year of the DAC List read):
    a multilateral institution, else the recipient's income group in the commitment year
    (else in ``year``, the year of the flows, when no list covers the commitment year)."""
    committed = terms.commitment_date.year
    code = activity.recipient_code or ""
    entry = ref.eligibility_in(code, committed) or ref.eligibility_in(code, year)
    multilateral = loans.is_multilateral(activity.bi_multi, activity.aid_type)
    return loans.discount_group(entry.income_group if entry else None, multilateral), committed


_MISSING_LABELS = {"repayment_type": "the repayment type", "repayments_per_year": "the repayments per year",
                   "interest_rate_1": "the interest rate", "commitment_date": "the commitment date",
                   "first_repayment_date": "the first repayment date",
                   "final_repayment_date": "the final repayment date"}
