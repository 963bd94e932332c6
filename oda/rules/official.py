"""Rule 1, official: the money comes from the donor's public budget.

Every ledger transaction of this donor is paid from its public budget, whatever the
programme's policy area (development cooperation, science, asylum reception …), so
the rule passes for ODA flows. The activity's flow type can still say the money is
not ODA (other official flows) or contradict the ledger (a private flow type).
"""
from __future__ import annotations

from oda.rules.base import FAIL, PASS, UNKNOWN, RuleContext, RuleResult

NAME = "official"
#: the activity attributes this rule reads (the memo key of an evaluation is derived from them)
READS = ("flow_type",)
ODA_FLOW = "10"
#: official, but not ODA: other official flows, non flows, other flows
OFFICIAL_NOT_ODA = {"20": "other official flows", "21": "non-export credit other official flows",
                    "22": "officially supported export credits", "40": "non flow", "50": "other flows"}
PRIVATE_FLOWS = {"30", "35", "36", "37"}


def check(ctx: RuleContext) -> RuleResult:
    flow = ctx.activity.flow_type or ODA_FLOW
    facts = {"flow_type": flow}
    if flow == ODA_FLOW:
        return RuleResult(NAME, PASS, f"Official: paid from the public budget of {ctx.donor} and reported "
                                      "as an ODA flow (flow type 10).", facts=facts)
    if flow in OFFICIAL_NOT_ODA:
        return RuleResult(NAME, FAIL, f"The activity is reported as flow type {flow} "
                                      f"({OFFICIAL_NOT_ODA[flow]}), which is official money but not ODA.",
                          facts=facts)
    if flow in PRIVATE_FLOWS:
        return RuleResult(NAME, UNKNOWN, f"The activity says flow type {flow} (a private flow), but ledger "
                                         f"money is paid from the public budget of {ctx.donor}: correct the "
                                         "flow type.", facts=facts)
    return RuleResult(NAME, UNKNOWN, f"Flow type {flow} is not a CRS flow type: correct it.", facts=facts)
