"""Read side of the CRS export: the year's ledger joined to oda's stored results.

This module and ``lines`` are the one place in exports/ that reads oda's results: each
line's classification derived in SQL from its context's stored evaluation
(``oda.models.LineOutcome``: status after overrides, share, ODA amount in EUR),
documented for the CRS export in docs/oda.md, "Stored results". Views
never query these tables; they call the export services, which call these modules.
Amounts are summed in SQL as integer cents (the ``*_minor`` columns), so totals are
exact on both engines.

The transactions of year Y are the ledger's transactions dated in Y; a transaction
without a stored result counts as still open ("not classified"). Beside them, the
commitment entered on an activity counts as one more commitment line of its year when
the ledger has no commitment line of that activity (``activity_commitments``; the
rule: ``programmes.services.queries.commitments``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterator

from sqlalchemy import (BigInteger, and_, case, cast, func, literal, null, or_, select, type_coerce,
                        union_all)
from sqlalchemy.orm import Session

from app.exact import SCALE, scaled_sql
from app.rates.models import ExchangeRate
from app.sql import is_sqlite, without_index
from exports.crs.columns import FLAG_FIELDS, MARKER_FIELDS
from exports.models import CrsIdentifier
from oda.mandatory import channel_of_activity, values_by_position
from oda.models import Channel, Evaluation, LineOutcome, Override, OverrideState, Recipient, SectorCategory, Status
from oda.rules.bi_multi import bi_multi_sql
from programmes.models import Activity, Organisation, Programme, Transaction
from programmes.models.enums import CRS_RECORD_FIELDS, TransactionKind
from programmes.services.queries.commitments import (activity_commitment_stands_in, commitment_missing,
                                                     derived_from_disbursements)
from programmes.services.transactions import SPENDING, net_disbursed

T = Transaction.__table__
#: each ledger line's classification (oda derives it from the line's evaluation and overrides)
CL = LineOutcome(T, suffix="crs")
ELIGIBLE, NOT_ELIGIBLE, NEEDS_REVIEW = Status.ELIGIBLE, Status.NOT_ELIGIBLE, Status.NEEDS_REVIEW
BATCH = 2000
#: on SQLite, scan the whole ledger when the year holds at least this share of it (see ``year_scan``)
FULL_SCAN_SHARE = 0.2
#: dating more activities than this reads the whole ledger once instead of looking each up
MANY_ACTIVITIES = 5000


def cents(value) -> Decimal:
    """Integer cents from SQL (int, or Decimal on PostgreSQL) as a Decimal amount."""
    return Decimal(int(value or 0)).scaleb(-2)


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year + 1, 1, 1)


def in_year(year: int):
    start, end = year_bounds(year)
    return and_(T.c.date >= start, T.c.date < end)


@dataclass(frozen=True)
class YearScan:
    """How to select and group the year's transactions: (filter, activity id to group by)."""

    where: object
    activity_id: object
    year: int


def year_scan(session: Session, year: int) -> YearScan:
    """The year's transactions, read the fastest way for the engine and the data.

    SQLite reads a date range through the date index and then fetches every row at
    random (6 s for a year of 1,000,000 transactions, measured); when the year is a
    large share of the ledger a plain scan is several times faster (0.9 s). SQLite
    takes the scan when the filter and the grouping cannot use an index, hence the
    ``substr`` and ``+ 0``. PostgreSQL plans this well by itself.
    """
    key = ("exports.year_scan", year)
    if key not in session.info:  # decided once per session: the counts are not free
        if not is_sqlite(session) or not _large_share(session, year):
            session.info[key] = YearScan(in_year(year), T.c.activity_id, year)
        else:
            session.info[key] = YearScan(func.substr(T.c.date, 1, 4) == f"{year:04d}",
                                         without_index(session, T.c.activity_id), year)
    return session.info[key]


def _large_share(session: Session, year: int) -> bool:
    in_the_year = session.scalar(select(func.count()).select_from(T).where(in_year(year)))  # index only
    highest_id = session.scalar(select(func.max(T.c.id))) or 0
    return in_the_year >= FULL_SCAN_SHARE * highest_id


def _sum(condition, value):
    """An integer sum (cents); cast so that PostgreSQL sends a bigint, not a NUMERIC the
    driver would turn into a Decimal (a million of them for a year of 50,000 activities)."""
    return cast(func.coalesce(func.sum(case((condition, value), else_=0)), 0), BigInteger())


def _count(condition):
    return cast(func.coalesce(func.sum(case((condition, 1), else_=0)), 0), BigInteger())


