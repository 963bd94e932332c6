"""What a classification run changed, as events built in SQL.

A line's classification is its context's evaluation applied to its amount
(``oda.models.lines``), so a run changes lines in two ways:

- an evaluation is new or its outcome changed: every line of the context;
- queued lines (new, or corrected) in a context whose evaluation stayed the same.

Each is one ``TransactionsClassified`` event per activity, year, currency (and, for
queued lines, new or corrected), inserted with INSERT … SELECT in the run's transaction:
the outcome (status, previous status, share, rate, evaluation, versions), the number of
lines, the total of their amounts and of their ODA amounts in their currency (each line
rounded on its own, then summed: docs/oda.md) and their ids. A line's EUR amounts
follow from its amount, the share and the event's rate. A line with a current override keeps the
override's outcome; its own events are ``ClassificationOverridden`` and
``ClassificationOverrideFlagged``.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (BigInteger, Integer, String, and_, case, cast, exists, func, literal, null, or_, select,
                        type_coerce)
from sqlalchemy.orm import Session

from app.db import UTCDateTime
from app.events.bus import current_actor, lock_event_order
from app.exact import SCALE, scaled_sql
from app.events.models import Event
from app.sql import FirstDayOf, dialect_insert, json_object, json_value
from oda.models import Classification, Evaluation, LineChange, PendingTransaction, Status
from oda.services.sql import raw
from oda.services.work import CORRECTED, pending_work, same_context, work, year_filter
from programmes.models import Transaction
from programmes.models.enums import TransactionKind

EVENT = "TransactionsClassified"
EVENT_COLUMNS = ["type", "aggregate_type", "aggregate_id", "payload", "actor", "occurred_at", "correlation_id"]
KINDS = tuple(kind.value for kind in TransactionKind)


def publish_changes(session: Session, run_id: int, now: datetime) -> dict[str, int]:
    """Insert the run's events; returns {status: lines whose classification changed to it}."""
    e = Evaluation.__table__
    changed = e.c.run_id == run_id
    unchanged = or_(e.c.run_id != run_id, e.c.run_id.is_(None))
    corrected_previous = case((pending_work.c.corrected == 1, e.c.status))
    sources = [(work, changed, e.c.previous_status, _context_sums(run_id)),
               (pending_work, unchanged, corrected_previous, _queued_sums(run_id))]
    lock_event_order(session)
    counts: dict[str, int] = {}
    if not anything_queued(session):
        sources = sources[:1]
    for table, which, previous, sums in sources:
        source = _event_rows(session, table, which, previous, sums.subquery(), run_id, now)
        session.execute(Event.__table__.insert().from_select(EVENT_COLUMNS, source))
        for status, lines in session.execute(_lines_by_status(table, which)):
            counts[status] = counts.get(status, 0) + int(lines)
    return counts


def effective_status(e):
    """The evaluation's status; a missing rate always needs review."""
    return case((e.c.units_per_eur_e10.is_(None), literal(Status.NEEDS_REVIEW)), else_=e.c.status)


def _trivial(e):
    """A share of 100 %, 0 or unknown: the ODA total follows from the amount total."""
    share = raw(e.c.share_e10)
    return or_(share.is_(None), share == SCALE, share == 0)


def _line_sums(e, t):
    amount, share = raw(t.c.amount_minor), raw(e.c.share_e10)
    return (func.sum(scaled_sql(amount, share, SCALE)).label("oda"),)


def _lines_of(e, t):
    """The transactions of evaluation ``e``'s context, through the (activity, kind, date) index."""
    return and_(t.c.activity_id == e.c.activity_id, t.c.kind.in_(KINDS), t.c.date >= FirstDayOf(e.c.year),
                t.c.date < FirstDayOf(e.c.year + 1), t.c.currency == e.c.currency)


def _context_sums(run_id: int):
    """Per-line ODA totals of the changed evaluations with a partial share (core
    contributions at their Annex 2 coefficient): a few, read through the activity index."""
    e, t = Evaluation.__table__, Transaction.__table__
    return (select(e.c.id.label("evaluation_id"), literal(0).label("corrected"), *_line_sums(e, t))
            .select_from(e.join(t, _lines_of(e, t)))
            .where(e.c.run_id == run_id, ~_trivial(e)).group_by(e.c.id))


def _queued_sums(run_id: int):
    """Per-line totals of the queued lines of ``work.fill_queued`` (they are few)."""
    e, t, p = Evaluation.__table__, Transaction.__table__, PendingTransaction.__table__
    corrected = case((p.c.reason == CORRECTED, 1), else_=0)
    context = and_(e.c.activity_id == t.c.activity_id, e.c.currency == t.c.currency,
                   t.c.date >= FirstDayOf(e.c.year), t.c.date < FirstDayOf(e.c.year + 1))
    unseen = or_(p.c.reason == CORRECTED, t.c.recorded_at > e.c.evaluated_at)
    return (select(e.c.id.label("evaluation_id"), corrected.label("corrected"), *_line_sums(e, t))
            .select_from(p.join(t, t.c.id == p.c.transaction_id).join(e, context)).where(unseen)
            .group_by(e.c.id, corrected))


