"""The ODA classification of an activity's transactions, read from the oda package.

INTEGRATION POINT: oda publishes per-transaction results (``oda.services.queries.
classifications``) and the rule outcomes with reasons per activity, year and
currency (``Evaluation``). Until oda offers one function for "an activity's
classification" (asked for in docs/workspace.md), this module is the only place
in programmes that reads those results.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session


@dataclass
class ActivityClassification:
    #: {transaction id: classification result} for the transactions asked about
    results: dict = field(default_factory=dict)
    #: rule evaluations (year, currency, status, share, reasons), newest year first
    evaluations: list = field(default_factory=list)


def activity_classification(session: Session, activity_id: int, transaction_ids: list[int]) -> ActivityClassification | None:
    """None when the oda package is absent; otherwise the results and the reasons."""
    try:
        from oda.models import Classification, Evaluation
        from oda.services.queries import classifications
    except ImportError:
        return None
    results = {}
    if transaction_ids:
        stmt = classifications().where(Classification.activity_id == activity_id,
                                       Classification.transaction_id.in_(transaction_ids))
        results = {c.transaction_id: c for c in session.scalars(stmt)}
    evaluations = list(session.scalars(select(Evaluation).where(Evaluation.activity_id == activity_id)
                                       .order_by(Evaluation.year.desc(), Evaluation.currency)))
    return ActivityClassification(results, evaluations)