def year_lines(scan: YearScan):
    """The year's lines with their classification, each value computed once per line,
    and the commitments on activities that stand in for the ledger in the year.

    ``OFFSET 0`` keeps SQLite and PostgreSQL from merging the ledger's lines into the
    aggregate above: merged, every use of a status or an ODA amount there would
    recompute the line's whole outcome (a dozen times a line; the year's totals of
    1,000,000 lines on SQLite, measured back to back: 27.9 s merged, 12.3 s apart, on a
    loaded machine). ``ledger_id`` is the transaction's id, empty for an activity's commitment.
    """
    ledger = (select(scan.activity_id.label("activity_id"), T.c.id.label("ledger_id"), T.c.kind.label("kind"),
                     T.c.amount_eur_minor.label("ledger_eur"), CL.status.label("status"),
                     CL.transaction_id.label("classified_id"),
                     CL.oda_amount_eur_minor.label("oda_eur"), CL.amount_eur_minor.label("classified_eur"))
              .select_from(CL.joined()).where(scan.where).offset(0).subquery("ledger_lines"))
    return union_all(select(ledger), _activity_commitment_lines(scan.year)).subquery("year_lines")


def activity_commitments(year: int):
    """The commitments entered on activities that are the record in ``year`` (the ledger
    has no commitment line of the activity), shaped like ledger lines: ``id`` empty,
    ``amount_eur_minor`` at the year's rate as a ledger line's (empty when the rate is missing)."""
    start, end = year_bounds(year)
    rate = ExchangeRate.__table__
    amount = type_coerce(Activity.commitment_amount, BigInteger)
    amount_eur = case((Activity.currency == "EUR", amount),
                      else_=scaled_sql(amount, SCALE, type_coerce(rate.c.units_per_eur_e10, BigInteger)))
    return (select(cast(null(), BigInteger).label("id"), Activity.id.label("activity_id"),
                   literal(TransactionKind.COMMITMENT.value).label("kind"), Activity.commitment_date.label("date"),
                   amount.label("amount_minor"), Activity.currency.label("currency"),
                   amount_eur.label("amount_eur_minor"))
            .outerjoin(rate, and_(rate.c.year == year, rate.c.currency == Activity.currency))
            .where(Activity.commitment_date >= start, Activity.commitment_date < end,
                   activity_commitment_stands_in())
            .subquery("activity_commitments"))


def activity_commitment_outcome(year: int) -> LineOutcome:
    """The classification of the activities' commitments of ``year``: their context's
    evaluation (activity, year, the activity's currency), as for a ledger line."""
    return LineOutcome(activity_commitments(year), year=year, suffix="activity_commitment")


def _activity_commitment_lines(year: int):
    ac = activity_commitment_outcome(year)
    return (select(ac.t.c.activity_id, ac.t.c.id, ac.t.c.kind, ac.t.c.amount_eur_minor, ac.status,
                   ac.evaluation_id, ac.oda_amount_eur_minor, ac.amount_eur_minor)
            .select_from(ac.joined()))


def activity_year_totals(scan: YearScan):
    """Per activity with transactions in the year: ODA, non-ODA, still-open and ledger amounts.

    One pass over the year's ledger. ``*_c`` columns are commitments, ``*_d`` net
    disbursements (disbursements minus refunds), all in EUR cents, except the ODA of
    the CRS row: ``oda_d`` extended (disbursements, gross) and ``oda_r`` received
    (refunds: CRS item 35), whose difference is the net; ``n_*`` count lines (an activity's
    commitment standing in for its ledger lines among them), ``n_transactions`` and
    ``n_without_eur`` ledger lines only.
    """
    line = year_lines(scan).c
    commit = line.kind == "commitment"
    spend = line.kind.in_(SPENDING)
    eligible, not_eligible = line.status == ELIGIBLE, line.status == NOT_ELIGIBLE
    unclassified = line.classified_id.is_(None)
    pending = or_(line.status == NEEDS_REVIEW, unclassified)
    oda = func.coalesce(line.oda_eur, 0)
    classified_eur = func.coalesce(line.classified_eur, 0)
    non_oda = case((eligible, classified_eur - oda), (not_eligible, classified_eur), else_=0)
    open_eur = func.coalesce(line.classified_eur, line.ledger_eur, 0)
    ledger = func.coalesce(line.ledger_eur, 0)

    return (
        select(
            line.activity_id,
            _sum(and_(commit, eligible), oda).label("oda_c"),
            _sum(and_(line.kind == "disbursement", eligible), oda).label("oda_d"),
            _sum(and_(line.kind == "refund", eligible), oda).label("oda_r"),
            _sum(commit, non_oda).label("non_oda_c"),
            _sum(spend, net_disbursed(line.kind, non_oda)).label("non_oda_d"),
            _sum(and_(commit, pending), open_eur).label("open_c"),
            _sum(and_(spend, pending), net_disbursed(line.kind, open_eur)).label("open_d"),
            _sum(commit, ledger).label("ledger_c"),
            _sum(spend, net_disbursed(line.kind, ledger)).label("ledger_d"),
            _count(eligible).label("n_eligible"),
            _count(and_(eligible, oda != classified_eur)).label("n_partial"),
            _count(not_eligible).label("n_not_eligible"),
            _count(and_(commit, pending)).label("n_open_c"),
            _count(line.status == NEEDS_REVIEW).label("n_review"),
            _count(unclassified).label("n_unclassified"),
            func.count(case((line.ledger_eur.is_(None), line.ledger_id))).label("n_without_eur"),
            func.count(line.ledger_id).label("n_transactions"),
        )
        .group_by(line.activity_id)
        .subquery("year_totals")
    )


