"""The activities the ledger does not hold one by one: a programme, and the grants to persons.

A **programme** is published as the parent (hierarchy 1) of its activities: its title and
description, its years, its partner country, its focus sectors (or else its published
activities' sectors) and its plans as yearly budgets. Plans are per programme in the
ledger, never per activity, so this is where IATI's budget per year comes from.

**Grants to persons** (interns, trainees, individual grants of a scheme: ``queries.personal``)
are published added up: one activity per programme and CRS classification, its lines
summed per kind and day. No individual activity's code, title, description, dates
or partner is written, so nothing names or singles out a person.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from lxml import etree

from exports.iati.activity import IatiContext, Texts, activity_dates, activity_status, participating_orgs
from exports.iati.elements import CURRENCY, XML_LANG, SubElement, clean, narratives, period, reporting_org, value
from exports.iati.identity import REPORTING_ORG_NAMES, Narrative, activity_identifier
from exports.iati.places import DAC_REGIONS, Place
from exports.iati.queries import Line, ProgrammeInfo

#: IATI BudgetType 1 original; BudgetStatus 1 indicative (a plan, not a signed commitment)
ORIGINAL, INDICATIVE = "1", "1"
#: a 5-digit DAC purpose code is vocabulary 1, a 3-digit sector category vocabulary 2
SECTOR_VOCABULARY = {5: "1", 3: "2"}


def programme_identifier(organisation_id: str, code: str) -> str:
    return activity_identifier(organisation_id, code)


def split_percentages(count: int) -> list[str]:
    """``count`` equal percentages with two decimals that add up to exactly 100 (one: 100)."""
    if count == 1:
        return ["100"]
    share = (Decimal(100) / count).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    return [str(share)] * (count - 1) + [str(Decimal(100) - share * (count - 1))]


def programme_sectors(programme: ProgrammeInfo, published: set[str]) -> list[tuple[str, str, str]]:
    """(vocabulary, code, percentage) of the programme's focus sectors, else of its published
    activities' purposes; equal percentages adding up to 100 within each vocabulary."""
    focus = [str(code).strip() for code in programme.focus_sectors or () if len(str(code).strip()) in (3, 5)]
    by_vocabulary: dict[str, list[str]] = {}
    for code in dict.fromkeys(focus or sorted(published)):
        by_vocabulary.setdefault(SECTOR_VOCABULARY[len(code)], []).append(code)
    return [(vocabulary, code, percentage) for vocabulary, codes in by_vocabulary.items()
            for code, percentage in zip(codes, split_percentages(len(codes)))]


def programme_places(ctx: IatiContext, programme: ProgrammeInfo, published: set[str]) -> list[Place]:
    """The programme's partner country, else the places of its published activities."""
    partner = ctx.places.get(programme.partner_country or "")
    if partner is not None:
        return [partner]
    return sorted({ctx.places[code] for code in published if code in ctx.places})


def places_elements(parent, places: list[Place]) -> None:
    """Recipient countries and regions, equal percentages adding up to 100 over both (IATI rule 3.4.2)."""
    for place, percentage in zip(places, split_percentages(len(places)) if places else []):
        if place.element == "country":
            SubElement(parent, "recipient-country", {"code": place.code, "percentage": percentage})
        else:
            SubElement(parent, "recipient-region", {"code": place.code, "vocabulary": DAC_REGIONS,
                                                    "percentage": percentage})


