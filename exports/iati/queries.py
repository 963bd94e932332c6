"""Read side of the IATI files: the activities and their ODA lines, in chunks.

The lines are the CRS export's: each ledger line's classification from oda's
``LineOutcome`` (``exports.crs.queries.CL``), and the commitment entered on an
activity where it stands in for the ledger (``exports.crs.queries.activity_commitment_outcome``).
Only lines whose status is *eligible* are published, with their ODA amount in EUR
cents (the ODA share of a partly-ODA line), exactly what the CRS row of their year
adds up. Nothing is re-derived here.

Activities are read ``CHUNK`` at a time in (programme, id) order; each chunk's lines are
then read through the ledger's activity index, so no more than one chunk of lines is
ever held (a 1,000,000-line ledger is never sorted or kept as a whole).
"""
from __future__ import annotations

from datetime import date
from typing import Iterator, NamedTuple, Sequence

from sqlalchemy import and_, case, or_, select
from sqlalchemy.orm import Session

from exports.crs.queries import CL, ELIGIBLE, MARKER_NAMES, T, activity_commitment_outcome, crs_numbers
from oda.mandatory import channel_of_activity, missing_among
from oda.rules.bi_multi import bi_multi_sql
from programmes.models import Activity, Organisation, Programme
from programmes.models.enums import CRS_FLAG_FIELDS, LOAN_TERM_FIELDS, OrganisationKind, ProgrammeKind
from programmes.services.queries.commitments import (activity_commitment_stands_in, derived_from_disbursements,
                                                     humanitarian)

CHUNK = 500


class Line(NamedTuple):
    """One published ODA line: its kind (commitment, disbursement, refund), date and ODA in EUR cents."""

    kind: str
    date: date
    cents: int


def personal():
    """An activity that belongs to one person: an individual grant of a grant scheme (no
    organisation: the applicant is a person) or an activity of an organisation of kind
    *individual_scheme* (trainees, interns). These are published only added up per programme."""
    return or_(Organisation.kind == OrganisationKind.INDIVIDUAL_SCHEME,
               and_(Programme.kind == ProgrammeKind.GRANT_SCHEME, Activity.organisation_id.is_(None)))


ACTIVITY_FIELDS = (
    "id", "code", "title", "description", "recipient_code", "purpose_code", "aid_type", "flow_type",
    "finance_type", "main_objective", "commitment_date", "start_date", "end_date", "status", "tied_status",
) + MARKER_NAMES + CRS_FLAG_FIELDS + LOAN_TERM_FIELDS


def _activity_select(programme_codes: Sequence[str] | None):
    stmt = (
        select(*(getattr(Activity, name).label(name) for name in ACTIVITY_FIELDS),
               Activity.programme_id.label("programme_id"), Programme.code.label("programme_code"),
               Programme.name.label("programme_name"), Programme.kind.label("programme_kind"),
               Organisation.name.label("organisation_name"), Organisation.kind.label("organisation_kind"),
               channel_of_activity().label("channel"),
               bi_multi_sql(Activity.aid_type, Activity.bi_multi).label("bi_multi_crs"),
               case((humanitarian(), True), else_=False).label("humanitarian"),
               case((derived_from_disbursements(), True), else_=False).label("commitment_derived"),
               case((activity_commitment_stands_in(), True), else_=False).label("commitment_on_activity"),
               case((personal(), True), else_=False).label("personal"))
        .join(Programme, Programme.id == Activity.programme_id)
        .outerjoin(Organisation, Organisation.id == Activity.organisation_id)
        .order_by(Activity.programme_id, Activity.id)
    )
    if programme_codes:
        stmt = stmt.where(Programme.code.in_(list(programme_codes)))
    return stmt


def mandatory_missing(row) -> bool:
    """The CRS withholds the row of an activity without its mandatory items (``oda.mandatory``):
    so does IATI, so that the two files never disagree."""
    return bool(missing_among((row.recipient_code, row.channel, row.aid_type, row.purpose_code, row.flow_type,
                               row.finance_type)))


def _ledger_lines(ids: list[int], until: date):
    return (select(T.c.activity_id, T.c.kind, T.c.date, CL.oda_amount_eur_minor)
            .select_from(CL.joined())
            .where(T.c.activity_id.in_(ids), CL.status == ELIGIBLE, T.c.date <= until)
            .order_by(T.c.activity_id, T.c.date, T.c.id))


def _activity_commitment_lines(year: int, ids: list[int], until: date):
    ac = activity_commitment_outcome(year)
    return (select(ac.t.c.activity_id, ac.t.c.kind, ac.t.c.date, ac.oda_amount_eur_minor)
            .select_from(ac.joined()).where(ac.t.c.activity_id.in_(ids), ac.status == ELIGIBLE, ac.t.c.date <= until))


def _lines_of_chunk(session: Session, rows: list, until: date) -> dict[int, list[Line]]:
    """The published lines of the chunk's activities dated up to ``until``, by activity id, in date order."""
    conn = session.connection()
    ids = [r.id for r in rows]
    found: dict[int, list[Line]] = {}
    for activity_id, kind, day, cents in conn.execute(_ledger_lines(ids, until)):
        found.setdefault(activity_id, []).append(Line(kind, day, int(cents or 0)))
    years = {r.commitment_date.year for r in rows if r.commitment_on_activity and r.commitment_date}
    for year in sorted(years):
        for activity_id, kind, day, cents in conn.execute(_activity_commitment_lines(year, ids, until)):
            lines = found.setdefault(activity_id, [])
            lines.append(Line(kind, day, int(cents or 0)))
            lines.sort(key=lambda line: line.date)
    return found


class ActivityLines(NamedTuple):
    """An activity's row (``_activity_select``), its CRS id (None until a CRS export gave
    it one) and its published lines."""

    row: object
    crs_id: str | None
    lines: list[Line]


def published_activities(session: Session, until: date, programme_codes: Sequence[str] | None = None
                         ) -> Iterator[ActivityLines]:
    """Every activity with at least one ODA line that the CRS would report, dated up to ``until``
    (IATI transactions may not lie in the future: a line booked ahead is published once its
    day has come), in (programme, id) order."""
    numbers = crs_numbers(session)
    result = session.connection().execute(_activity_select(programme_codes).execution_options(yield_per=CHUNK))
    for chunk in result.partitions(CHUNK):
        rows = [r for r in chunk if not mandatory_missing(r)]
        if not rows:
            continue
        lines = _lines_of_chunk(session, rows, until)
        for r in rows:
            if r.id in lines:
                number = numbers.get(r.id)
                yield ActivityLines(r, number.crs_id if number else None, lines[r.id])


class ProgrammeInfo(NamedTuple):
    id: int
    code: str
    name: str
    kind: str
    description: str | None
    partner_country: str | None
    focus_sectors: list
    start_year: int
    end_year: int


def programmes_by_id(session: Session, ids) -> dict[int, ProgrammeInfo]:
    stmt = select(Programme.id, Programme.code, Programme.name, Programme.kind, Programme.description,
                  Programme.partner_country, Programme.focus_sectors, Programme.start_year,
                  Programme.end_year).where(Programme.id.in_(list(ids)))
    return {row[0]: ProgrammeInfo(*row) for row in session.execute(stmt)}


def unknown_programmes(session: Session, codes: Sequence[str]) -> list[str]:
    """The codes among ``codes`` that name no programme."""
    known = set(session.scalars(select(Programme.code).where(Programme.code.in_(list(codes)))))
    return [code for code in codes if code not in known]
