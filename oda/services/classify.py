"""Classifying transactions: the pending-work queue, in sets.

1. The work set (a temporary table): pending, unclassified or changed transactions,
   optionally of one year.
2. The rules run once per (activity, year, currency) of the work set and of the
   activities marked pending (``everything``: of all activities); evaluations whose
   inputs changed are rewritten.
3. Transactions of changed evaluations join the work set; overrides whose inputs
   changed are flagged for re-confirmation.
4. One INSERT … SELECT writes the new per-transaction results, one UPDATE … FROM the
   ones that differ, one INSERT … SELECT their events; the queue entries done go.

Idempotent: a second run finds nothing to do, and ``everything`` re-evaluates every
activity but rewrites only results that change. Memory grows with the number of activity-years, not with the
number of transactions. Never commits: the caller owns the transaction.
"""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.db import utcnow
from app.events.bus import current_actor
from oda.models import ClassificationRun, PendingActivity, PendingTransaction
from oda.services import evaluations, results, work
from oda.services.overrides import flag_changed_overrides
from oda.services.snapshot import load_snapshot
from oda.services.sql import prepare_connection, wait_for_classification


def classify(session: Session, year: int | None = None, everything: bool = False) -> dict:
    """Classify pending work (or ``everything``), optionally only flows of ``year``."""
    run = _start(session, year, everything)
    prepare_connection(session)
    work.create(session)
    try:
        work.fill(session, year)
        contexts = work.contexts(session, year, everything)
        snapshot = load_snapshot(session)
        changed_evaluations = evaluations.evaluate_contexts(session, contexts, snapshot, run.id)
        work.add_changed_contexts(session, run.id)
        flagged = flag_changed_overrides(session)
        now = utcnow()
        results.upsert_results(session, now, run.id)
        results.publish_changes(session, run.id, now)
        changed = results.changed_counts(session, run.id)
        counts = {"transactions_checked": work.size(session), "contexts": len(contexts),
                  "evaluations_changed": changed_evaluations, "results_changed": sum(changed.values()),
                  "overrides_flagged": flagged, **{f"changed_to_{k}": v for k, v in sorted(changed.items())}}
        _clear_queue(session, run.started_at, year, everything)
    finally:
        work.drop(session)
    run.finished_at = utcnow()
    run.counts = counts
    session.flush()
    return counts


def _start(session: Session, year: int | None, everything: bool) -> ClassificationRun:
    """Record the run first: on SQLite the insert takes the write lock, on PostgreSQL an
    advisory lock makes a second classifier wait, so two runs never interleave."""
    wait_for_classification(session)
    run = ClassificationRun(started_at=utcnow(), actor=current_actor().name[:120],
                            scope={"year": year, "everything": everything}, counts={})
    session.add(run)
    session.flush()
    return run


def _clear_queue(session: Session, started, year: int | None, everything: bool) -> None:
    session.execute(delete(PendingTransaction).where(
        PendingTransaction.transaction_id.in_(select(work.work.c.transaction_id)),
        PendingTransaction.queued_at <= started).execution_options(synchronize_session=False))
    if year is None:
        session.execute(delete(PendingActivity).where(PendingActivity.queued_at <= started)
                        .execution_options(synchronize_session=False))
