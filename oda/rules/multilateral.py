"""Rule 5, multilateral core contributions and the Annex 2 coefficient.

Bi/multi is derived from the aid type (``oda.rules.bi_multi``); a value the activity
states that contradicts it needs review. A core contribution (aid type B02, bi/multi
2) counts only when the organisation is on Annex 2, and then only its coefficient
(UNESCO 60 %, CERF 100 % in the 2019 table). The coefficient of the reporting year is
used, or the most recent earlier table, saying so. Without an entry in that year or an
earlier one (curated or official) the contribution is not reportable as multilateral
ODA: not ODA (an officer may override); when only a later table lists the organisation,
a person decides. Earmarked money through a multilateral (B03x, or C01 through a
4xxxx channel) is bilateral and counts in full: no coefficient applies there.
Core support to an NGO, PPP or network (B01) on Annex 2 takes its coefficient too.
"""
from __future__ import annotations

from decimal import Decimal

from oda.rules.base import FAIL, LOAD_COMMAND, PASS, UNKNOWN, RuleContext, RuleResult, percent_param
from oda.rules.bi_multi import BiMulti, derive
from oda.rules.messages import N_, CodeName, Items, Message, msg
from oda.rules.reference import Annex2Info

NAME = "multilateral"
READS = ("aid_type", "bi_multi", "channel_code")
FULL = Decimal("1")
MULTILATERAL = "2"


def check(ctx: RuleContext) -> RuleResult:
    aid = (ctx.activity.aid_type or "").upper()
    bi_multi = derive(aid, ctx.activity.bi_multi)
    if bi_multi.conflict:
        return _conflicting_bi_multi(ctx, aid, bi_multi)
    if bi_multi.value == MULTILATERAL:
        return _core_multilateral(ctx, aid, bi_multi)
    if aid.startswith("B03") or (aid == "C01" and (ctx.activity.channel_code or "").startswith("4")):
        return _earmarked(ctx, aid, bi_multi)
    if aid == "B01":
        return _core_ngo(ctx)
    return RuleResult(NAME, PASS, msg(N_("Not a core contribution: no Annex 2 coefficient applies, the amount "
                                         "counts in full.")),
                      share=FULL, facts={"aid_type": aid or None, "bi_multi": bi_multi.value})


def _conflicting_bi_multi(ctx: RuleContext, aid: str, bi_multi: BiMulti) -> RuleResult:
    facts = {"aid_type": aid or None, "bi_multi": bi_multi.value, "bi_multi_stated": bi_multi.stated}
    stated = ctx.ref.code_name("bi_multi", bi_multi.stated)
    derived = ctx.ref.code_name("bi_multi", bi_multi.value)
    return RuleResult(NAME, UNKNOWN, msg(N_("The activity states bi/multi %(stated)s, but aid type %(aid)s is "
                                            "reported as %(derived)s: correct the activity's bi/multi (or leave it "
                                            "empty: it is derived from the aid type)."), stated=stated,
                                         aid=aid or msg(N_("(missing)")), derived=derived), facts=facts)


def _core_multilateral(ctx: RuleContext, aid: str, bi_multi: BiMulti) -> RuleResult:
    facts = {"aid_type": aid, "bi_multi": bi_multi.value, "channel": ctx.activity.channel_code}
    channel = ctx.activity.channel_code
    if not channel:
        return RuleResult(NAME, UNKNOWN, msg(N_("A core contribution needs the organisation's channel code to find "
                                                "its Annex 2 coefficient.")), facts=facts)
    entry = ctx.ref.annex2_entry(channel, ctx.year)
    if entry is None:
        return _not_on_annex2(ctx, channel, facts)
    facts.update(_facts(entry))
    if entry.core_aid_type == "B01":
        return RuleResult(NAME, UNKNOWN, msg(N_("%(label)s is on Annex 2 as an NGO, PPP or network, whose core "
                                                "support is bilateral (B01, bi/multi 3), not multilateral."),
                                             label=entry.label), facts=facts)
    return _with_coefficient(ctx, entry, facts, N_("Core contribution to %(label)s: %(share)s of it is ODA, the "
                                                   "coefficient in %(table)s."))


