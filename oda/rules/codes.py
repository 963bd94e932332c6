"""Rule 6, codes valid in the reporting year: purpose code, aid type and channel.

A withdrawn, not yet active or unknown code makes the line need review, naming the
code (74010 was withdrawn on 2017-12-31, for instance). An aid-type sub-code used
before it existed (B033 before 2022) passes when its parent (B03) was valid then:
the line is reported with the parent for that year.

Channels are checked for withdrawal only: the IATI list dates 81 channel codes from
2020-01-01 (when IATI re-synchronised it), CERF's 41147 among them, although the
DAC's own Annex 2 table lists them for 2019 flows.
"""
from __future__ import annotations

from oda.rules.base import LOAD_COMMAND, PASS, UNKNOWN, RuleContext, RuleResult
from oda.rules.reference import NOT_ACTIVE, UNKNOWN_CODE, VALID, WITHDRAWN

NAME = "codes"
CHECKED = (("purpose_codes", "purpose code", "purpose_code"), ("aid_types", "aid type", "aid_type"),
           ("channels", "channel", "channel_code"))
READS = tuple(attribute for _, _, attribute in CHECKED)


def check(ctx: RuleContext) -> RuleResult:
    problems: list[str] = []
    notes: list[str] = []
    facts: dict = {}
    for list_name, label, attribute in CHECKED:
        code = getattr(ctx.activity, attribute)
        status = ctx.ref.code_status(list_name, code, ctx.year) if code else "missing"
        if list_name == "channels" and status == NOT_ACTIVE:
            status = VALID
        facts[list_name] = {"code": code, "status": status}
        message = _problem(ctx, list_name, label, code, status)
        if message is None:
            continue
        parent = _valid_parent(ctx, list_name, code, status)
        if parent:
            facts[list_name]["report_as"] = parent
            notes.append(f"aid type {code} is in use only from {_activation(ctx, list_name, code)}: for "
                         f"{ctx.year} flows it is reported as its parent {parent}")
        else:
            problems.append(message)
    if problems:
        return RuleResult(NAME, UNKNOWN, _sentence(problems + notes), facts=facts)
    text = f"Purpose code, aid type and channel are valid codes for {ctx.year} flows"
    return RuleResult(NAME, PASS, text + (f"; {'; '.join(notes)}." if notes else "."), facts=facts)


def _problem(ctx: RuleContext, list_name: str, label: str, code: str | None, status: str) -> str | None:
    if status == VALID:
        return None
    if status == "missing":
        return f"the {label} is missing"
    info = ctx.ref.code(list_name, code)
    if status == WITHDRAWN:
        when = f" on {info.withdrawal_date.isoformat()}" if info and info.withdrawal_date else ""
        return f"{label} {code} ({info.name}) was withdrawn{when}"
    if status == NOT_ACTIVE:
        return f"{label} {code} ({info.name}) is in use only from {info.activation_date.isoformat()}"
    if status == UNKNOWN_CODE:
        return (f"{label} {code} is not in the loaded {label} list (unknown code: correct it, or load the official "
                f"IATI/OECD code lists with `{LOAD_COMMAND} PATH`)")
    return f"{label} {code}: {status}"


def _valid_parent(ctx: RuleContext, list_name: str, code: str | None, status: str) -> str | None:
    if list_name != "aid_types" or status != NOT_ACTIVE or not code or len(code) != 4:
        return None
    parent = code[:3]
    return parent if ctx.ref.code_status(list_name, parent, ctx.year) == VALID else None


def _activation(ctx: RuleContext, list_name: str, code: str) -> str:
    info = ctx.ref.code(list_name, code)
    return info.activation_date.isoformat() if info and info.activation_date else "later"


def _sentence(parts: list[str]) -> str:
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."
