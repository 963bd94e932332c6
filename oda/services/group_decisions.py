"""The ODA officer's decisions on review groups: one decision, one event, many lines.

``decide_group`` accepts, rejects or sets the share of a review group (its activity-year),
with one reason: a ``GroupDecision`` that every line of the activity-year follows (those
booked later too) unless the line has an override of its own, and one
``ReviewGroupDecided`` event naming the lines (id ranges), their count and totals before
and after. ``undo_group_decision`` ends it (``ReviewGroupDecisionUndone``): the rules'
outcome holds again. A later evaluation of the activity-year with another outcome flags
the decision (``ReviewGroupDecisionFlagged``) and its lines return to the queue, as
overrides do; deciding again re-confirms. Never commits: the caller owns the transaction.
"""
from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import and_, case, exists, func, literal, or_, select, update
from sqlalchemy.orm import Session

from app.db import to_scaled_int, utcnow
from app.exact import scaled_sql
from app.errors import ValidationError
from app.events import publish, publish_many
from app.events.bus import current_actor
from app.events.payload import jsonable
from app.year_lock import refuse_locked
from oda.mandatory import incomplete_activities
from oda.models import DecisionState, Evaluation, GroupDecision, LineOutcome, Status
from oda.services.overrides import checked_reason, decision_outcome, require_crs_items
from oda.services.sql import raw, wait_for_classification
from programmes.models import Activity

DECIDED = "ReviewGroupDecided"
UNDONE = "ReviewGroupDecisionUndone"
FLAGGED = "ReviewGroupDecisionFlagged"
CENT = Decimal("0.01")
#: decimals of a stored share (``app.db.Rate``)
RATE_SCALE = 10


class LineRange(NamedTuple):
    first: int
    last: int


class LineTotals(NamedTuple):
    """Lines of an activity-year by status: how many, their amount and ODA amount in EUR."""

    status: str
    lines: int
    amount_eur: Decimal
    oda_amount_eur: Decimal


def decide_group(session: Session, activity_id: int, year: int, explanation_id: int, action: str, reason: str,
                 share=None) -> GroupDecision:
    """Decide the review group (activity, year, reasons); emits ``ReviewGroupDecided``.
    A current decision of the activity-year is superseded (a flagged one is re-confirmed so)."""
    wait_for_classification(session)
    refuse_locked(session, [year], "action")
    evaluation = _group_evaluation(session, activity_id, year, explanation_id)
    status, effective_share = decision_outcome(action, share, evaluation)
    reason = checked_reason(reason)
    if evaluation.units_per_eur is None:
        raise ValidationError(f"no {evaluation.currency} exchange rate for {year}: set the rate first, a "
                              "decision cannot replace it", "action")
    if status == Status.ELIGIBLE:
        require_crs_items(session, activity_id)
    effect = decision_effect(session, activity_id, year, status, effective_share)
    previous = current_decision(session, activity_id, year)
    if previous is not None:
        _end(previous, DecisionState.SUPERSEDED, reason)
        session.flush()
    decision = GroupDecision(activity_id=activity_id, year=year, action=action, status=status,
                             share=effective_share, reason=reason, decided_by=current_actor().name[:120],
                             decided_at=utcnow(), basis_explanation_id=explanation_id,
                             basis_status=evaluation.status, basis_reasons=evaluation.reasons,
                             state=DecisionState.ACTIVE)
    session.add(decision)
    session.flush()
    publish(session, DECIDED, "Activity", activity_id, _payload(session, decision, effect, {
        "action": action, "share": str(effective_share), "computed_status": evaluation.status,
        "explanation_id": explanation_id,
        "superseded_decision_id": None if previous is None else previous.id}))
    return decision


def undo_group_decision(session: Session, decision_id: int, reason: str) -> GroupDecision:
    """End a current group decision; the rules' outcome holds again. Emits ``ReviewGroupDecisionUndone``."""
    wait_for_classification(session)
    decision = session.get(GroupDecision, decision_id)
    if decision is None or decision.state not in DecisionState.CURRENT:
        raise ValidationError("there is no current group decision to undo", "decision_id")
    refuse_locked(session, [decision.year], "decision_id")
    reason = checked_reason(reason)
    effect = decision_effect(session, decision.activity_id, decision.year)  # the rules' outcome again
    _end(decision, DecisionState.UNDONE, reason)
    session.flush()
    publish(session, UNDONE, "Activity", decision.activity_id, _payload(
        session, decision, effect, {"action": decision.action, "undo_reason": reason}))
    return decision


def current_decision(session: Session, activity_id: int, year: int) -> GroupDecision | None:
    return session.scalar(select(GroupDecision).where(
        GroupDecision.activity_id == activity_id, GroupDecision.year == year,
        GroupDecision.state.in_(DecisionState.CURRENT)))


def _group_evaluation(session: Session, activity_id: int, year: int, explanation_id: int) -> Evaluation:
    """The group's evaluation (of its largest context when it has several currencies)."""
    evaluation = session.scalar(select(Evaluation).where(
        Evaluation.activity_id == activity_id, Evaluation.year == year, Evaluation.explanation_id == explanation_id)
        .order_by(Evaluation.lines.desc(), Evaluation.id).limit(1))
    if evaluation is None:
        raise ValidationError("there is no such review group: classify the activity first", "group")
    return evaluation


def _end(decision: GroupDecision, state: str, reason: str) -> None:
    decision.state = state
    decision.ended_at = utcnow()
    decision.ended_reason = reason


def _activity_year(year: int):
    """The lines of an activity dated in ``year``, read through its (activity, date) index."""
    line = LineOutcome(year=year, suffix="group")
    return line, line.in_year


