"""Streaming the activity file: lxml's incremental writer, one activity at a time.

The activities arrive grouped by programme (``queries.published_activities``); each is
built as a small element tree, serialised and dropped, so memory stays flat however
large the ledger. A programme's grants to persons and its parent activity are written
when the programme's last activity has gone by (``groups``). What the organisation
file needs (ODA per year) is added up on the way.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Callable, Iterable

from lxml import etree

from exports.iati.activity import DISBURSEMENT, IatiContext, activity_element, own_texts
from exports.iati.groups import (GROUP_FIELDS, PersonsGroup, Published, group_codes, persons_texts,
                                 programme_element, programme_identifier)
from exports.iati.identity import activity_identifier
from exports.iati.queries import ActivityLines, ProgrammeInfo

VERSION = "2.03"


@dataclass
class Totals:
    """What the activity file holds: counts, and ODA disbursed (net) per year in EUR cents."""

    activities: int = 0
    transactions: int = 0
    disbursed: dict[int, int] = field(default_factory=dict)

    def count(self, activity) -> None:
        """Add an activity as written: the organisation file's expenditure is read from the
        activity file's own elements, so the two files cannot disagree."""
        self.activities += 1
        for transaction in activity.iterfind("transaction"):
            self.transactions += 1
            if transaction.find("transaction-type").get("code") == DISBURSEMENT:
                year = int(transaction.find("transaction-date").get("iso-date")[:4])
                self.disbursed[year] = self.disbursed.get(year, 0) + _cents(transaction.findtext("value"))


def _cents(text: str) -> int:
    whole, _, fraction = text.lstrip("-").partition(".")
    cents = int(whole) * 100 + int(fraction or 0)
    return -cents if text.startswith("-") else cents


@dataclass(frozen=True)
class ProgrammeSource:
    """How the writer learns about a programme: its facts and its plans (year, EUR cents)."""

    info: Callable[[int], ProgrammeInfo]
    budgets: Callable[[int], list[tuple[int, int]]]


def write_activities(path: Path, ctx: IatiContext, items: Iterable[ActivityLines], source: ProgrammeSource) -> Totals:
    totals = Totals()
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("iati-activities", {"version": VERSION,
                                            "generated-datetime": ctx.generated_at.isoformat(timespec="seconds")}):
            for programme_id, group in groupby(items, key=lambda item: item.row.programme_id):
                for activity in _programme_activities(ctx, source.info(programme_id), group, source):
                    totals.count(activity)
                    xf.write(activity, pretty_print=True)
    return totals


def _programme_activities(ctx: IatiContext, programme: ProgrammeInfo, items: Iterable[ActivityLines],
                          source: ProgrammeSource):
    parent = programme_identifier(ctx.organisation_id, programme.code)
    published = Published()
    persons: dict[tuple, PersonsGroup] = {}
    for item in items:
        row = item.row
        published.add(row)
        if row.personal:
            key = tuple(getattr(row, name) for name in GROUP_FIELDS)
            persons.setdefault(key, PersonsGroup(row, None, None)).add(row, item.lines)
            continue
        yield activity_element(ctx, row, activity_identifier(ctx.organisation_id, row.code), own_texts(row),
                               item.lines, crs_id=item.crs_id, parent_identifier=parent)
    for group, code in zip(persons.values(), group_codes(programme.code, persons.values())):
        stand_in = group.stand_in(code)
        yield activity_element(ctx, stand_in, activity_identifier(ctx.organisation_id, stand_in.code),
                               persons_texts(programme), group.lines(), parent_identifier=parent, partner=False)
    yield programme_element(ctx, programme, published, source.budgets(programme.id))
