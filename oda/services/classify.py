"""Classifying transactions: the pending-work queue, in sets.

1. The work (temporary tables): every context (activity, year, currency) of the ledger
   with its lines, in one pass, and the queued lines (``work``).
2. The rules run once per context without an evaluation, with queued lines, or of an
   activity marked pending (``everything``: of all activities); evaluations whose inputs
   changed are rewritten, and each evaluation's line count follows the work (``evaluations``).
3. Overrides whose inputs changed, and group decisions whose activity-year the rules now
   judge otherwise, are flagged for re-confirmation.
4. One INSERT … SELECT per kind of change writes the events (``results``); the queue
   entries done go.

A line's classification is derived from its evaluation (``oda.models.lines``): nothing
is written per line but the time a queued line was seen. Idempotent: a second run finds
nothing to do, and ``everything`` re-evaluates every activity but changes only what
differs. Memory grows with the number of contexts, not with the number of
transactions. Never commits: the caller owns the transaction.
"""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.db import utcnow
from app.events.bus import current_actor
from oda.models import ClassificationRun, PendingActivity, PendingTransaction
from oda.reference.services import ensure_curated
from oda.services import evaluations, results, work
from oda.services.group_decisions import flag_changed_decisions
from oda.services.overrides import flag_changed_overrides
from oda.services.snapshot import load_snapshot
from oda.services.sql import prepare_connection, wait_for_classification
from programmes.models import Transaction


def classify(session: Session, year: int | None = None, everything: bool = False) -> dict:
    """Classify pending work (or ``everything``), optionally only flows of ``year``."""
    run = _start(session, year, everything)
    ensure_curated(session)
    prepare_connection(session)
    work.create(session)
    try:
        work.fill(session, year)
        contexts = work.contexts(session, year, everything)
        snapshot = load_snapshot(session)
        changed_evaluations = evaluations.evaluate_contexts(session, contexts.keys, snapshot, run.id)
        evaluations.store_line_counts(session, year)
        work.fill_queued(session, year, run.id)
        flagged = flag_changed_overrides(session)
        decisions_flagged = flag_changed_decisions(session)
        now = utcnow()
        changed = results.publish_changes(session, run.id, now)
        results.record_line_changes(session, year, run.id, now)
        _clear_queue(session, run.started_at, year)
        results.publish_flagged(session, flagged, run.id, changed)
        counts = {"transactions_checked": contexts.lines, "contexts": len(contexts.keys),
                  "evaluations_changed": changed_evaluations, "results_changed": sum(changed.values()),
                  "overrides_flagged": len(flagged),
                  "group_decisions_flagged": len(decisions_flagged),
                  **{f"changed_to_{k}": v for k, v in sorted(changed.items())}}
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


def _clear_queue(session: Session, started, year: int | None) -> None:
    done = PendingTransaction.queued_at <= started
    if year is not None:
        done = done & PendingTransaction.transaction_id.in_(select(Transaction.id).where(work.year_filter(year)))
    session.execute(delete(PendingTransaction).where(done).execution_options(synchronize_session=False))
    if year is None:
        session.execute(delete(PendingActivity).where(PendingActivity.queued_at <= started)
                        .execution_options(synchronize_session=False))
