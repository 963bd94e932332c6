"""The ODA classification of an activity's transactions, asked of the oda package.

``oda.services.queries.activity_classification`` gives the stored result of each
transaction and the rules' reasons per year and currency. A deployment without the
oda package shows no classification (None), never an error.
"""
from __future__ import annotations

from sqlalchemy.orm import Session


def activity_classification(session: Session, activity_id: int, transaction_ids: list[int]):
    """Results of ``transaction_ids`` and the evaluations of the activity, or None without oda."""
    try:
        from oda.services.queries import activity_classification as classification_of
    except ImportError:
        return None
    return classification_of(session, activity_id, transaction_ids)
