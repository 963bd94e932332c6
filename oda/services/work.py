"""The work of one classification run: two temporary tables filled with set-based SQL.

``oda_work``: every context (activity, year, currency) of the ledger, or of one year,
with its lines (but those with a current override): how many, their amount total and
their ids. One pass over the ledger finds the lines in contexts without an evaluation
(recorded without an event, or moved by a correction the handler has not seen yet) and
gives the events of changed evaluations their totals without reading the lines again.

``oda_work_pending``: the same for the lines waiting in the queue (recorded or
corrected since they were classified), split into new and corrected lines.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import (JSON, BigInteger, Column, Integer, MetaData, String, Table, and_, case, cast, func, literal,
                        exists, or_, select, text, true)
from sqlalchemy.orm import Session

from oda.models import Evaluation, Override, OverrideState, PendingActivity, PendingTransaction
from app.sql import YearOf, analyze, json_values_agg, without_index
from app.year_lock import locked_years
from oda.services.sql import raw
from programmes.models import Activity, Transaction
from programmes.services.queries.commitments import activity_commitment_stands_in

CORRECTED = "TransactionCorrected"
_metadata = MetaData()


def _context_table(name: str, *extra: Column) -> Table:
    return Table(
        name, _metadata,
        Column("activity_id", Integer, nullable=False),
        Column("year", Integer, nullable=False),
        Column("currency", String(3), nullable=False),
        *extra,
        Column("lines", BigInteger, nullable=False),
        Column("amount_minor", BigInteger, nullable=False),
        Column("transaction_ids", JSON, nullable=False),
        prefixes=["TEMPORARY"],
    )


work = _context_table("oda_work")
pending_work = _context_table("oda_work_pending", Column("corrected", Integer, nullable=False))
COLUMNS = ("activity_id", "year", "currency", "lines", "amount_minor", "transaction_ids")


def create(session: Session) -> None:
    drop(session)
    for table in (work, pending_work):
        table.create(session.connection())


def drop(session: Session) -> None:
    for table in (work, pending_work):
        session.execute(text(f"DROP TABLE IF EXISTS {table.name}"))


def year_filter(year: int | None):
    """The lines of ``year`` (all when None). On SQLite not through the date index: a
    scan reads a large year several times faster than the index's random lookups."""
    return true() if year is None else YearOf(Transaction.date) == year


def fill(session: Session, year: int | None) -> None:
    """Every context of the ledger (of ``year``) with its lines."""
    t = Transaction.__table__
    line_year = YearOf(t.c.date)
    # SQLite would walk the (activity, kind, date) index to group, fetching every row at random
    activity = without_index(session, t.c.activity_id)
    totals = (func.count(), func.sum(raw(t.c.amount_minor)), json_values_agg(session, t.c.id))
    session.execute(work.insert().from_select(list(COLUMNS), select(activity, line_year, t.c.currency, *totals)
                                              .where(year_filter(year), *_not_overridden(session, t))
                                              .group_by(activity, line_year, t.c.currency)))
    _fill_activity_commitments(session, year)
    analyze(session, work.name)


def _fill_activity_commitments(session: Session, year: int | None) -> None:
    """The context (activity, year of its date, its currency) of each commitment entered on
    an activity that stands in for the ledger, when the ledger has no line there: the
    CRS classifies that commitment with the context's evaluation, as a line of it."""
    a = Activity.__table__
    commitment_year = YearOf(a.c.commitment_date)
    known = select(work.c.activity_id).where(work.c.activity_id == a.c.id, work.c.year == commitment_year,
                                             work.c.currency == a.c.currency)
    in_year = true() if year is None else commitment_year == year
    session.execute(work.insert().from_select(list(COLUMNS), select(
        a.c.id, commitment_year, a.c.currency, literal(0), literal(0), cast(literal("[]"), JSON))
        .select_from(a).where(activity_commitment_stands_in(), in_year, ~known.exists())))


