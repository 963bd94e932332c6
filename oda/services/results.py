"""Per-transaction results in one set-based statement, and their events.

For every transaction of the work set: the effective status (a missing rate always
needs review; an active override decides; a flagged one needs review), the share,
the ODA amount in the transaction's currency and in EUR. Rows are only written when
something differs, and every written row is listed in a ``TransactionsClassified``
event (one per activity, year, currency and outcome), inserted with INSERT … SELECT in
the same transaction.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (Integer, String, and_, case, cast, exists, func, literal, or_, select, true,
                        update)
from sqlalchemy.orm import Session

from app.db import UTCDateTime
from app.events.bus import current_actor
from app.events.models import Event
from oda.models import Classification, Evaluation, Override, OverrideState
from oda.services.sql import SCALE, json_object, json_values_agg, raw, scaled
from oda.services.work import work
from programmes.models import Transaction

EVENT = "TransactionsClassified"
#: amounts an event totals over its transactions (integers as stored: cents)
SUMMED = ("amount_minor", "amount_eur_minor", "oda_amount_minor", "oda_amount_eur_minor")
NEEDS_REVIEW = "needs_review"
#: a change in any of these rewrites the row (and emits an event)
COMPARED = ("evaluation_id", "activity_id", "year", "currency", "amount_minor", "amount_eur_minor", "status",
            "computed_status", "share_e10", "oda_amount_minor", "oda_amount_eur_minor", "units_per_eur_e10",
            "override_id", "reference_version", "rules_version")


def result_select(session: Session, now: datetime, run_id: int):
    """One row per transaction of the work set, labelled like the result columns."""
    t, e, o = Transaction.__table__, Evaluation.__table__, Override.__table__
    context = and_(e.c.activity_id == work.c.activity_id, e.c.year == work.c.year, e.c.currency == work.c.currency)
    current_override = and_(o.c.transaction_id == work.c.transaction_id, o.c.state.in_(OverrideState.CURRENT))
    active = o.c.state == OverrideState.ACTIVE
    units = raw(e.c.units_per_eur_e10)
    amount = raw(t.c.amount_minor)
    share = case((active, raw(o.c.share_e10)), else_=raw(e.c.share_e10))
    status = case((units.is_(None), literal(NEEDS_REVIEW)), (active, o.c.status),
                  (o.c.state == OverrideState.NEEDS_RECONFIRMATION, literal(NEEDS_REVIEW)), else_=e.c.status)
    values = (work.c.transaction_id, e.c.id, work.c.activity_id, work.c.year, work.c.currency, amount,
              scaled(session, amount, SCALE, units), status, e.c.status, share,
              scaled(session, amount, share, SCALE), scaled(session, amount, share, units), units, o.c.id,
              e.c.reference_version, e.c.rules_version, literal(now, UTCDateTime()), literal(run_id, Integer))
    return (select(*[value.label(name) for value, name in zip(values, INSERTED)])
        .select_from(work.join(t, t.c.id == work.c.transaction_id).join(e, context)
                     .outerjoin(o, current_override))
        .where(true()))


INSERTED = ("transaction_id", "evaluation_id", "activity_id", "year", "currency", "amount_minor", "amount_eur_minor",
            "status", "computed_status", "share_e10", "oda_amount_minor", "oda_amount_eur_minor", "units_per_eur_e10",
            "override_id", "reference_version", "rules_version", "classified_at", "run_id")


def upsert_results(session: Session, now: datetime, run_id: int) -> None:
    """New rows with a plain INSERT … SELECT, changed rows with one UPDATE … FROM: on
    PostgreSQL, INSERT … ON CONFLICT pays a speculative insertion per row, which
    doubles the cost of a first classification of a large ledger."""
    c = Classification.__table__
    source = result_select(session, now, run_id)
    classified = exists().where(c.c.transaction_id == work.c.transaction_id)
    any_classified = session.scalar(select(classified))
    session.execute(c.insert().from_select(list(INSERTED), source.where(~classified)))
    if not any_classified:
        return
    fresh = source.subquery()
    changes = {name: fresh.c[name] for name in COMPARED}
    changes.update(previous_status=c.c.status, previous_oda_amount_eur_minor=c.c.oda_amount_eur_minor,
                   classified_at=fresh.c.classified_at, run_id=fresh.c.run_id)
    session.execute(update(c).values(changes).where(
        c.c.transaction_id == fresh.c.transaction_id,
        or_(*[c.c[name].is_distinct_from(fresh.c[name]) for name in COMPARED])))


def publish_changes(session: Session, run_id: int, now: datetime) -> None:
    """``TransactionsClassified`` events for the results this run wrote, built in SQL.

    One event per activity, year, currency and outcome (status, previous status, share,
    override), listing the transaction ids that got it with the rate, the evaluation and
    the totals of their amounts. An event is not split further: an activity's lines of
    one year are hundreds, and capping the ids per event (numbering the rows of each
    group) cost 3 s of 4.4 s for a million lines on SQLite, measured. A transaction's ODA
    amounts follow from its amount and the event's share and rate (the rounding of
    docs/oda.md); an override is an outcome of its own. The events of an activity, in
    order, are the classification history of its transactions.
    """
    from app.events.bus import lock_event_order

    c = Classification.__table__
    outcome = (c.c.status, c.c.previous_status, c.c.share_e10, c.c.override_id)
    changed = (select(work.c.activity_id, work.c.year, work.c.currency, *outcome, c.c.transaction_id,
                      c.c.amount_minor, c.c.amount_eur_minor, c.c.oda_amount_minor, c.c.oda_amount_eur_minor,
                      c.c.units_per_eur_e10, c.c.evaluation_id, c.c.reference_version, c.c.rules_version)
               .select_from(work.join(c, c.c.transaction_id == work.c.transaction_id))
               .where(c.c.run_id == run_id).subquery())
    r = changed.c
    payload = json_object(session, {
        "year": r.year, "currency": r.currency, "status": r.status, "previous_status": r.previous_status,
        "share_e10": r.share_e10, "override_id": r.override_id, "units_per_eur_e10": func.max(r.units_per_eur_e10),
        "evaluation_id": func.max(r.evaluation_id), "reference_version": func.max(r.reference_version),
        "rules_version": func.max(r.rules_version), "run_id": literal(run_id, Integer), "count": func.count(),
        **{name: func.sum(r[name]) for name in SUMMED},
        "transaction_ids": json_values_agg(session, r.transaction_id),
    })
    actor = current_actor()
    source = (select(literal(EVENT), literal("Activity"), cast(r.activity_id, String), payload,
                     literal(actor.name[:120]), literal(now, UTCDateTime()), literal(actor.correlation_id, String))
              .group_by(r.activity_id, r.year, r.currency, r.status, r.previous_status, r.share_e10, r.override_id))
    lock_event_order(session)
    session.execute(Event.__table__.insert().from_select(
        ["type", "aggregate_type", "aggregate_id", "payload", "actor", "occurred_at", "correlation_id"], source))


def changed_counts(session: Session, run_id: int) -> dict[str, int]:
    c = Classification.__table__
    rows = session.execute(select(c.c.status, func.count())
                           .select_from(work.join(c, c.c.transaction_id == work.c.transaction_id))
                           .where(c.c.run_id == run_id).group_by(c.c.status))
    return {status: count for status, count in rows}
