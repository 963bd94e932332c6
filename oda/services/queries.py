"""Read side of classification: lists, one transaction's explanation, review counts."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from oda.models import Classification, Evaluation, Override, OverrideState
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


def needs_review_by_programme(session: Session, year: int, programme_ids) -> dict[int, int]:
    """{programme id: lines of ``year`` that need review} (the portfolio's alerts)."""
    ids = sorted(set(programme_ids or ()))
    return lines_to_review(session, year, ids) if ids else {}


def lines_to_review(session: Session, year: int, programme_ids: list[int] | None = None) -> dict[int, int]:
    """{programme id: lines of ``year`` that need review}, of every programme when ``programme_ids``
    is None: the open review groups' lines (``oda.services.review_groups``), read from the
    evaluations' line counts, corrected by overrides and group decisions."""
    from oda.services.review_groups import open_lines_by_programme

    return open_lines_by_programme(session, year, programme_ids)


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
