"""The review queue by cause: review groups, read from the evaluations.

A review group is the open lines (needing review) of one activity in one year that share
the rules' reasons (``Explanation``). Each evaluation knows its context's lines and their
amount (``Evaluation.lines``, ``Evaluation.amount_minor``, kept by the classification run),
so a group's count and total are aggregates over the evaluations, corrected by the few
lines whose outcome is not their context's: lines with a current override. A group
decision (``oda.models.reviews``) closes its activity-year's contexts, a flagged one
opens them again. A page of groups costs what the evaluations in scope cost, not what
the ledger does; only the drill-down reads lines, those of one activity-year.

Lines recorded since the last classification run count from the next one.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from flask_babel import gettext
from sqlalchemy import Select, and_, case, func, literal, or_, select, tuple_, union_all
from sqlalchemy.orm import Session

from app.web.pagination import MAX_BIGINT, Page
from oda.models import (Classification, DecisionState, Evaluation, Explanation, GroupDecision, LineOutcome,
                        Override, OverrideState, Status)
from app.exact import SCALE, scaled_sql
from app.sql import YearOf, among
from oda.rules.messages import reason_text
from oda.services.sql import raw
from programmes.models import Activity, Programme, Transaction
from programmes.models.enums import TransactionKind

CENT = Decimal("0.01")
#: the fewest lines a drill-down window reads (a page that needs a few more lines after
#: overridden ones still reads them in one go)
MIN_WINDOW = 100
PASSED = "pass"


class GroupFilter(NamedTuple):
    """What the officer narrows the queue to; None: no narrowing."""

    year: int | None = None
    programme_ids: frozenset[int] | None = None
    #: a rule that did not pass (``Explanation.reasons[].rule``)
    rule: str | None = None
    #: words of a reason of a rule that did not pass (case-insensitive)
    reason: str | None = None
    #: the group's amount in EUR at least this
    min_amount: Decimal | None = None


class ReviewGroup(NamedTuple):
    activity_id: int
    activity: Activity
    programme_code: str
    year: int
    explanation_id: int
    lines: int
    #: the lines' amount in EUR; None when a context of the group has no rate
    amount_eur: Decimal | None
    #: the rules that did not pass, with their reasons (in rule order)
    reasons: list[dict]
    #: a current group decision of the activity-year (then flagged: its lines are open again)
    decision: GroupDecision | None


def rules_open(e=Evaluation):
    """The contexts the rules leave open: they need review, or their year has no rate. The
    partial index ``ix_oda_evaluations_open`` holds exactly these (a few per cent of the
    evaluations), so the literal status lets SQLite match the index's predicate too."""
    return or_(e.status == literal(Status.NEEDS_REVIEW, literal_execute=True), raw(e.units_per_eur).is_(None))


def context_open(e=Evaluation, d=GroupDecision):
    """The context's lines need review, unless an override of their own decides: no rate,
    a flagged decision on the activity-year, or the rules say so and no decision does."""
    return or_(raw(e.units_per_eur).is_(None), d.state == DecisionState.NEEDS_RECONFIRMATION,
               and_(e.status == Status.NEEDS_REVIEW, d.id.is_(None)))


def _current_decision(e=Evaluation):
    return and_(GroupDecision.activity_id == e.activity_id, GroupDecision.year == e.year,
                GroupDecision.state.in_(DecisionState.CURRENT))


def _eur_minor(amount_minor, e=Evaluation):
    return scaled_sql(amount_minor, SCALE, raw(e.units_per_eur))


def _context_columns(e=Evaluation):
    return (e.activity_id, e.year, e.explanation_id, e.lines.label("lines"),
            _eur_minor(e.amount_minor).label("amount_eur_minor"))


