"""Rule 2, main objective: the economic development and welfare of developing countries.

The activity's ``main_objective`` is the programme manager's assessment. In-donor
costs the DAC counts as ODA (aid administration, development awareness, the first
year of refugee costs) pass; the donor's own interest, commercial and military
purposes fail; an objective nobody assessed needs review.
"""
from __future__ import annotations

from oda.rules.base import FAIL, PASS, UNKNOWN, RuleContext, RuleResult
from oda.rules.messages import N_, msg

NAME = "main_objective"
READS = ("main_objective",)
PASSING = {
    "development": N_("its main objective is the economic development and welfare of developing countries"),
    "humanitarian": N_("humanitarian aid to developing countries is ODA"),
    "development_awareness": N_("development awareness in the donor country is ODA (aid type H01, purpose 99820)"),
    "aid_administration": N_("administrative costs of the aid programme are ODA (aid type G01, purpose 91010)"),
    "refugees_in_donor_country": N_("basic assistance to refugees from DAC-list countries in the donor country "
                                    "counts as ODA for their first 12 months (aid types H02–H05)"),
}
FAILING = {
    "donor_interest": N_("its main objective serves the donor's own interest (e.g. the careers and expertise of "
                         "the donor's young graduates, or promoting the donor's culture), not the development "
                         "of developing countries"),
    "commercial": N_("a commercial purpose is not ODA"),
    "military": N_("military equipment and services are excluded from ODA"),
}
_SAID = N_("Main objective %(objective)s: %(why)s.")


def check(ctx: RuleContext) -> RuleResult:
    objective = ctx.activity.main_objective or "unknown"
    facts = {"main_objective": objective}
    if objective in PASSING:
        return RuleResult(NAME, PASS, msg(_SAID, objective=objective, why=msg(PASSING[objective])), facts=facts)
    if objective in FAILING:
        return RuleResult(NAME, FAIL, msg(_SAID, objective=objective, why=msg(FAILING[objective])), facts=facts)
    return RuleResult(NAME, UNKNOWN, msg(N_("The activity's main objective has not been assessed: say whether it "
                                            "is development, humanitarian, or another objective.")), facts=facts)