def fill_queued(session: Session, year: int | None, run_id: int) -> None:
    """Queued lines whose evaluation this run left as it was and that its last event did
    not already list: corrected lines, and lines recorded after the evaluation's outcome
    was stamped (a line recorded before it was among the context's lines then)."""
    t, p, e = Transaction.__table__, PendingTransaction.__table__, Evaluation.__table__
    if not session.scalar(select(exists().where(p.c.transaction_id.is_not(None)))):
        return
    line_year = YearOf(t.c.date)
    corrected = case((p.c.reason == CORRECTED, 1), else_=0)
    context = and_(e.c.activity_id == t.c.activity_id, e.c.year == line_year, e.c.currency == t.c.currency)
    unseen = or_(p.c.reason == CORRECTED, t.c.recorded_at > e.c.evaluated_at)
    totals = (func.count(), func.sum(raw(t.c.amount_minor)), json_values_agg(session, t.c.id))
    session.execute(pending_work.insert().from_select(
        ["activity_id", "year", "currency", "corrected", "lines", "amount_minor", "transaction_ids"],
        select(t.c.activity_id, line_year, t.c.currency, corrected, *totals)
        .select_from(p.join(t, t.c.id == p.c.transaction_id).join(e, context))
        .where(year_filter(year), unseen, or_(e.c.run_id != run_id, e.c.run_id.is_(None)), ~overridden(t))
        .group_by(t.c.activity_id, line_year, t.c.currency, corrected)))


def _not_overridden(session: Session, t) -> list:
    """The filter for lines without a current override; none when there is no override
    at all (a probe per line saved on a ledger never reviewed)."""
    o = Override.__table__
    if not session.scalar(select(exists().where(o.c.state.in_(OverrideState.CURRENT)))):
        return []
    return [~overridden(t)]


def overridden(t):
    """The line has a current override: its outcome is the officer's, with events of its own."""
    o = Override.__table__
    return exists().where(o.c.transaction_id == t.c.id, o.c.state.in_(OverrideState.CURRENT))


class LineTotals(NamedTuple):
    lines: int
    amount_minor: int


def overridden_lines(session: Session, year: int | None) -> list[tuple[tuple[int, int, str], LineTotals]]:
    """((activity, year, currency), their lines and amount) of the lines with a current override (few)."""
    t, o = Transaction.__table__, Override.__table__
    line_year = YearOf(t.c.date)
    rows = session.execute(
        select(t.c.activity_id, line_year, t.c.currency, func.count(), func.sum(raw(t.c.amount_minor)))
        .select_from(o.join(t, t.c.id == o.c.transaction_id))
        .where(o.c.state.in_(OverrideState.CURRENT), year_filter(year))
        .group_by(t.c.activity_id, line_year, t.c.currency))
    return [((a, y, c), LineTotals(n, int(amount or 0))) for a, y, c, n, amount in rows]


def same_context(table, other):
    return and_(table.c.activity_id == other.c.activity_id, table.c.year == other.c.year,
                table.c.currency == other.c.currency)


@dataclass
class Contexts:
    #: (activity, year, currency) to run the rules for, sorted
    keys: list[tuple[int, int, str]]
    #: lines of those contexts
    lines: int


def contexts(session: Session, year: int | None, everything: bool) -> Contexts:
    """Contexts to evaluate: those without an evaluation (queued lines of an evaluated
    context need none: the rules do not read amounts), and every evaluated context of
    the activities marked pending (their attributes or the reference data changed), or
    of all activities (``everything``). Contexts of a submitted year are never
    re-evaluated: the year keeps the reference data it was submitted with."""
    e = Evaluation.__table__
    found: dict[tuple, int] = {}
    unevaluated = (select(work.c.activity_id, work.c.year, work.c.currency, work.c.lines)
                   .select_from(work.outerjoin(e, same_context(e, work))).where(e.c.id.is_(None)))
    for activity_id, line_year, currency, lines in session.execute(unevaluated):
        found[(activity_id, line_year, currency)] = lines
    known = (select(e.c.activity_id, e.c.year, e.c.currency, func.coalesce(work.c.lines, 0))
             .select_from(e.outerjoin(work, same_context(e, work))))
    if not everything:
        known = known.where(e.c.activity_id.in_(select(PendingActivity.activity_id)))
    if year is not None:
        known = known.where(e.c.year == year)
    for activity_id, line_year, currency, lines in session.execute(known):
        found.setdefault((activity_id, line_year, currency), lines)
    submitted = locked_years(session, {key[1] for key in found})  # keep the outcome they were submitted with
    kept = {key: lines for key, lines in found.items() if key[1] not in submitted}
    return Contexts(sorted(kept), sum(kept.values()))