def _oda_total(e, table, sums):
    """The ODA total in the lines' currency: from the amount total when the share is
    trivial, else the sum of each line's rounded amount."""
    share = raw(e.c.share_e10)
    return case((share == SCALE, table.c.amount_minor), (share == 0, 0), (share.is_(None), null()),
                else_=sums.c.oda)


def _event_rows(session: Session, table, which, previous, sums, run_id: int, now: datetime):
    e = Evaluation.__table__
    ids = json_value(session, table.c.transaction_ids)
    payload = json_object(session, {
        "year": table.c.year, "currency": table.c.currency, "status": effective_status(e),
        "previous_status": previous, "share_e10": raw(e.c.share_e10), "override_id": null(),
        "units_per_eur_e10": raw(e.c.units_per_eur_e10), "evaluation_id": e.c.id,
        "reference_version": e.c.reference_version, "rules_version": e.c.rules_version,
        "run_id": literal(run_id, Integer), "count": table.c.lines, "amount_minor": table.c.amount_minor,
        "oda_amount_minor": _oda_total(e, table, sums),
        "transaction_ids": ids,
    })
    corrected = table.c.corrected if "corrected" in table.c else literal(0)
    actor = current_actor()
    joined = (table.join(e, same_context(e, table))
              .outerjoin(sums, and_(sums.c.evaluation_id == e.c.id, sums.c.corrected == corrected)))
    return (select(literal(EVENT), literal("Activity"), cast(table.c.activity_id, String), payload,
                   literal(actor.name[:120]), literal(now, UTCDateTime()), literal(actor.correlation_id, String))
            .select_from(joined).where(which)
            .order_by(table.c.activity_id, table.c.year, table.c.currency))


def _lines_by_status(table, which):
    e = Evaluation.__table__
    status = effective_status(e)
    return (select(status, type_coerce(func.sum(table.c.lines), BigInteger))
            .select_from(table.join(e, same_context(e, table))).where(which).group_by(status))


def publish_flagged(session: Session, transaction_ids: list[int], run_id: int, counts: dict[str, int]) -> None:
    """One event per line whose override this run flagged (they are few): it needs review
    again, and the event says so with its amounts; ``counts`` gains them."""
    from app.events import publish_many

    if not transaction_ids:
        return
    rows = session.scalars(select(Classification).where(Classification.transaction_id.in_(transaction_ids))
                           .order_by(Classification.transaction_id)).all()
    events = []
    for c in rows:
        cents = {name: None if value is None else int(value.scaleb(2)) for name, value in (
            ("amount_minor", c.amount), ("oda_amount_minor", c.oda_amount))}
        payload = {"year": c.year, "currency": c.currency, "status": c.status, "previous_status": c.previous_status,
                   "share_e10": None if c.share is None else int(c.share.scaleb(10)), "override_id": c.override_id,
                   "units_per_eur_e10": None if c.units_per_eur is None else int(c.units_per_eur.scaleb(10)),
                   "evaluation_id": c.evaluation_id, "reference_version": c.reference_version,
                   "rules_version": c.rules_version, "run_id": run_id, "count": 1, **cents,
                   "transaction_ids": [c.transaction_id]}
        events.append(dict(type=EVENT, aggregate_type="Activity", aggregate_id=c.activity_id, payload=payload))
        counts[c.status] = counts.get(c.status, 0) + 1
    publish_many(session, events)


def record_line_changes(session: Session, year: int | None, run_id: int, now: datetime) -> None:
    """The queued lines' change time, for "changed since the last export"."""
    p, t, lc = PendingTransaction.__table__, Transaction.__table__, LineChange.__table__
    if not anything_queued(session):
        return
    source = (select(p.c.transaction_id, literal(now, UTCDateTime()), literal(run_id, Integer))
              .select_from(p.join(t, t.c.id == p.c.transaction_id)).where(year_filter(year)))
    stmt = dialect_insert(session, lc).from_select(["transaction_id", "changed_at", "run_id"], source)
    session.execute(stmt.on_conflict_do_update(
        index_elements=["transaction_id"], set_={"changed_at": stmt.excluded.changed_at,
                                                 "run_id": stmt.excluded.run_id}))


def anything_queued(session: Session) -> bool:
    return session.scalar(select(exists().where(PendingTransaction.transaction_id.is_not(None))))
