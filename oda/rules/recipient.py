"""Rule 4, recipient: on the DAC List of ODA Recipients in the reporting year.

Regional codes (289, 1029 …) and 998 "developing countries, unspecified" pass.
In-donor costs (G01, H01–H05, E01, E02) are reported with 998 or with the country
of origin of the students or refugees. Whether a country is on the list depends on
the year: the 2018–2020, 2021–2023 and 2024–2025 lists differ, and graduated
countries (Chile 2018, Cook Islands 2020, Antigua and Barbuda 2022 …) fail from
their graduation year.
"""
from __future__ import annotations

from oda.rules.base import FAIL, LOAD_COMMAND, PASS, UNKNOWN, RuleContext, RuleResult
from oda.rules.messages import N_, CodeName, Message, msg
from oda.rules.reference import EligibilityInfo, RecipientInfo

NAME = "recipient"
READS = ("recipient_code", "aid_type")
UNSPECIFIED = "998"


def check(ctx: RuleContext) -> RuleResult:
    code = ctx.activity.recipient_code
    if not code:
        if ctx.activity.in_donor:
            return RuleResult(NAME, UNKNOWN, msg(N_("No recipient: give the DAC recipient code (in-donor costs use "
                                                    "998 or the country of origin).")), facts={})
        return RuleResult(NAME, UNKNOWN, msg(N_("No recipient: give the DAC recipient code.")), facts={})
    recipient = ctx.ref.recipient(code)
    if recipient is None:
        return RuleResult(NAME, UNKNOWN, msg(N_("Recipient code %(code)s is not a DAC recipient code in the loaded "
                                                "reference data: correct the code, or load the OECD recipient list "
                                                "(recipients.csv) with `%(command)s FILE --list-years FIRST-LAST`."),
                                             code=code, command=LOAD_COMMAND),
                          facts={"recipient": code})
    if recipient.kind in ("region", "unspecified"):
        return _regional(ctx, recipient)
    return _country(ctx, recipient)


def _regional(ctx: RuleContext, recipient: RecipientInfo) -> RuleResult:
    facts = {"recipient": recipient.code, "kind": recipient.kind, "status": recipient.status}
    label = recipient_label(recipient)
    if ctx.activity.in_donor and recipient.code != UNSPECIFIED:
        return RuleResult(NAME, UNKNOWN, msg(N_("In-donor costs (%(aid_type)s) are reported with recipient 998 or "
                                                "the country of origin, not with %(label)s."),
                                             aid_type=ctx.activity.aid_type, label=label), facts=facts)
    if recipient.status == "withdrawn":
        return RuleResult(NAME, UNKNOWN, msg(N_("The regional code %(label)s has been withdrawn: use a current "
                                                "regional code."), label=label), facts=facts)
    if recipient.kind == "unspecified":
        said = N_("%(label)s is the code for developing countries, unspecified: it counts as aid to developing "
                  "countries.")
    else:
        said = N_("%(label)s is a regional DAC recipient code: it counts as aid to developing countries.")
    return RuleResult(NAME, PASS, msg(said, label=label), facts=facts)


def _country(ctx: RuleContext, recipient: RecipientInfo) -> RuleResult:
    year = ctx.year
    label = recipient_label(recipient)
    entry = ctx.ref.eligibility_in(recipient.code, year)
    if entry is not None and entry.on_list:
        group = f", {entry.income_group}" if entry.income_group else ""
        if ctx.activity.in_donor:
            said = N_("%(label)s is on the DAC List of ODA Recipients for %(year)s flows as country of origin "
                      "(%(list)s).")
        else:
            said = N_("%(label)s is on the DAC List of ODA Recipients for %(year)s flows (%(list)s).")
        return RuleResult(NAME, PASS, msg(said, label=label, year=year, list=f"{entry.list_name}{group}"),
                          facts=_facts(entry))
    if entry is not None:
        return RuleResult(NAME, FAIL, msg(N_("%(label)s is not on the DAC List of ODA Recipients for %(year)s "
                                             "flows%(why)s: spending there is not ODA."), label=label, year=year,
                                          why=_why_off(ctx, recipient.code, entry)), facts=_facts(entry))
    if year in ctx.ref.official_list_years():
        return RuleResult(NAME, FAIL, msg(N_("%(label)s is not on the DAC List of ODA Recipients loaded for %(year)s "
                                             "flows: spending there is not ODA."), label=label, year=year),
                          facts={"recipient": recipient.code})
    return RuleResult(NAME, UNKNOWN, msg(N_("No DAC List in force for %(year)s flows (neither the curated lists "
                                            "shipped with Aidledger nor an official file) says whether %(label)s is "
                                            "eligible: load the OECD DAC List that covers %(year)s (recipients.csv: "
                                            "code, name_en, income_group) with `%(command)s recipients.csv "
                                            "--list-years FIRST-LAST`."), year=year, label=label,
                                         command=LOAD_COMMAND),
                      facts={"recipient": recipient.code})


def recipient_label(recipient: RecipientInfo) -> Message:
    """"South Africa (218)": the name said in the reader's language when the reason is read."""
    return msg(N_("%(name)s (%(code)s)"), name=CodeName("recipients", recipient.code, recipient.name),
               code=recipient.code)


def _why_off(ctx: RuleContext, code: str, entry: EligibilityInfo) -> Message | str:
    graduated = ctx.ref.graduation_year(code)
    if graduated is not None and graduated <= ctx.year:
        return msg(N_(" (graduated from the list on 1 January %(year)s)"), year=graduated)
    if entry.income_group:
        return f" ({entry.list_name}: {entry.income_group})"
    return f" ({entry.list_name})"


def _facts(entry: EligibilityInfo) -> dict:
    return {"recipient": entry.recipient_code, "on_list": entry.on_list, "income_group": entry.income_group,
            "list": entry.list_name, "origin": entry.origin, "from": entry.year_from, "to": entry.year_to}
