"""The pending-work queue: transactions and activities waiting for classification.

Event handlers only mark work (cheap, set-based); the classification job does it.
Marking twice is harmless: the queue holds each transaction or activity once, with
the time it was last marked.
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import Select, func, literal, select, true
from sqlalchemy.orm import Session

from app.db import UTCDateTime, utcnow
from oda.models import Evaluation, PendingActivity, PendingTransaction
from app.sql import dialect_insert
from programmes.models import Activity


def mark_transactions(session: Session, transaction_ids: Iterable[int], reason: str) -> int:
    rows = [{"transaction_id": int(i), "reason": reason[:40], "queued_at": utcnow()} for i in transaction_ids]
    if not rows:
        return 0
    stmt = dialect_insert(session, PendingTransaction.__table__)
    session.execute(stmt.on_conflict_do_update(
        index_elements=["transaction_id"], set_={"reason": stmt.excluded.reason, "queued_at": stmt.excluded.queued_at}),
        rows)
    return len(rows)


def mark_transactions_from(session: Session, source: Select) -> None:
    """Mark the transactions a select names, as (transaction id, reason) rows with each id
    once: set-based, for the lines of an import or a span of events."""
    table = PendingTransaction.__table__
    rows = source.subquery()
    stmt = dialect_insert(session, table).from_select(
        ["transaction_id", "reason", "queued_at"],
        select(rows.c[0], func.substr(rows.c[1], 1, 40), literal(utcnow(), UTCDateTime())).where(true()))
    session.execute(stmt.on_conflict_do_update(
        index_elements=["transaction_id"], set_={"reason": stmt.excluded.reason, "queued_at": stmt.excluded.queued_at}))


def mark_activities(session: Session, activity_ids: Iterable[int] | Select, reason: str) -> None:
    """Mark activities given as ids or as a select of ids (set-based, for many)."""
    if isinstance(activity_ids, Select):
        ids = activity_ids.subquery()
        source = select(ids.c[0], literal(reason[:40]), literal(utcnow(), UTCDateTime()))
    else:
        unique = sorted({int(i) for i in activity_ids})
        if not unique:
            return
        source = select(Activity.id, literal(reason[:40]), literal(utcnow(), UTCDateTime())).where(
            Activity.id.in_(unique))
    table = PendingActivity.__table__
    stmt = dialect_insert(session, table).from_select(["activity_id", "reason", "queued_at"], source.where(true()))
    session.execute(stmt.on_conflict_do_update(
        index_elements=["activity_id"], set_={"reason": stmt.excluded.reason, "queued_at": stmt.excluded.queued_at}))


def mark_all_activities(session: Session, reason: str) -> None:
    mark_activities(session, select(Activity.id), reason)


def mark_activities_for_rate(session: Session, year: int, currency: str, reason: str) -> None:
    """Activities with classified spending that a changed rate of ``year`` affects."""
    stmt = select(Evaluation.activity_id).distinct().where(Evaluation.year == year)
    if currency != "EUR":  # the EUR rate enters every other currency's cross rate
        stmt = stmt.where(Evaluation.currency == currency)
    else:
        stmt = stmt.where(Evaluation.currency != "EUR")
    mark_activities(session, stmt, reason)


def pending_counts(session: Session) -> dict:
    return {"transactions": session.scalar(select(func.count()).select_from(PendingTransaction)) or 0,
            "activities": session.scalar(select(func.count()).select_from(PendingActivity)) or 0}