class Effect(NamedTuple):
    """What a decision does to its activity-year: the lines by status before and after, and
    the ids of the lines that follow it (those without an override of their own)."""

    before: list[LineTotals]
    after: list[LineTotals]
    lines: list[LineRange]


def decision_effect(session: Session, activity_id: int, year: int, status: str | None = None,
                    share: Decimal | None = None) -> Effect:
    """The activity-year's lines as every reader sees them now, and once a decision with
    ``status`` and ``share`` applies (without one: the rules' outcome, as after an undo).

    One pass over the lines: they are grouped by (status now, status after, island of
    consecutive ids among the lines that follow the decision), so a decision over 100,000
    lines reads them once and returns a few rows."""
    line, in_year = _activity_year(year)
    t, e, o = line.t, line.e, line.o
    units = raw(e.c.units_per_eur_e10)
    follows = o.c.id.is_(None)
    new_status = e.c.status if status is None else literal(status)
    new_share = raw(e.c.share_e10) if share is None else literal(to_scaled_int(share, RATE_SCALE))
    after_status = case((units.is_(None), literal(Status.NEEDS_REVIEW)), (follows, new_status),
                        else_=line.status)
    after_oda = case((follows, scaled_sql(raw(t.c.amount_minor), new_share, units)),
                     else_=line.oda_amount_eur_minor)
    island = t.c.id - func.row_number().over(partition_by=follows, order_by=t.c.id)
    lines = (select(t.c.id.label("id"), follows.label("follows"), island.label("island"),
                    line.status.label("before"), after_status.label("after"),
                    line.amount_eur_minor.label("amount"), line.oda_amount_eur_minor.label("oda_before"),
                    after_oda.label("oda_after"))
             .select_from(line.joined())
             .where(t.c.activity_id == activity_id, in_year, line.classified).subquery("decided_lines"))
    rows = session.execute(
        select(lines.c.before, lines.c.after, lines.c.follows, func.count(), func.min(lines.c.id),
               func.max(lines.c.id), func.sum(lines.c.amount), func.sum(lines.c.oda_before),
               func.sum(lines.c.oda_after))
        .group_by(lines.c.before, lines.c.after, lines.c.follows, lines.c.island)).all()
    before, after, ranges = {}, {}, set()
    for was, becomes, follows_it, n, first, last, amount, oda_before, oda_after in rows:
        _add(before, was, n, amount, oda_before)
        _add(after, becomes, n, amount, oda_after)
        if follows_it:
            ranges.add((int(first), int(last)))
    return Effect(_totals(before), _totals(after), _islands(ranges))


def _add(totals: dict, status: str, lines: int, amount, oda) -> None:
    n, amount_sum, oda_sum = totals.get(status, (0, 0, 0))
    totals[status] = (n + int(lines), amount_sum + int(amount or 0), oda_sum + int(oda or 0))


def _totals(by_status: dict) -> list[LineTotals]:
    return [LineTotals(status, n, _eur(amount), _eur(oda)) for status, (n, amount, oda) in sorted(by_status.items())]


def _islands(ranges: set[tuple[int, int]]) -> list[LineRange]:
    """Ranges of consecutive ids: an island whose lines differ in status comes back as
    overlapping or touching ranges, one per status, and is joined again."""
    joined: list[LineRange] = []
    for first, last in sorted(ranges):
        if joined and first <= joined[-1].last + 1:
            joined[-1] = LineRange(joined[-1].first, max(last, joined[-1].last))
        else:
            joined.append(LineRange(first, last))
    return joined


def _eur(minor) -> Decimal:
    return Decimal(int(minor or 0)) * CENT


def _payload(session: Session, decision: GroupDecision, effect: Effect, extra: dict) -> dict:
    activity = session.get(Activity, decision.activity_id)
    return jsonable({
        "decision_id": decision.id, "activity_code": activity.code, "year": decision.year,
        "status": decision.status, "reason": decision.reason, "decided_by": decision.decided_by, **extra,
        "lines": {"count": sum(r.last - r.first + 1 for r in effect.lines),  # an island's ids are consecutive
                  "id_ranges": [[r.first, r.last] for r in effect.lines]},
        "before": [t._asdict() for t in effect.before], "after": [t._asdict() for t in effect.after],
    })


def flag_changed_decisions(session: Session) -> list[int]:
    """Flag active group decisions whose activity-year the rules now judge otherwise (an
    evaluation written after the decision with another status than the one decided on, and
    other than the decision's own: rules that now agree with the officer need no re-confirmation), and
    those that make lines ODA on an activity lacking a CRS mandatory item; returns their ids.
    Decisions are few: all are checked."""
    d, e = GroupDecision, Evaluation
    changed = exists().where(e.activity_id == d.activity_id, e.year == d.year, e.evaluated_at > d.decided_at,
                             e.status != d.basis_status, e.status != d.status)
    incomplete = and_(d.status == Status.ELIGIBLE, d.activity_id.in_(incomplete_activities()))
    rows = session.execute(select(d.id, d.activity_id, d.year, d.action, d.decided_by, changed.label("changed"))
                           .where(d.state == DecisionState.ACTIVE, or_(changed, incomplete))).all()
    if not rows:
        return []
    session.execute(update(d).where(d.id.in_([r.id for r in rows])).values(
        state=DecisionState.NEEDS_RECONFIRMATION, flagged_at=utcnow(), version=d.version + 1)
        .execution_options(synchronize_session=False))
    publish_many(session, [dict(type=FLAGGED, aggregate_type="Activity", aggregate_id=r.activity_id,
                                payload={"decision_id": r.id, "year": r.year, "action": r.action,
                                         "decided_by": r.decided_by,
                                         "cause": "rules_changed" if r.changed else "crs_mandatory_items"})
                                for r in rows])
    return [r.id for r in rows]
