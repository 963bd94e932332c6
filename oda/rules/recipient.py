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
from oda.rules.reference import EligibilityInfo, RecipientInfo

NAME = "recipient"
READS = ("recipient_code", "aid_type")
UNSPECIFIED = "998"


def check(ctx: RuleContext) -> RuleResult:
    code = ctx.activity.recipient_code
    if not code:
        hint = " (in-donor costs use 998 or the country of origin)" if ctx.activity.in_donor else ""
        return RuleResult(NAME, UNKNOWN, f"No recipient: give the DAC recipient code{hint}.", facts={})
    recipient = ctx.ref.recipient(code)
    if recipient is None:
        return RuleResult(NAME, UNKNOWN, f"Recipient code {code} is not a DAC recipient code in the loaded "
                                         "reference data: correct the code, or load the OECD recipient list "
                                         f"(recipients.csv) with `{LOAD_COMMAND} FILE --list-years FIRST-LAST`.",
                          facts={"recipient": code})
    if recipient.kind in ("region", "unspecified"):
        return _regional(ctx, recipient)
    return _country(ctx, recipient)


def _regional(ctx: RuleContext, recipient: RecipientInfo) -> RuleResult:
    facts = {"recipient": recipient.code, "kind": recipient.kind, "status": recipient.status}
    label = f"{recipient.name} ({recipient.code})"
    if ctx.activity.in_donor and recipient.code != UNSPECIFIED:
        return RuleResult(NAME, UNKNOWN, f"In-donor costs ({ctx.activity.aid_type}) are reported with recipient "
                                         f"998 or the country of origin, not with {label}.", facts=facts)
    if recipient.status == "withdrawn":
        return RuleResult(NAME, UNKNOWN, f"The regional code {label} has been withdrawn: use a current "
                                         "regional code.", facts=facts)
    what = "the code for developing countries, unspecified" if recipient.kind == "unspecified" else \
        "a regional DAC recipient code"
    return RuleResult(NAME, PASS, f"{label} is {what}: it counts as aid to developing countries.", facts=facts)


def _country(ctx: RuleContext, recipient: RecipientInfo) -> RuleResult:
    year = ctx.year
    label = f"{recipient.name} ({recipient.code})"
    entry = ctx.ref.eligibility_in(recipient.code, year)
    role = " as country of origin" if ctx.activity.in_donor else ""
    if entry is not None and entry.on_list:
        group = f", {entry.income_group}" if entry.income_group else ""
        return RuleResult(NAME, PASS, f"{label} is on the DAC List of ODA Recipients for {year} flows{role} "
                                      f"({entry.list_name}{group}).", facts=_facts(entry))
    if entry is not None:
        return RuleResult(NAME, FAIL, f"{label} is not on the DAC List of ODA Recipients for {year} flows"
                                      f"{_why_off(ctx, recipient.code, entry)}: spending there is not ODA.",
                          facts=_facts(entry))
    if year in ctx.ref.official_list_years():
        return RuleResult(NAME, FAIL, f"{label} is not on the DAC List of ODA Recipients loaded for {year} "
                                      "flows: spending there is not ODA.", facts={"recipient": recipient.code})
    return RuleResult(NAME, UNKNOWN, f"No DAC List in force for {year} flows (neither the curated lists shipped "
                                     f"with Aidledger nor an official file) says whether {label} is eligible: "
                                     f"load the OECD DAC List that covers {year} (recipients.csv: code, name_en, "
                                     f"income_group) with `{LOAD_COMMAND} recipients.csv --list-years FIRST-LAST`.",
                      facts={"recipient": recipient.code})


def _why_off(ctx: RuleContext, code: str, entry: EligibilityInfo) -> str:
    graduated = ctx.ref.graduation_year(code)
    if graduated is not None and graduated <= ctx.year:
        return f" (graduated from the list on 1 January {graduated})"
    if entry.income_group:
        return f" ({entry.list_name}: {entry.income_group})"
    return f" ({entry.list_name})"


def _facts(entry: EligibilityInfo) -> dict:
    return {"recipient": entry.recipient_code, "on_list": entry.on_list, "income_group": entry.income_group,
            "list": entry.list_name, "origin": entry.origin, "from": entry.year_from, "to": entry.year_to}
