"""Rule 1, official: the money comes from the donor's public budget.

Every ledger transaction of this donor is paid from its public budget, whatever the
programme's policy area (development cooperation, science, asylum reception …), so
the rule passes for ODA flows. The activity's flow type can still say the money is
not ODA (other official flows) or contradict the ledger (a private flow type).
"""
from __future__ import annotations

from oda.rules.base import FAIL, PASS, UNKNOWN, RuleContext, RuleResult
from oda.rules.messages import N_, msg

NAME = "official"
#: the activity attributes this rule reads (the memo key of an evaluation is derived from them)
READS = ("flow_type",)
ODA_FLOW = "10"
#: official, but not ODA: other official flows, non flows, other flows
OFFICIAL_NOT_ODA = {"20": N_("other official flows"), "21": N_("non-export credit other official flows"),
                    "22": N_("officially supported export credits"), "40": N_("non flow"), "50": N_("other flows")}
PRIVATE_FLOWS = {"30", "35", "36", "37"}


def check(ctx: RuleContext) -> RuleResult:
    flow = ctx.activity.flow_type or ODA_FLOW
    facts = {"flow_type": flow}
    if flow == ODA_FLOW:
        return RuleResult(NAME, PASS, msg(N_("Official: paid from the public budget of %(donor)s and reported as an "
                                             "ODA flow (flow type 10)."), donor=ctx.donor), facts=facts)
    if flow in OFFICIAL_NOT_ODA:
        return RuleResult(NAME, FAIL, msg(N_("The activity is reported as flow type %(flow)s (%(name)s), which is "
                                             "official money but not ODA."), flow=flow,
                                          name=msg(OFFICIAL_NOT_ODA[flow])), facts=facts)
    if flow in PRIVATE_FLOWS:
        return RuleResult(NAME, UNKNOWN, msg(N_("The activity says flow type %(flow)s (a private flow), but ledger "
                                                "money is paid from the public budget of %(donor)s: correct the "
                                                "flow type."), flow=flow, donor=ctx.donor), facts=facts)
    return RuleResult(NAME, UNKNOWN, msg(N_("Flow type %(flow)s is not a CRS flow type: correct it."), flow=flow),
                      facts=facts)
