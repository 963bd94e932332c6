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
from oda.rules.messages import N_, CodeName, Items, Message, msg
from oda.rules.reference import NOT_ACTIVE, UNKNOWN_CODE, VALID, WITHDRAWN

NAME = "codes"
CHECKED = (("purpose_codes", N_("purpose code"), "purpose_code"), ("aid_types", N_("aid type"), "aid_type"),
           ("channels", N_("channel"), "channel_code"))
READS = tuple(attribute for _, _, attribute in CHECKED)


def check(ctx: RuleContext) -> RuleResult:
    problems: list[Message] = []
    notes: list[Message] = []
    facts: dict = {}
    for list_name, label, attribute in CHECKED:
        code = getattr(ctx.activity, attribute)
        status = ctx.ref.code_status(list_name, code, ctx.year) if code else "missing"
        if list_name == "channels" and status == NOT_ACTIVE:
            status = VALID
        facts[list_name] = {"code": code, "status": status}
        problem = _problem(ctx, list_name, msg(label), code, status)
        if problem is None:
            continue
        parent = _valid_parent(ctx, list_name, code, status)
        if parent:
            facts[list_name]["report_as"] = parent
            notes.append(msg(N_("aid type %(code)s is in use only from %(date)s: for %(year)s flows it is reported "
                                "as its parent %(parent)s"), code=code, date=_activation(ctx, list_name, code),
                             year=ctx.year, parent=parent))
        else:
            problems.append(problem)
    if problems:
        return RuleResult(NAME, UNKNOWN, msg(N_("%(problems)s."), cap=True, problems=Items(tuple(problems + notes))),
                          facts=facts)
    if notes:
        return RuleResult(NAME, PASS, msg(N_("Purpose code, aid type and channel are valid codes for %(year)s flows; "
                                             "%(notes)s."), year=ctx.year, notes=Items(tuple(notes))), facts=facts)
    return RuleResult(NAME, PASS, msg(N_("Purpose code, aid type and channel are valid codes for %(year)s flows."),
                                      year=ctx.year), facts=facts)


def _problem(ctx: RuleContext, list_name: str, label: Message, code: str | None, status: str) -> Message | None:
    if status == VALID:
        return None
    if status == "missing":
        return msg(N_("the %(label)s is missing"), label=label)
    info = ctx.ref.code(list_name, code)
    if status == WITHDRAWN:
        if info and info.withdrawal_date:
            return msg(N_("%(label)s %(code)s (%(name)s) was withdrawn on %(date)s"), label=label, code=code,
                       name=_named(list_name, code, info), date=info.withdrawal_date.isoformat())
        return msg(N_("%(label)s %(code)s (%(name)s) was withdrawn"), label=label, code=code,
                   name=_named(list_name, code, info))
    if status == NOT_ACTIVE:
        return msg(N_("%(label)s %(code)s (%(name)s) is in use only from %(date)s"), label=label, code=code,
                   name=_named(list_name, code, info), date=info.activation_date.isoformat())
    if status == UNKNOWN_CODE:
        return msg(N_("%(label)s %(code)s is not in the loaded %(label)s list (unknown code: correct it, or load the "
                      "official IATI/OECD code lists with `%(command)s PATH`)"), label=label, code=code,
                   command=LOAD_COMMAND)
    return msg(N_("%(label)s %(code)s: %(status)s"), label=label, code=code, status=status)


def _named(list_name: str, code: str, info) -> CodeName:
    """The code's name, said in the reader's language when read (the English name as before)."""
    return CodeName(list_name, code, info.name)


def _valid_parent(ctx: RuleContext, list_name: str, code: str | None, status: str) -> str | None:
    if list_name != "aid_types" or status != NOT_ACTIVE or not code or len(code) != 4:
        return None
    parent = code[:3]
    return parent if ctx.ref.code_status(list_name, parent, ctx.year) == VALID else None


def _activation(ctx: RuleContext, list_name: str, code: str) -> Message | str:
    info = ctx.ref.code(list_name, code)
    return info.activation_date.isoformat() if info and info.activation_date else msg(N_("later"))
