"""The programme chart as data for Chart.js (and the table beside it)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from programmes.services.queries import chart
from programmes.services.queries.programme import YearTotals


def stack_label(stack: chart.Stack, by: str) -> str:
    if stack.key == chart.OTHER:
        count = int(stack.label)
        if by == chart.BY_SECTOR:
            return ngettext("%(num)d other sector", "%(num)d other sectors", count)
        return ngettext("%(num)d other activity", "%(num)d other activities", count)
    if stack.key == chart.NO_SECTOR:
        return _("No sector")
    if stack.key == chart.WHOLE_PROGRAMME:
        return _("Programme as a whole")
    return stack.label


def chart_payload(years: list[YearTotals], stacks: list[chart.Stack], by: str) -> dict:
    """JSON for aidledger.js: amounts as strings of euros (exact), years as labels."""
    planned = ([{"label": stack_label(s, by), "key": s.key, "values": [str(v) for v in s.planned]}
                for s in stacks if any(s.planned)] if by == chart.BY_SECTOR else [])
    if not planned:
        planned = [{"label": _("Planned"), "key": "_planned", "values": [str(y.totals.planned) for y in years]}]
    return {
        "years": [y.year for y in years],
        "series": {"planned": _("Planned"), "committed": _("Committed"), "disbursed": _("Disbursed")},
        "short": {"planned": _("Plan"), "committed": _("Comm."), "disbursed": _("Disb.")},
        "planned": planned,
        "stacks": [{"label": stack_label(s, by), "key": s.key, "committed": [str(v) for v in s.committed],
                    "disbursed": [str(v) for v in s.disbursed]} for s in stacks],
        "currency": "EUR",
    }
