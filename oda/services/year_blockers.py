"""oda's kinds of blocker of a reporting year (``oda.services.year_status``), one small
function each. Every one reads the year's evaluations (one per activity, year and
currency), the officers' current overrides (few), activities or reference tables: never
the year's lines one by one.
"""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from app.year_lock import locked_years
from oda.mandatory import N_, incomplete_activities
from oda.models import Annex2Coefficient, Evaluation, RecipientEligibility, Status
from oda.services.drift import reference_drift
from oda.services.review_groups import open_groups
from oda.services.year_status import BlockerItem, Example, Link, register_blocker
from programmes.models import Activity, Programme
from programmes.services.queries.commitments import commitment_comparisons, commitment_missing

#: how many of the things an item counts it names
EXAMPLES = 5
OFFICIAL = "official"


def _needs_review(e=Evaluation):
    return or_(e.status == Status.NEEDS_REVIEW, e.units_per_eur.is_(None))


def reported_activities(year: int):
    """Activities that have lines in ``year`` whose CRS rows may be written: eligible, or
    still open (a select of ids). Not-eligible activities write no CRS row."""
    e = Evaluation
    return select(e.activity_id).distinct().where(e.year == year, e.lines > 0, e.status != Status.NOT_ELIGIBLE)


def _examples(rows, anchor: str | None) -> tuple[Example, ...]:
    """The first EXAMPLES activities of (code, title) rows, each once, linked to its page."""
    params = {"_anchor": anchor} if anchor else {}
    named = dict.fromkeys((code, title) for code, title, *_ in rows)
    return tuple(Example(f"{code} {title}", Link("programmes.activity", {"code": code, **params}))
                 for code, title in list(named)[:EXAMPLES])


class Counted(NamedTuple):
    count: int
    examples: tuple[Example, ...]


def _counted_activities(session: Session, ids, anchor: str | None = None) -> Counted:
    """How many activities ``ids`` selects, and the first few by code, in one statement."""
    rows = session.execute(select(Activity.code, Activity.title, func.count().over())
                           .where(Activity.id.in_(ids)).order_by(Activity.code).limit(EXAMPLES)).all()
    return Counted(int(rows[0][2]) if rows else 0, _examples(rows, anchor))


def _first_or(examples: tuple[Example, ...], link: Link) -> Link:
    """The first example's link (one click to the first thing to fix), else ``link``."""
    return examples[0].link if examples else link


def open_review_groups(session: Session, year: int) -> BlockerItem:
    """Lines still to decide, as the review queue groups them (``oda.services.review_groups``:
    per activity-year and reasons, overrides and group decisions counted)."""
    groups = open_groups(year).subquery("review_groups")
    # one row per group; an activity's groups of the year (a few currencies) sort together
    rows = session.execute(select(Activity.code, Activity.title, func.count().over(),
                                  func.sum(groups.c.lines).over())
                           .join(Activity, Activity.id == groups.c.activity_id)
                           .order_by(Activity.code).limit(EXAMPLES * 5)).all()
    count, lines = (int(rows[0][2]), int(rows[0][3])) if rows else (0, 0)
    examples = _examples(rows, "transactions")
    return BlockerItem("open_review_groups", N_("Open review groups"),
                       N_("Decide them in the ODA review queue (accept, reject or set a share, with a reason)."),
                       int(count), "groups", Link("oda.review_queue_page", {"year": year}),
                       examples=examples, lines=int(lines))


def lines_without_rate(session: Session, year: int) -> BlockerItem:
    """Lines of ``year`` in a currency without the year's exchange rate, by currency."""
    e = Evaluation
    rows = session.execute(select(e.currency, func.sum(e.lines)).where(
        e.year == year, e.lines > 0, e.units_per_eur.is_(None)).group_by(e.currency).order_by(e.currency)).all()
    rates = Link("oda.reference_list", {"list_name": "exchange_rates"})
    examples = tuple(Example(f"{currency} {year}: {int(lines)}", rates) for currency, lines in rows)
    return BlockerItem("lines_without_rate", N_("Lines without an exchange rate"),
                       N_("Load the year's rates (reference load, or import the rates spreadsheet); the lines "
                          "are classified again at once."),
                       sum(int(lines) for _, lines in rows), "lines", Link("importers.index", {"kind": "rates"}),
                       examples=examples[:EXAMPLES])


def missing_mandatory_items(session: Session, year: int) -> BlockerItem:
    """Activities with (possible) ODA in ``year`` that lack a CRS mandatory item."""
    ids = select(Activity.id).where(Activity.id.in_(reported_activities(year)),
                                    Activity.id.in_(incomplete_activities()))
    count, examples = _counted_activities(session, ids, anchor="edit")
    return BlockerItem("missing_mandatory_items", N_("CRS rows missing a mandatory item"),
                       N_("Complete the activity's codes (recipient, channel, type of aid, purpose code, type of "
                          "flow, type of finance)."),
                       int(count), "activities", _first_or(examples, Link("oda.review_queue_page", {"year": year})),
                       examples=examples)