def _with_coefficient(ctx: RuleContext, entry: Annex2Info, facts: dict, said: str) -> RuleResult:
    if entry.coefficient is None:
        return RuleResult(NAME, UNKNOWN, msg(N_("%(label)s is on Annex 2 (%(year)s table) but its coefficient was "
                                                "not assessed: decide the ODA share."), label=entry.label,
                                             year=entry.year), facts=facts)
    if entry.year == ctx.year:
        table = msg(N_("the %(year)s Annex 2 table"), year=entry.year)
    else:
        table = msg(N_("the most recent earlier Annex 2 table (%(year)s; none is loaded for %(flows)s)"),
                    year=entry.year, flows=ctx.year)
    return RuleResult(NAME, PASS, msg(said, label=entry.label, share=percent_param(entry.coefficient), table=table),
                      share=entry.coefficient, facts=facts)


def _not_on_annex2(ctx: RuleContext, channel: str, facts: dict) -> RuleResult:
    name = channel_label(ctx, channel)
    later = ctx.ref.annex2_later_entry(channel, ctx.year)
    if later is not None:
        return RuleResult(NAME, UNKNOWN, msg(N_("No Annex 2 table for %(year)s or earlier lists %(name)s; the "
                                                "%(later)s table gives %(share)s: load the OECD Annex 2 table for "
                                                "%(year)s with `%(command)s FILE`, or decide the share."),
                                             year=ctx.year, name=name, later=later.year,
                                             share=percent_param(later.coefficient), command=LOAD_COMMAND), facts=facts)
    tables = [msg(N_("%(year)s (%(origin)s)"), year=year, origin=msg(origin))
              for year, origin in ctx.ref.annex2_tables(ctx.year)]
    return RuleResult(NAME, FAIL, msg(N_("%(name)s has no Annex 2 coefficient for %(year)s flows (Annex 2 tables "
                                         "in force: %(tables)s): a core contribution to it is not reportable as "
                                         "multilateral ODA, so it is not ODA. If the OECD's Annex 2 for %(year)s "
                                         "lists it, load that table with `%(command)s FILE`; otherwise an officer "
                                         "may decide with a reason."), name=name, year=ctx.year,
                                      tables=Items(tuple(tables), ", ") if tables else msg(N_("none")),
                                      command=LOAD_COMMAND),
                      share=Decimal("0"), facts=facts)


def _earmarked(ctx: RuleContext, aid: str, bi_multi: BiMulti) -> RuleResult:
    channel = ctx.activity.channel_code
    facts = {"aid_type": aid, "bi_multi": bi_multi.value, "channel": channel}
    entry = ctx.ref.annex2_entry(channel, ctx.year)
    through = channel_label(ctx, channel) if channel else msg(N_("an implementing partner"))
    if entry is not None and entry.coefficient is not None and entry.coefficient != FULL:
        said = msg(N_("Earmarked contribution (%(aid)s) through %(through)s: bilateral, counted in full; the Annex 2 "
                      "coefficient (%(share)s) is for core contributions only and does not apply."),
                   aid=aid, through=through, share=percent_param(entry.coefficient))
    else:
        said = msg(N_("Earmarked contribution (%(aid)s) through %(through)s: bilateral, counted in full."),
                   aid=aid, through=through)
    return RuleResult(NAME, PASS, said, share=FULL, facts=facts)


def channel_label(ctx: RuleContext, channel: str) -> Message | str:
    """"UNESCO (41304)" when Annex 2 knows an acronym, else the channel list's name."""
    entry = ctx.ref.annex2_entry(channel, ctx.year) or ctx.ref.annex2_later_entry(channel, ctx.year)
    if entry is not None:
        return entry.label
    info = ctx.ref.code("channels", channel)
    if info is None:
        return msg(N_("channel %(code)s"), code=channel)
    return msg(N_("%(name)s (%(code)s)"), name=CodeName("channels", channel, info.name), code=channel)


def _core_ngo(ctx: RuleContext) -> RuleResult:
    channel = ctx.activity.channel_code
    facts = {"aid_type": "B01", "channel": channel}
    entry = ctx.ref.annex2_entry(channel, ctx.year)
    if entry is None or entry.coefficient is None:
        return RuleResult(NAME, PASS, msg(N_("Core support to an NGO, PPP, network or research institute (B01): "
                                             "counted in full (Annex 2 is not exhaustive for these bodies).")),
                          share=FULL, facts=facts)
    facts.update(_facts(entry))
    return _with_coefficient(ctx, entry, facts, N_("Core support to %(label)s: %(share)s of it is ODA, the "
                                                   "coefficient in %(table)s."))


def _facts(entry: Annex2Info) -> dict:
    return {"annex2_year": entry.year, "coefficient": None if entry.coefficient is None else str(entry.coefficient),
            "annex2_origin": entry.origin}
