"""The review queue page by page, without deriving every line's outcome per request.

The queue (``oda.services.queries.review_queue``) is ordered by part (lines needing
review, then lines changed since the year's last CRS export), year (newest first),
activity code, date and line. Each evaluation knows how many lines its context has
(``Evaluation.lines``, kept by the classification run), so how many lines of the queue
each (part, year, activity) holds is an aggregate over the evaluations, corrected by the
few lines whose outcome is not their context's: lines with a current override, and
lines that arrived or changed after their context was evaluated (``LineChange``). A
running sum over those groups finds the groups a page falls in; only their lines are
read, in the queue's order. A page costs what the evaluations in scope and the page's
lines cost, not what the ledger does.

Lines recorded since the last classification run count from the next one (as on the
portfolio): until then a page boundary can move by those lines.
"""
from __future__ import annotations

from sqlalchemy import Integer, and_, case, func, literal, literal_column, or_, select, union_all
from sqlalchemy.orm import Session

from app.sql import YearOf
from app.web.pagination import Page
from oda.models import Classification, Evaluation, LineChange, Override, OverrideState, ReportingYear, Status
from oda.services.queries import queue_part, review_queue
from oda.services.work import overridden
from programmes.models import Activity, Transaction


def queue_page(session: Session, year: int | None, programme_ids: set[int] | None, page: int,
                      per_page: int) -> Page:
    """One page of the review queue (rows of (classification, transaction, activity)), with its total."""
    offset = (page - 1) * per_page
    groups = _groups(year, programme_ids).subquery("queue_groups")
    order = (groups.c.part, groups.c.year.desc(), groups.c.code, groups.c.activity_id)
    running = select(groups, func.sum(groups.c.lines).over(order_by=order).label("upto"),
                     func.sum(groups.c.lines).over().label("total")).subquery("queue_running")
    window = session.execute(select(running).where(running.c.upto > offset,
                                                   running.c.upto - running.c.lines < offset + per_page)
                             .order_by(running.c.upto)).all()
    if not window:
        return Page(items=[], number=page, per_page=per_page, total=_total(session, groups), has_next=False)
    total = int(window[0].total)
    skip = offset - (int(window[0].upto) - int(window[0].lines))
    c = Classification
    in_window = or_(*(and_(queue_part() == g.part, c.year == g.year, c.activity_id == g.activity_id)
                      for g in window))
    rows = session.execute(review_queue(year, programme_ids).where(in_window).offset(skip).limit(per_page)).all()
    return Page(items=rows, number=page, per_page=per_page, total=total, has_next=offset + per_page < total)


def _total(session: Session, groups) -> int:
    return int(session.scalar(select(func.coalesce(func.sum(groups.c.lines), 0))))


def _groups(year: int | None, programme_ids: set[int] | None):
    """(part, year, activity_id, code, lines) of the queue, one row per non-empty group."""
    parts = union_all(_scoped(_by_context(), year, programme_ids),
                      *(_scoped(part, year, programme_ids, lines_first=True)
                        for part in (_changed_lines(), _overridden(-1), _overridden(1)))).subquery()
    return (select(parts.c.part, parts.c.year, parts.c.activity_id, parts.c.code,
                   func.sum(parts.c.lines).label("lines"))
            .group_by(parts.c.part, parts.c.year, parts.c.activity_id, parts.c.code)
            .having(func.sum(parts.c.lines) > 0))


def _scoped(stmt, year: int | None, programme_ids: set[int] | None, lines_first: bool = False):
    """``stmt`` (over the evaluations ``Evaluation`` and activities) narrowed to the year and
    programmes. ``lines_first``: the few lines it reads drive the query, so the scope is
    written past the indexes ("+ 0"), which would otherwise lead through every line in scope."""
    def plain(column):
        return column + literal_column("0") if lines_first else column

    if year is not None:
        stmt = stmt.where(plain(Evaluation.year) == year)
    if programme_ids is not None:
        stmt = stmt.where(plain(Activity.programme_id).in_(sorted(programme_ids)))
    return stmt


def _context_needs_review():
    e = Evaluation
    return or_(e.status == Status.NEEDS_REVIEW, e.units_per_eur.is_(None))


def _context_changed():
    """The context was evaluated after its year's last export (or the year never was exported)."""
    last = ReportingYear.last_export_at
    return or_(last.is_(None), Evaluation.evaluated_at > last)


def _context_part():
    return case((_context_needs_review(), 0), else_=1)


def _by_context():
    """Every context's lines as its evaluation places them (all of them when they need review,
    or when the context changed since the export; none otherwise)."""
    e = Evaluation
    return (select(_context_part().label("part"), e.year, e.activity_id, Activity.code, e.lines)
            .join(Activity, Activity.id == e.activity_id)
            .outerjoin(ReportingYear, ReportingYear.year == e.year)
            .where(e.lines > 0, or_(_context_needs_review(), _context_changed())))


def _changed_lines():
    """Lines without an override that arrived or changed after the export in a context
    evaluated before it (``LineChange``; their context counted none of them)."""
    e, lc, t, last = Evaluation, LineChange, Transaction, ReportingYear.last_export_at
    context = and_(e.activity_id == t.activity_id, e.year == YearOf(t.date), e.currency == t.currency)
    return (select(literal(1, Integer).label("part"), e.year, e.activity_id, Activity.code,
                   literal(1, Integer).label("lines"))
            .select_from(lc).join(t, t.id == lc.transaction_id).join(e, context)
            .join(Activity, Activity.id == e.activity_id)
            .join(ReportingYear, ReportingYear.year == e.year)
            .where(t.id.in_(select(lc.transaction_id)),  # the changes (few) lead, not the ledger
                   ~_context_needs_review(), ~_context_changed(), lc.changed_at > last, ~overridden(t.__table__)))


def _overridden(sign: int):
    """For each line with a current override: -1 where its context counted it, +1 where the
    line itself belongs (an override decides its status; its decision time may make it changed)."""
    c, e, o, last = Classification, Evaluation, Override, ReportingYear.last_export_at
    if sign < 0:
        part, counted = _context_part(), or_(_context_needs_review(), _context_changed())
    else:
        part = queue_part()
        counted = or_(c.status == Status.NEEDS_REVIEW, last.is_(None), c.classified_at > last)
    return (select(part.label("part"), e.year, e.activity_id, Activity.code,
                   case((counted, sign), else_=0).label("lines"))
            .select_from(o).join(c, c.transaction_id == o.transaction_id).join(e, e.id == c.evaluation_id)
            .join(Activity, Activity.id == e.activity_id)
            .outerjoin(ReportingYear, ReportingYear.year == e.year)
            .where(o.state.in_(OverrideState.CURRENT)))