def programme_element(ctx: IatiContext, programme: ProgrammeInfo, published: Published,
                      budgets: list[tuple[int, int]]):
    """The parent activity of a programme, with its plans as budgets (``budgets``: (year, EUR cents));
    ``published``: what its published activities have in common."""
    start, end = date(programme.start_year, 1, 1), date(programme.end_year, 12, 31)
    activity = etree.Element("iati-activity", {
        "last-updated-datetime": ctx.generated_at.isoformat(timespec="seconds"), XML_LANG: ctx.language,
        "default-currency": CURRENCY, "hierarchy": "1"})
    SubElement(activity, "iati-identifier").text = programme_identifier(ctx.organisation_id, programme.code)
    reporting_org(activity, ctx.organisation_id, REPORTING_ORG_NAMES)
    title = clean(programme.name) or programme.code
    narratives(SubElement(activity, "title"), (Narrative(None, title),))
    narratives(SubElement(activity, "description", {"type": "1"}),
               (Narrative(None, clean(programme.description) or title),))
    participating_orgs(activity, ctx, None, with_partner=False)
    SubElement(activity, "activity-status", {"code": activity_status(start, end, ctx.today)})
    for kind, day in activity_dates(start, end, [], ctx.today):
        SubElement(activity, "activity-date", {"type": kind, "iso-date": day.isoformat()})
    places_elements(activity, programme_places(ctx, programme, published.recipients))
    for vocabulary, code, percentage in programme_sectors(programme, published.purposes):
        SubElement(activity, "sector", {"vocabulary": vocabulary, "code": code, "percentage": percentage})
    for year, cents in budgets:
        budget = SubElement(activity, "budget", {"type": ORIGINAL, "status": INDICATIVE})
        period(budget, year)
        value(budget, cents, date(year, 1, 1))
    return activity


@dataclass
class Published:
    """The recipients and purposes of a programme's published activities."""

    recipients: set[str] = field(default_factory=set)
    purposes: set[str] = field(default_factory=set)

    def add(self, row) -> None:
        if row.recipient_code:
            self.recipients.add(row.recipient_code)
        if row.purpose_code:
            self.purposes.add(row.purpose_code)


#: the CRS classification that keeps grants to persons apart when added up
GROUP_FIELDS = ("recipient_code", "purpose_code", "aid_type", "flow_type", "finance_type", "channel",
                "bi_multi_crs", "tied_status", "humanitarian", "commitment_derived")


@dataclass
class PersonsGroup:
    """Grants to persons of one programme with the same CRS classification, added up."""

    row: object
    start: date | None
    end: date | None
    sums: dict[tuple[str, date], int] = field(default_factory=dict)

    def add(self, row, lines: list[Line]) -> None:
        self.start = _earliest(self.start, row.start_date)
        self.end = _latest(self.end, row.end_date)
        for line in lines:
            key = (line.kind, line.date)
            self.sums[key] = self.sums.get(key, 0) + line.cents

    def lines(self) -> list[Line]:
        return [Line(kind, day, cents) for (kind, day), cents in sorted(self.sums.items(), key=lambda i: i[0][1])]

    def stand_in(self, code: str):
        """A row of the shape ``activity_element`` reads, with nothing of any one person's activity."""
        values = {name: getattr(self.row, name) for name in self.row._fields}
        values.update(code=code, title=None, description=None,
                      organisation_name=None, organisation_kind=None, start_date=self.start, end_date=self.end,
                      status=None, commitment_date=None)
        for name in values:
            if name.startswith(("marker_", "flag_", "loan_")):
                values[name] = None
        return SimpleNamespace(**values)


def group_codes(programme_code: str, groups) -> list[str]:
    """``<programme>-PERSONS-<recipient>-<purpose>-<aid type>`` per group; groups that differ
    only in another attribute (flow, finance, channel …) get ``-2``, ``-3`` … in the order met."""
    codes, seen = [], {}
    for group in groups:
        row = group.row
        base = "-".join([programme_code, "PERSONS", row.recipient_code or "X", row.purpose_code or "X",
                         row.aid_type or "X"])
        seen[base] = seen.get(base, 0) + 1
        codes.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return codes


def persons_texts(programme: ProgrammeInfo) -> Texts:
    name = clean(programme.name) or programme.code
    return Texts((Narrative("en", f"{name}: grants to persons, added up"),
                  Narrative("nl", f"{name}: toelagen aan personen, samengeteld")),
                 (Narrative("en", f"The grants of {name} to individual persons, added up per day; "
                                  "no person is named."),
                  Narrative("nl", f"De toelagen van {name} aan individuele personen, samengeteld per dag; "
                                  "geen persoon wordt genoemd.")))


def _earliest(a: date | None, b: date | None) -> date | None:
    return b if a is None else a if b is None else min(a, b)


def _latest(a: date | None, b: date | None) -> date | None:
    return b if a is None else a if b is None else max(a, b)
