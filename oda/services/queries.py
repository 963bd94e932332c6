"""Read side of classification: lists, one transaction's explanation, the review queue."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from app.sql import YearOf
from oda.models import Classification, Evaluation, Override, OverrideState, ReportingYear, Status
from programmes.models import Activity, Programme, Transaction


def classifications(year: int | None = None, status: str | None = None, programme_code: str | None = None,
                    programme_ids: set[int] | None = None) -> Select:
    """Stored results, filtered; ``programme_ids`` None means every programme."""
    stmt = select(Classification).join(Activity, Activity.id == Classification.activity_id)
    if year is not None:
        stmt = stmt.where(Classification.year == year)
    if status:
        stmt = stmt.where(Classification.status == status)
    if programme_code:
        stmt = stmt.where(Activity.programme_id.in_(
            select(Programme.id).where(Programme.code == programme_code).scalar_subquery()))
    if programme_ids is not None:
        stmt = stmt.where(Activity.programme_id.in_(sorted(programme_ids)))
    return stmt.order_by(Classification.year.desc(), Classification.transaction_id)


@dataclass
class Explanation:
    """Everything the detail page and the API show about one transaction."""

    transaction: Transaction
    result: Classification | None
    evaluation: Evaluation | None
    override: Override | None
    history: list[Override]


def explain(session: Session, transaction_id: int) -> Explanation | None:
    txn = session.get(Transaction, transaction_id)
    if txn is None:
        return None
    result = session.get(Classification, transaction_id)
    evaluation = session.get(Evaluation, result.evaluation_id) if result else None
    history = list(session.scalars(select(Override).where(Override.transaction_id == transaction_id)
                                   .order_by(Override.id.desc())))
    current = next((o for o in history if o.state in OverrideState.CURRENT), None)
    return Explanation(txn, result, evaluation, current, history)


def programme_of_transaction(session: Session, transaction_id: int) -> int | None:
    return session.scalar(select(Activity.programme_id).join(Transaction, Transaction.activity_id == Activity.id)
                          .where(Transaction.id == transaction_id))


def review_queue(year: int | None = None, programme_ids: set[int] | None = None) -> Select:
    """Lines needing review first, then lines changed since the year's last CRS export
    (all lines of a year never exported count as changed)."""
    c = Classification
    last_export = ReportingYear.last_export_at
    changed = or_(last_export.is_(None), c.classified_at > last_export)
    stmt = (select(c, Transaction, Activity)
            .join(Transaction, Transaction.id == c.transaction_id)
            .join(Activity, Activity.id == c.activity_id)
            .outerjoin(ReportingYear, ReportingYear.year == c.year)
            .where(or_(c.status == Status.NEEDS_REVIEW, and_(c.status != Status.NEEDS_REVIEW, changed))))
    if year is not None:
        stmt = stmt.where(c.year == year)
    if programme_ids is not None:
        stmt = stmt.where(Activity.programme_id.in_(sorted(programme_ids)))
    return stmt.order_by(queue_part(), c.year.desc(), Activity.code, Transaction.date, c.transaction_id)


def queue_part():
    """0 for a line needing review, 1 for a changed one: the review queue's first order."""
    return case((Classification.status == Status.NEEDS_REVIEW, 0), else_=1)


def needs_review_by_programme(session: Session, year: int, programme_ids) -> dict[int, int]:
    """{programme id: lines of ``year`` that need review} (the portfolio's alerts)."""
    ids = sorted(set(programme_ids or ()))
    return lines_to_review(session, year, ids) if ids else {}


def lines_to_review(session: Session, year: int, programme_ids: list[int] | None = None) -> dict[int, int]:
    """{programme id: lines of ``year`` that need review}, of every programme when ``programme_ids``
    is None, without a line's outcome derived per request: the lines of each context whose
    evaluation needs review (or has no rate), as the classification run counted them
    (``Evaluation.lines``), corrected by the officers' current overrides (few), which decide
    their line's status instead. Lines recorded since the last run count from the next one."""
    e, a = Evaluation, Activity
    reviewed = or_(e.status == Status.NEEDS_REVIEW, e.units_per_eur.is_(None))
    contexts = (select(a.programme_id, func.sum(e.lines)).join(a, a.id == e.activity_id)
                .where(e.year == year, reviewed).group_by(a.programme_id))
    if programme_ids is not None:
        contexts = contexts.where(a.programme_id.in_(programme_ids))
    counts = {programme_id: int(count or 0) for programme_id, count in session.execute(contexts)}
    for programme_id, correction in session.execute(_override_corrections(year)):
        counts[programme_id] = counts.get(programme_id, 0) + int(correction or 0)
    wanted = set(programme_ids) if programme_ids is not None else counts.keys()
    return {programme_id: count for programme_id, count in counts.items() if count and programme_id in wanted}


def _override_corrections(year: int) -> Select:
    """Per programme: overridden lines of ``year`` that need review less those their context
    counts as needing review (an override decides its line's status; a flagged one needs review)."""
    e, a, o, t = Evaluation, Activity, Override, Transaction
    no_rate = e.units_per_eur.is_(None)
    line_review = or_(no_rate, o.state == OverrideState.NEEDS_RECONFIRMATION, o.status == Status.NEEDS_REVIEW)
    context_review = or_(no_rate, e.status == Status.NEEDS_REVIEW)
    correction = case((line_review, 1), else_=0) - case((context_review, 1), else_=0)
    # of every programme, and the year read from the line: the overrides (few) drive the
    # query, not the evaluations of the year nor the activities of the programmes asked about
    line_year = YearOf(t.date)
    context = and_(e.activity_id == t.activity_id, e.year == line_year, e.currency == t.currency)
    return (select(a.programme_id, func.sum(correction))
            .select_from(o).join(t, t.id == o.transaction_id).join(e, context).join(a, a.id == t.activity_id)
            .where(o.state.in_(OverrideState.CURRENT), line_year == year)
            .group_by(a.programme_id))


@dataclass
class ActivityClassification:
    #: {transaction id: Classification} for the transactions asked about (all when None)
    results: dict
    #: the rules' evaluations (year, currency, status, share, ``reasons``), newest year first
    evaluations: list


def activity_classification(session: Session, activity_id: int,
                            transaction_ids: list[int] | None = None) -> ActivityClassification:
    """An activity's classification: its transactions' results and the reasons per year and currency."""
    stmt = select(Classification).where(Classification.activity_id == activity_id)
    if transaction_ids is not None:
        stmt = stmt.where(Classification.transaction_id.in_(list(transaction_ids)))
    results = {c.transaction_id: c for c in session.scalars(stmt)}
    evaluations = list(session.scalars(select(Evaluation).where(Evaluation.activity_id == activity_id)
                                       .order_by(Evaluation.year.desc(), Evaluation.currency)))
    return ActivityClassification(results, evaluations)