def _by_context(year: int | None, activity_id: int | None = None):
    """The open contexts: those the rules leave open and no decision closes (read through the
    partial index), and those a flagged decision opens again (read from the few decisions)."""
    e, d = Evaluation, GroupDecision
    left_open = (select(*_context_columns()).select_from(e).outerjoin(d, _current_decision())
                 .where(rules_open(), e.lines > 0, context_open()))
    reopened = (select(*_context_columns()).select_from(d)
                .join(e, and_(e.activity_id == d.activity_id, e.year == d.year))
                .where(d.state == DecisionState.NEEDS_RECONFIRMATION, e.lines > 0, ~rules_open()))
    if year is not None:
        left_open, reopened = left_open.where(e.year == year), reopened.where(e.year == year)
    if activity_id is not None:
        left_open = left_open.where(e.activity_id == activity_id)
        reopened = reopened.where(e.activity_id == activity_id)
    return left_open, reopened


def _override_corrections(year: int | None, activity_id: int | None = None):
    """Per line with a current override: +1 where the line is open, -1 where its context counted it."""
    e, o, t = Evaluation, Override, Transaction
    line_year = YearOf(t.date)
    line_open = or_(raw(e.units_per_eur).is_(None), o.state == OverrideState.NEEDS_RECONFIRMATION,
                    o.status == Status.NEEDS_REVIEW)
    sign = case((line_open, 1), else_=0) - case((context_open(), 1), else_=0)
    context = and_(e.activity_id == t.activity_id, e.year == line_year, e.currency == t.currency)
    stmt = (select(e.activity_id, e.year, e.explanation_id, sign.label("lines"),
                   (sign * _eur_minor(raw(t.amount))).label("amount_eur_minor"))
            .select_from(o).join(t, t.id == o.transaction_id).join(e, context)
            .outerjoin(GroupDecision, _current_decision())
            .where(o.state.in_(OverrideState.CURRENT)))
    if activity_id is not None:  # "+ 0": the few overrides lead, not the activity's (maybe 100,000) lines
        stmt = stmt.where(t.activity_id + 0 == activity_id)
    return stmt if year is None else stmt.where(line_year == year)


def open_groups(year: int | None = None, programme_ids=None, activity_id: int | None = None) -> Select:
    """(activity_id, programme_id, year, explanation_id, lines, amount_eur_minor) of every
    non-empty review group (of one activity when ``activity_id``); ``amount_eur_minor`` is
    empty when a context has no rate."""
    parts = union_all(*_by_context(year, activity_id), _override_corrections(year, activity_id)).subquery(
        "group_parts")
    no_rate = func.sum(case((parts.c.amount_eur_minor.is_(None), 1), else_=0))
    amount = case((no_rate > 0, None), else_=func.sum(parts.c.amount_eur_minor))
    stmt = (select(parts.c.activity_id, Activity.programme_id, parts.c.year, parts.c.explanation_id,
                   func.sum(parts.c.lines).label("lines"), amount.label("amount_eur_minor"))
            .join(Activity, Activity.id == parts.c.activity_id)
            .group_by(parts.c.activity_id, Activity.programme_id, parts.c.year, parts.c.explanation_id)
            .having(func.sum(parts.c.lines) > 0))
    if programme_ids is not None:
        stmt = stmt.where(Activity.programme_id.in_(sorted(programme_ids)))
    return stmt


def open_lines_by_programme(session: Session, year: int, programme_ids=None) -> dict[int, int]:
    """{programme id: open lines of ``year``} (the portfolio's alerts, the deadline, the final)."""
    groups = open_groups(year, programme_ids).subquery()
    rows = session.execute(select(groups.c.programme_id, func.sum(groups.c.lines)).group_by(groups.c.programme_id))
    return {programme_id: int(lines) for programme_id, lines in rows if lines}


def failing_reasons(reasons: list[dict] | None) -> list[dict]:
    """The reasons of the rules that did not pass: what the group is about."""
    return [r for r in reasons or [] if r.get("result") != PASSED]


def _matching_explanations(session: Session, groups, wanted: GroupFilter) -> list[int] | None:
    """Ids of the groups' explanations that match the rule and reason asked for (None: no such filter).
    Explanations are shared by many contexts: the open groups use few of them."""
    if not wanted.rule and not wanted.reason:
        return None
    ids = select(groups.c.explanation_id).distinct().scalar_subquery()
    words = (wanted.reason or "").casefold()
    found = []
    for explanation_id, reasons in session.execute(
            select(Explanation.id, Explanation.reasons).where(Explanation.id.in_(ids))):
        failing = failing_reasons(reasons)
        if wanted.rule and wanted.rule not in {r.get("rule") for r in failing}:
            continue
        if words and not any(words in _said(r) for r in failing):
            continue
        found.append(explanation_id)
    return found