def commitment_conflicts(session: Session, year: int) -> BlockerItem:
    """Activities of ``year`` whose commitment on the activity and commitment lines disagree."""
    found = commitment_comparisons(session, Activity.id.in_(reported_activities(year)))
    examples = tuple(Example(f"{c.code} {c.title}", Link("programmes.activity", {"code": c.code, "_anchor": "edit"}))
                     for c in found[:EXAMPLES])
    return BlockerItem("commitment_conflicts", N_("Commitment conflicts"),
                       N_("The commitment on the activity and its commitment lines disagree: correct one of them."),
                       len(found), "activities", _first_or(examples, Link("oda.review_queue_page", {"year": year})),
                       examples=examples)


def commitments_missing(session: Session, year: int) -> BlockerItem:
    """Activities of ``year`` (not humanitarian) with no commitment recorded anywhere."""
    ids = (select(Activity.id).join(Programme, Programme.id == Activity.programme_id)
           .where(Activity.id.in_(reported_activities(year)), commitment_missing()))
    count, examples = _counted_activities(session, ids, anchor="edit")
    return BlockerItem("commitments_missing", N_("Activities without a commitment"),
                       N_("Enter the commitment date and amount on the activity, or import its commitment lines."),
                       int(count), "activities", Link("importers.index", {}),
                       examples=examples)


def dac_list_coverage(session: Session, year: int) -> BlockerItem:
    """The DAC List of ODA Recipients in force for ``year``: blocks when no list covers the
    year; an official list is expected (the curated subset names only some countries)."""
    r = RecipientEligibility
    covering = and_(r.year_from <= year, or_(r.year_to.is_(None), r.year_to >= year), r.on_list.is_(True))
    official, curated = session.execute(select(
        func.count(case((r.origin == OFFICIAL, 1))), func.count(case((r.origin != OFFICIAL, 1)))).where(covering)).one()
    link = Link("oda.reference_list", {"list_name": "recipient_eligibility"})
    if official:
        return BlockerItem("dac_list", N_("DAC List of ODA Recipients for the year"), N_("Loaded."), 0, "lists", link)
    if curated:
        return BlockerItem("dac_list", N_("DAC List of ODA Recipients for the year: only the curated subset"),
                           N_("Load the official DAC List that covers the year (flask reference load)."), 1, "lists",
                           link, blocks=False)
    return BlockerItem("dac_list", N_("DAC List of ODA Recipients for the year"),
                       N_("No DAC List covers the year: load the official one (flask reference load)."), 1, "lists",
                       link)


def annex2_coverage(session: Session, year: int) -> BlockerItem:
    """The Annex 2 coefficients of ``year``: the rules fall back on the latest earlier table
    (worth knowing); without any table up to the year, core contributions cannot be rated."""
    a = Annex2Coefficient
    latest = session.scalar(select(func.max(a.year)).where(a.year <= year))
    link = Link("oda.reference_list", {"list_name": "annex2_coefficients"})
    if latest == year:
        return BlockerItem("annex2", N_("Annex 2 coefficients for the year"), N_("Loaded."), 0, "lists", link)
    if latest is not None:
        return BlockerItem("annex2", N_("Annex 2 coefficients: an earlier year's table stands in"),
                           N_("Load the year's Annex 2 table when the DAC publishes it (flask reference load)."), 1,
                           "lists", link, blocks=False, examples=(Example(str(latest), link),))
    return BlockerItem("annex2", N_("Annex 2 coefficients for the year"),
                       N_("No Annex 2 table covers the year: load it (flask reference load)."), 1, "lists", link)


def reference_drift_of_submitted_year(session: Session, year: int) -> BlockerItem:
    """Not blocking: on a submitted year, the contexts whose outcome the reference data now
    in force would change (the year keeps the version it was submitted with)."""
    link = Link("oda.reference_overview", {})
    if not locked_years(session, [year]):
        return BlockerItem("reference_drift", N_("Reference data kept by a submitted year"),
                           N_("Only a submitted year keeps its reference data; nothing to compare."), 0,
                           "contexts", link, blocks=False)
    drift = reference_drift(session, year)
    examples = tuple(Example(f"{row.activity_code} {row.currency}: {row.status} → {row.new_status}",
                             Link("programmes.activity", {"code": row.activity_code}))
                     for row in drift.rows[:EXAMPLES])
    return BlockerItem("reference_drift", N_("Newer reference data would change the submitted figures"),
                       N_("The submitted year keeps the reference data it was submitted with. To take the newer "
                          "data into a revision, reopen the year and classify it again."),
                       len(drift.rows), "contexts", link, blocks=False, examples=examples, lines=drift.lines)


register_blocker("open_review_groups", open_review_groups, order=10)
register_blocker("lines_without_rate", lines_without_rate, order=20)
register_blocker("missing_mandatory_items", missing_mandatory_items, order=30)
register_blocker("commitment_conflicts", commitment_conflicts, order=50)
register_blocker("commitments_missing", commitments_missing, order=55)
register_blocker("dac_list", dac_list_coverage, order=70)
register_blocker("annex2", annex2_coverage, order=75)
register_blocker("reference_drift", reference_drift_of_submitted_year, order=80)