#: the activity's markers and flags, in the order of the CRS sheet's columns (``columns``)
MARKER_NAMES, FLAG_NAMES = MARKER_FIELDS, FLAG_FIELDS
ACTIVITY_COLUMNS = (
    "code", "title", "description", "recipient_code", "purpose_code", "aid_type", "flow_type", "finance_type",
    "bi_multi", "geography", "commitment_date", "start_date", "end_date",
) + MARKER_NAMES + FLAG_NAMES + CRS_RECORD_FIELDS  # then the tied status, a loan's terms, SDG focus
# and keywords (read by position, see ``RECORD``)


def activity_rows(session: Session, year: int) -> Iterator:
    """Every activity with transactions in ``year``: its totals and the CRS attributes, by code.

    Executed on the session's connection (Core rows, no ORM result machinery: a fifth
    less CPU for 50,000 rows), in the session's transaction.
    """
    stmt = _activity_select(year_scan(session, year)).execution_options(yield_per=BATCH)
    return session.connection().execute(stmt)


#: the commitment columns of the year's totals, and the net disbursement column each takes
#: in when the disbursements are the commitments (humanitarian aid without commitment record)
COMMITMENT_FROM_SPENDING = {"oda_c": "oda_d", "non_oda_c": "non_oda_d", "open_c": "open_d", "ledger_c": "ledger_d"}


def _net_spending(totals, commitment_column: str):
    """The net disbursements that stand in for ``commitment_column`` (the ODA's are gross
    ``oda_d`` and received ``oda_r``)."""
    if commitment_column == "oda_c":
        return totals.c.oda_d - totals.c.oda_r
    return totals.c[COMMITMENT_FROM_SPENDING[commitment_column]]


def _activity_select(scan: YearScan):
    totals = activity_year_totals(scan)
    channel_code = channel_of_activity()
    derived = derived_from_disbursements()
    sums = [(totals.c[name] + case((derived, _net_spending(totals, name)), else_=0)).label(name)
            if name in COMMITMENT_FROM_SPENDING else totals.c[name] for name in totals.c.keys()]
    return (
        select(*sums, case((derived, 1), else_=0).label("commitment_derived"),
               case((commitment_missing(), 1), else_=0).label("commitment_missing"),
               *(getattr(Activity, name).label(name) for name in ACTIVITY_COLUMNS),
               Programme.code.label("programme_code"), Programme.policy_area.label("policy_area"),
               Organisation.name.label("organisation_name"), channel_code.label("channel"),
               Recipient.name_en.label("recipient_name"), Channel.category.label("channel_category"),
               bi_multi_sql(Activity.aid_type, Activity.bi_multi).label("bi_multi_crs"))
        .join(Activity, Activity.id == totals.c.activity_id)
        .join(Programme, Programme.id == Activity.programme_id)
        .outerjoin(Organisation, Organisation.id == Activity.organisation_id)
        .outerjoin(Recipient, Recipient.code == Activity.recipient_code)
        .outerjoin(Channel, Channel.code == channel_code)
        .order_by(Activity.code)
    )


@dataclass(frozen=True)
class CrsNumber:
    crs_id: str
    commitment_year: int
    commitment_date: date | None