def _said(reason: dict) -> str:
    """A reason as the reader sees it and in English, to search in (once per explanation)."""
    return f"{reason.get('reason', '')} {reason_text(reason, gettext)}".casefold()


@dataclass
class GroupPage(Page):
    """A page of review groups, with the scope's totals before the rule, reason and amount filters."""

    open_groups: int = 0
    open_lines: int = 0


def group_page(session: Session, wanted: GroupFilter, page: int, per_page: int) -> GroupPage:
    """One page of review groups, the largest amount first (groups without a rate first of all).

    One statement: the groups are aggregated once, and window functions count the scope and
    the groups that match the filters beside the page's rows."""
    groups = open_groups(wanted.year, wanted.programme_ids).subquery("review_groups")
    scoped = select(groups, func.count().over().label("scope_groups"),
                    func.sum(groups.c.lines).over().label("scope_lines")).subquery("scoped")
    stmt = select(scoped, func.count().over().label("matching"))
    explanation_ids = _matching_explanations(session, groups, wanted)
    if explanation_ids is not None:
        stmt = stmt.where(scoped.c.explanation_id.in_(explanation_ids))
    if wanted.min_amount is not None:
        stmt = stmt.where(or_(scoped.c.amount_eur_minor.is_(None),
                              scoped.c.amount_eur_minor >= int(wanted.min_amount * 100)))
    stmt = stmt.order_by(case((scoped.c.amount_eur_minor.is_(None), 0), else_=1),
                         scoped.c.amount_eur_minor.desc(), scoped.c.year.desc(), scoped.c.activity_id,
                         scoped.c.explanation_id)
    offset = (page - 1) * per_page
    rows = [] if offset > MAX_BIGINT else session.execute(stmt.offset(offset).limit(per_page + 1)).all()
    if rows:
        first = rows[0]
        total, scope = int(first.matching), (int(first.scope_groups), int(first.scope_lines or 0))
    else:  # past the last page, or nothing matches: the totals from their own statement
        total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
        scope = group_totals(session, wanted)
    return GroupPage(items=_described(session, rows[:per_page]), number=page, per_page=per_page, total=total,
                     has_next=len(rows) > per_page, open_groups=scope[0], open_lines=scope[1])


def _described(session: Session, rows) -> list[ReviewGroup]:
    if not rows:
        return []
    activities = {a.id: (a, code) for a, code in session.execute(
        select(Activity, Programme.code).join(Programme, Programme.id == Activity.programme_id)
        .where(Activity.id.in_({r.activity_id for r in rows})))}
    reasons = dict(session.execute(select(Explanation.id, Explanation.reasons)
                                   .where(Explanation.id.in_({r.explanation_id for r in rows}))).all())
    decisions = {(d.activity_id, d.year): d for d in session.scalars(select(GroupDecision).where(
        GroupDecision.activity_id.in_({r.activity_id for r in rows}),
        GroupDecision.state.in_(DecisionState.CURRENT)))}
    groups = []
    for r in rows:
        activity, programme_code = activities[r.activity_id]
        amount = None if r.amount_eur_minor is None else (Decimal(int(r.amount_eur_minor)) * CENT)
        groups.append(ReviewGroup(r.activity_id, activity, programme_code, r.year, r.explanation_id, int(r.lines),
                                  amount, failing_reasons(reasons.get(r.explanation_id)),
                                  decisions.get((r.activity_id, r.year))))
    return groups


def group_totals(session: Session, wanted: GroupFilter) -> tuple[int, int]:
    """(groups, lines) open in the scope (before the rule, reason and amount filters)."""
    groups = open_groups(wanted.year, wanted.programme_ids).subquery()
    count, lines = session.execute(select(func.count(), func.coalesce(func.sum(groups.c.lines), 0))
                                   .select_from(groups)).one()
    return int(count), int(lines)


