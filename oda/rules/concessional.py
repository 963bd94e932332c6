"""Rule 3, concessional: grants are concessional by definition.

Loans and other instruments need a grant-element calculation (45 %, 15 % or 10 %
thresholds by income group) that this version does not make: they need review.
"""
from __future__ import annotations

from oda.rules.base import PASS, UNKNOWN, RuleContext, RuleResult

NAME = "concessional"
GRANT = "110"


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
    return RuleResult(NAME, UNKNOWN, f"Finance type {name} is not a grant: whether it is concessional "
                                     "needs a grant-element calculation, which is not available yet.",
                      facts=facts)
