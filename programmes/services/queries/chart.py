"""The programme chart: planned, committed and disbursed per year, stacked by activity or sector."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from programmes.models import Activity, ActivityYearTotal, BudgetLine
from programmes.services.queries.codes import code_names
from programmes.services.queries.totals import ZERO

BY_ACTIVITY, BY_SECTOR = "activity", "sector"
#: activities beyond this many (the largest first) are drawn as one "other activities" stack
TOP_GROUPS = 7
OTHER, NO_SECTOR, WHOLE_PROGRAMME = "_other", "_none", "_whole"


@dataclass
class Stack:
    """One coloured part of the bars: an activity, a sector, or "the others"."""

    key: str
    label: str
    planned: list[Decimal] = field(default_factory=list)
    committed: list[Decimal] = field(default_factory=list)
    disbursed: list[Decimal] = field(default_factory=list)

    @property
    def weight(self) -> Decimal:
        return sum(abs(v) for v in self.committed + self.disbursed + self.planned)


def stacks(session: Session, programme_id: int, years: list[int], by: str) -> list[Stack]:
    """The stacks of the chart for ``years``: per activity (largest first) or per DAC sector category."""
    rows = session.execute(
        select(Activity.id, Activity.code, Activity.title, Activity.purpose_code, ActivityYearTotal.year,
               ActivityYearTotal.committed, ActivityYearTotal.disbursed)
        .join(ActivityYearTotal, ActivityYearTotal.activity_id == Activity.id)
        .where(Activity.programme_id == programme_id, ActivityYearTotal.year.in_(years))).all()
    index = {year: i for i, year in enumerate(years)}
    groups: dict[str, Stack] = {}

    def stack(key: str, label: str) -> Stack:
        if key not in groups:
            groups[key] = Stack(key, label, [ZERO] * len(years), [ZERO] * len(years), [ZERO] * len(years))
        return groups[key]

    for activity_id, code, title, purpose, year, committed, disbursed in rows:
        key, label = ((str(activity_id), f"{code} {_shorten(title)}") if by != BY_SECTOR
                      else ((purpose or "")[:3] or NO_SECTOR, ""))
        target = stack(key, label)
        target.committed[index[year]] += committed
        target.disbursed[index[year]] += disbursed
    if by == BY_SECTOR:
        _add_planned_by_sector(session, programme_id, index, stack)
        _name_sectors(session, groups)
    return _largest_first(list(groups.values()), len(years))


def _shorten(title: str, length: int = 32) -> str:
    return title if len(title) <= length else title[:length - 1].rstrip() + "…"


def _add_planned_by_sector(session: Session, programme_id: int, index: dict[int, int], stack) -> None:
    lines = session.execute(select(BudgetLine.year, BudgetLine.sector, BudgetLine.planned_amount)
                            .where(BudgetLine.programme_id == programme_id, BudgetLine.year.in_(list(index))))
    for year, sector, planned in lines:
        stack(sector[:3] if sector else WHOLE_PROGRAMME, "").planned[index[year]] += planned


def _name_sectors(session: Session, groups: dict[str, Stack]) -> None:
    names = code_names(session, "sector_category", [k for k in groups if not k.startswith("_")])
    for key, group in groups.items():
        group.label = f"{key} {names[key]}" if key in names else key


def _largest_first(found: list[Stack], width: int) -> list[Stack]:
    found.sort(key=lambda s: (s.key.startswith("_"), -s.weight, s.label))
    if len(found) <= TOP_GROUPS + 1:
        return found
    kept, rest = found[:TOP_GROUPS], found[TOP_GROUPS:]
    other = Stack(OTHER, "", [ZERO] * width, [ZERO] * width, [ZERO] * width)
    for group in rest:
        for series in ("planned", "committed", "disbursed"):
            values = getattr(other, series)
            for i, value in enumerate(getattr(group, series)):
                values[i] += value
    other.label = str(len(rest))  # the view words it: "N other activities"
    return kept + [other]

