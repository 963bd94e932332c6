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
from oda.rules.base import FAIL, PASS, UNKNOWN, ActivityFacts, RuleContext, RuleResult, percent_param
from oda.rules.messages import N_, Items, Message, msg
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
        return RuleResult(NAME, PASS, msg(N_("Finance type 110 (standard grant) is concessional by definition.")),
                          facts=facts)
    if not finance:
        return RuleResult(NAME, UNKNOWN, msg(N_("No finance type: say which instrument this is (110 for a grant).")),
                          facts=facts)
    name = ctx.ref.code_name("finance_types", finance)
    if not loans.is_loan(finance):
        return RuleResult(NAME, UNKNOWN, msg(N_("Finance type %(name)s is neither a grant nor a standard loan: "
                                                "whether it is concessional needs a person's assessment."),
                                             name=name), facts=facts)
    return _loan(ctx, name, facts)


def _loan(ctx: RuleContext, name: str, facts: dict) -> RuleResult:
    terms = loans.activity_terms(ctx.activity)
    missing = loans.missing_terms(terms)
    if missing:
        return RuleResult(NAME, UNKNOWN, msg(N_("Finance type %(name)s: the grant-element calculation needs the "
                                                "loan's terms; enter %(missing)s on the activity."), name=name,
                                             missing=Items(tuple(msg(_MISSING_LABELS[m]) for m in missing), ", ")),
                          facts=facts)
    problem = loans.terms_problem_message(terms)
    if problem:
        return RuleResult(NAME, UNKNOWN, msg(N_("Finance type %(name)s: the loan's terms cannot be computed: "
                                                "%(problem)s."), name=name, problem=problem), facts=facts)
    group, year = group_for(ctx.ref, ctx.activity, terms, ctx.year)
    if group is None:
        return RuleResult(NAME, UNKNOWN, msg(N_("Finance type %(name)s: no income group for recipient %(recipient)s "
                                                "in %(year)s, so no discount rate: load the DAC List that covers "
                                                "that year."), name=name, year=year,
                                             recipient=ctx.activity.recipient_code or msg(N_("(none)"))), facts=facts)
    result = loans.assess(terms, group)
    facts.update({"grant_element": str(result.grant_element), "discount_rate": str(result.discount_rate),
                  "threshold": str(result.threshold), "group": group})
    if result.concessional:
        return RuleResult(NAME, PASS, msg(N_("%(measured)s reaches the %(threshold)s threshold: concessional."),
                                          measured=_measured(terms, result), threshold=percent_param(result.threshold)),
                          facts=facts)
    return RuleResult(NAME, FAIL, msg(N_("%(measured)s is below the %(threshold)s threshold: not concessional, "
                                         "so not ODA."), measured=_measured(terms, result),
                                      threshold=percent_param(result.threshold)), facts=facts)


def _measured(terms: loans.LoanTerms, result: loans.Assessment) -> Message:
    return msg(N_("Grant element %(element)s (%(repayment)s, discounted at %(rate)s for %(group)s)"),
               element=percent_param(result.grant_element), repayment=msg(LOAN_REPAYMENT_TYPES[terms.repayment_type]),
               rate=percent_param(result.discount_rate), group=msg(loans.GROUP_LABELS[result.group]))


def group_for(ref, activity, terms: loans.LoanTerms, year: int) -> tuple[str | None, int]:
    """(the group whose discount rate and threshold apply, the year of the DAC List read):
    a multilateral institution, else the recipient's income group in the commitment year
    (else in ``year``, the year of the flows, when no list covers the commitment year)."""
    committed = terms.commitment_date.year
    code = activity.recipient_code or ""
    entry = ref.eligibility_in(code, committed) or ref.eligibility_in(code, year)
    multilateral = loans.is_multilateral(activity.bi_multi, activity.aid_type)
    return loans.discount_group(entry.income_group if entry else None, multilateral), committed


_MISSING_LABELS = {"repayment_type": N_("the repayment type"), "repayments_per_year": N_("the repayments per year"),
                   "interest_rate_1": N_("the interest rate"), "commitment_date": N_("the commitment date"),
                   "first_repayment_date": N_("the first repayment date"),
                   "final_repayment_date": N_("the final repayment date")}