def crs_numbers(session: Session) -> dict[int, CrsNumber]:
    """Every CRS id, by activity id (one small row per activity ever numbered).

    Read apart from the year's totals, so that the totals need not wait for the ids to
    be handed out (their query starts with the export; this one once the hand-out
    committed). All of them, not only this year's candidates: the totals are read in
    an earlier snapshot, in which an activity numbered before may have ODA that the
    candidates of this snapshot no longer show."""
    rows = session.connection().execute(
        select(CrsIdentifier.activity_id, CrsIdentifier.crs_id, CrsIdentifier.commitment_year,
               CrsIdentifier.commitment_date))
    return {activity_id: CrsNumber(crs_id, commitment_year, commitment_date)
            for activity_id, crs_id, commitment_year, commitment_date in rows}


def _positions(names: tuple[str, ...]) -> slice:
    """Where ``names`` (the marker or the flag columns) sit in a row of ``activity_rows``
    (read by position: fast)."""
    keys = list(_activity_select(YearScan(in_year(2000), T.c.activity_id, 2000)).selected_columns.keys())
    first = keys.index(names[0])
    if tuple(keys[first:first + len(names)]) != names:
        raise RuntimeError(f"the columns {', '.join(names)} of activity_rows are not next to each other")
    return slice(first, first + len(names))


def code_names(session: Session) -> dict[str, dict[str, str]]:
    """Names of sector categories and channels, for the Summary sheet (small lists)."""
    return {"sectors": dict(session.execute(select(SectorCategory.code, SectorCategory.name_en)).all()),
            "channels": dict(session.execute(select(Channel.code, Channel.name_en)).all())}


def oda_candidates(year: int):
    """Activities that may have ODA in ``year``: from oda's evaluations (one per activity,
    year and currency, so a few thousand rows, not the year's million lines) plus the
    activities an officer's decision made eligible. It may include an activity whose
    every line was then rejected: handing it its number early is harmless, numbers
    never change anyway."""
    evaluated = select(Evaluation.activity_id).where(Evaluation.year == year, Evaluation.status == ELIGIBLE)
    overridden = (select(T.c.activity_id).select_from(Override)  # few overrides: start there
                  .join(T, T.c.id == Override.transaction_id)
                  .where(in_year(year), Override.state == OverrideState.ACTIVE, Override.status == ELIGIBLE))
    return evaluated.union(overridden).subquery("oda_candidates")


def candidate_counts(session: Session, year: int) -> tuple[int, int]:
    """(activities that may have ODA in ``year``, those of them without a CRS id)."""
    candidates = oda_candidates(year)
    total, numbered = session.execute(select(func.count(), func.count(CrsIdentifier.activity_id)).select_from(
        candidates.outerjoin(CrsIdentifier, CrsIdentifier.activity_id == candidates.c.activity_id))).one()
    return total, total - numbered


def first_dates(session: Session, activity_ids, many: bool):
    """(activity_id, first commitment booked, first transaction) of ``activity_ids`` (a
    select of ids), as a subquery. A few activities are looked up through the activity
    index; for ``many`` (the first export of a large year) one pass over the ledger is
    faster: it reads the index on (activity, kind, date) alone, in activity order."""
    first_commitment = func.min(case((T.c.kind == "commitment", T.c.date)))
    if not many:
        return (select(T.c.activity_id, first_commitment.label("first_commitment"), func.min(T.c.date).label("first"))
                .where(T.c.activity_id.in_(activity_ids)).group_by(T.c.activity_id).subquery("first_dates"))
    ledger = (select(T.c.activity_id, first_commitment.label("first_commitment"), func.min(T.c.date).label("first"))
              .group_by(T.c.activity_id).subquery("ledger_first_dates"))
    return select(ledger).where(ledger.c.activity_id.in_(activity_ids)).subquery("first_dates")


def versions_used(session: Session, year: int) -> dict[str, list]:
    """The reference-data and rules versions the year's evaluations (hence results) used."""
    rows = session.execute(select(Evaluation.reference_version, Evaluation.rules_version)
                           .where(Evaluation.year == year).distinct()).all()
    return {"reference_versions": sorted({r[0] for r in rows}), "rules_versions": sorted({r[1] for r in rows})}


MARKERS = _positions(MARKER_NAMES)
FLAGS = _positions(FLAG_NAMES)
#: the CRS mandatory items of a row of ``activity_rows``, read by position
MANDATORY = values_by_position(
    _activity_select(YearScan(in_year(2000), T.c.activity_id, 2000)).selected_columns.keys())
RECORD = _positions(CRS_RECORD_FIELDS)