def group_lines(session: Session, activity_id: int, year: int, explanation_id: int, page: int,
                per_page: int) -> Page:
    """The open lines of one review group (the drill-down), by date: (classification, transaction).

    The ledger's index on (activity, kind, date) gives each kind's lines of the year in date
    order, so each kind is read only up to the page's end, its outcome an expression per
    line read (``_open_line_ids``); the kinds are merged by date, and only the page's lines
    are then read in full. The total is the group's count as the queue shows it
    (``group_line_count``): a group of 100,000 lines is not read line by line for a page."""
    offset = (page - 1) * per_page
    currencies = session.scalars(select(Evaluation.currency).where(
        Evaluation.activity_id == activity_id, Evaluation.year == year,
        Evaluation.explanation_id == explanation_id)).all()
    found = [] if offset > MAX_BIGINT or not currencies else sorted(
        row for kind in TransactionKind
        for row in _open_line_ids(session, activity_id, year, explanation_id, currencies, kind,
                                  offset + per_page + 1))
    ids = [line_id for _date, line_id in found[offset:offset + per_page + 1]]
    lines = Page(items=ids[:per_page], number=page, per_page=per_page,
                 total=group_line_count(session, activity_id, year, explanation_id), has_next=len(ids) > per_page)
    if lines.items:
        lines.items = session.execute(
            select(Classification, Transaction).join(Transaction, Transaction.id == Classification.transaction_id)
            .where(Classification.transaction_id.in_(lines.items))
            .order_by(Transaction.date, Transaction.id)).all()
    return lines


def _open_line_ids(session: Session, activity_id: int, year: int, explanation_id: int, currencies: list[str],
                   kind: str, limit: int) -> list[tuple]:
    """(date, id) of the first ``limit`` open lines of one kind of the group, in date order.

    The kind's lines in the group's ``currencies`` (its evaluations') are read in the index's order a window at a
    time; the outcome (``LineOutcome``, the one definition) is then read for the window's
    lines only, until ``limit`` of them are open. One statement joining the outcome would
    leave PostgreSQL's planner guessing how many lines pass it: it guesses few, and then
    reads and sorts the kind's whole year (45 ms for 100,000 lines) instead of stopping
    after a page."""
    t = Transaction.__table__
    line = LineOutcome(year=year, suffix="group_line")
    found: list[tuple] = []
    after = None
    while len(found) < limit:
        wanted = max(limit - len(found), MIN_WINDOW)
        window = session.execute(
            select(t.c.date, t.c.id)
            .where(t.c.activity_id == activity_id, t.c.kind == kind, line.in_year, t.c.currency.in_(currencies),
                   *([] if after is None else [tuple_(t.c.date, t.c.id) > tuple_(*after)]))
            .order_by(t.c.date, t.c.id).limit(wanted)).all()
        if not window:
            break
        open_ids = set(session.scalars(
            select(t.c.id).select_from(line.joined())
            .where(among(session, t.c.id, [line_id for _date, line_id in window]),
                   line.e.c.explanation_id == explanation_id, line.status == Status.NEEDS_REVIEW)))
        found += [tuple(row) for row in window if row.id in open_ids][:limit - len(found)]
        if len(window) < wanted:
            break
        after = tuple(window[-1])
    return found


def group_line_count(session: Session, activity_id: int, year: int, explanation_id: int) -> int:
    """The group's open lines as the queue counts them (from the evaluations, not line by line)."""
    groups = open_groups(year, activity_id=activity_id).subquery()
    return int(session.scalar(select(func.coalesce(func.sum(groups.c.lines), 0))
                              .where(groups.c.explanation_id == explanation_id)) or 0)


def group_reasons(session: Session, explanation_id: int) -> list[dict]:
    return failing_reasons(session.scalar(select(Explanation.reasons).where(Explanation.id == explanation_id)))


def year_choices(session: Session) -> list[int]:
    """The years with evaluations, newest first (the filter's choices)."""
    return [y for (y,) in session.execute(select(Evaluation.year).distinct().order_by(Evaluation.year.desc()))]
