"""One programme: year totals, budget lines, activities, partners, recent changes."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.events.bus import handlers
from app.events.models import Event, HandlerCheckpoint
from app.web.pagination import Page, paginate
from programmes.models import Activity, ActivityYearTotal, BudgetLine, Organisation, Programme, ProgrammeYearTotal
from programmes.services.queries.totals import ZERO, Totals, totals

TOTALS_HANDLER = "budget_totals"
#: the projections the programme page reads
PAGE_HANDLERS = ("budget_totals", "activity_totals")
#: counting lag beyond this many events says nothing more useful and costs more
LAG_COUNT_LIMIT = 1000
MAX_SEARCH = 100
#: activities of a programme whose changes the programme page lists (beyond: the audit page)
RECENT_ACTIVITY_LIMIT = 2000


@dataclass(frozen=True)
class YearTotals:
    year: int
    totals: Totals
    in_period: bool


@dataclass(frozen=True)
class ActivityRow:
    """An activity with what it committed and disbursed over all years (EUR, from the projection)."""

    activity: Activity
    committed: Decimal
    disbursed: Decimal
    unconverted: int


@dataclass(frozen=True)
class Partner:
    organisation: Organisation
    activities: int
    committed: Decimal
    disbursed: Decimal


def programme_by_code(session: Session, code: str) -> Programme | None:
    if not code or len(code) > 30:
        return None
    return session.scalar(select(Programme).where(Programme.code == code))


def programme_id_by_code(session: Session, code: str) -> int | None:
    if not code or len(code) > 30:
        return None
    return session.scalar(select(Programme.id).where(Programme.code == code))


def year_totals(session: Session, programme: Programme) -> list[YearTotals]:
    """Each year of the period, plus any year outside it that has bookings."""
    rows = session.scalars(select(ProgrammeYearTotal).where(ProgrammeYearTotal.programme_id == programme.id))
    by_year = {r.year: totals(r.planned, r.committed, r.disbursed) for r in rows}
    years = sorted(set(programme.years) | set(by_year))
    return [YearTotals(y, by_year.get(y, Totals()), y in programme.years) for y in years]


def budget_lines(session: Session, programme_id: int) -> list[BudgetLine]:
    return list(session.scalars(
        select(BudgetLine).where(BudgetLine.programme_id == programme_id)
        .order_by(BudgetLine.year, BudgetLine.sector)))


def budget_line(session: Session, programme_id: int, year: int, sector: str) -> BudgetLine | None:
    return session.scalar(select(BudgetLine).where(
        BudgetLine.programme_id == programme_id, BudgetLine.year == year, BudgetLine.sector == sector))


def budget_line_by_id(session: Session, programme_id: int, line_id: int) -> BudgetLine | None:
    line = session.get(BudgetLine, line_id)
    return line if line is not None and line.programme_id == programme_id else None


def _activity_sums(programme_id: int):
    """Per activity of the programme: committed, disbursed and unconverted over all years."""
    t = ActivityYearTotal
    return (select(t.activity_id, func.sum(t.committed).label("committed"),
                   func.sum(t.disbursed).label("disbursed"), func.sum(t.unconverted).label("unconverted"))
            .join(Activity, Activity.id == t.activity_id)
            .where(Activity.programme_id == programme_id)
            .group_by(t.activity_id)
            .subquery())


SORTS = {
    "code": lambda sums: Activity.code,
    "title": lambda sums: Activity.title,
    "partner": lambda sums: func.coalesce(Organisation.short_name, Organisation.name),
    "status": lambda sums: Activity.status,
    "start": lambda sums: Activity.start_date,
    "committed": lambda sums: func.coalesce(sums.c.committed, 0),
    "disbursed": lambda sums: func.coalesce(sums.c.disbursed, 0),
}


def activities_page(session: Session, programme_id: int, page: int, per_page: int, sort: str = "code",
                    descending: bool = False, search: str | None = None) -> Page:
    """A page of the programme's activities, sorted and searched in SQL, with their totals."""
    sums = _activity_sums(programme_id)
    key = SORTS.get(sort, SORTS["code"])(sums)
    stmt = (select(Activity, sums.c.committed, sums.c.disbursed, sums.c.unconverted)
            .outerjoin(sums, sums.c.activity_id == Activity.id)
            .outerjoin(Organisation, Organisation.id == Activity.organisation_id)
            .where(Activity.programme_id == programme_id)
            .order_by(key.desc() if descending else key.asc(), Activity.code))
    if search:
        needle = search.strip()[:MAX_SEARCH].lower()
        stmt = stmt.where(or_(func.lower(Activity.code).contains(needle, autoescape=True),
                              func.lower(Activity.title).contains(needle, autoescape=True)))
    result = paginate(session, stmt, page, per_page, scalars=False)
    result.items = [ActivityRow(a, committed or ZERO, disbursed or ZERO, int(unconverted or 0))
                    for a, committed, disbursed, unconverted in result.items]
    return result


def partners(session: Session, programme_id: int) -> list[Partner]:
    """The organisations the programme works through, largest commitment first."""
    sums = _activity_sums(programme_id)
    stmt = (select(Organisation, func.count(Activity.id), func.sum(sums.c.committed), func.sum(sums.c.disbursed))
            .join(Activity, Activity.organisation_id == Organisation.id)
            .outerjoin(sums, sums.c.activity_id == Activity.id)
            .where(Activity.programme_id == programme_id)
            .group_by(Organisation.id)
            .order_by(func.coalesce(func.sum(sums.c.committed), 0).desc(), Organisation.name))
    return [Partner(org, count, committed or ZERO, disbursed or ZERO)
            for org, count, committed, disbursed in session.execute(stmt)]


def recent_events(session: Session, programme_id: int, limit: int = 200) -> list[Event]:
    """The latest changes to the programme, its budget lines and its activities (index lookups
    on the aggregate, so the ledger's millions of transaction events cost nothing here)."""
    line_ids = session.scalars(select(BudgetLine.id).where(BudgetLine.programme_id == programme_id)).all()
    activity_ids = session.scalars(select(Activity.id).where(Activity.programme_id == programme_id)
                                   .order_by(Activity.id).limit(RECENT_ACTIVITY_LIMIT)).all()
    about = [and_(Event.aggregate_type == "Programme", Event.aggregate_id == str(programme_id))]
    for aggregate, ids in (("BudgetLine", line_ids), ("Activity", activity_ids)):
        if ids:
            about.append(and_(Event.aggregate_type == aggregate, Event.aggregate_id.in_([str(i) for i in ids])))
    return list(session.scalars(select(Event).where(or_(*about)).order_by(Event.id.desc()).limit(limit)))


def pending_total_updates(session: Session, names: tuple[str, ...] = (TOTALS_HANDLER,)) -> int:
    """Events the totals handlers have not processed yet (capped): the totals may lag by these."""
    known = [handlers[name] for name in names if name in handlers]
    if not known:
        return 0
    checkpoints = dict(session.execute(select(HandlerCheckpoint.handler, HandlerCheckpoint.last_event_id)
                                       .where(HandlerCheckpoint.handler.in_([h.name for h in known]))).all())
    oldest = min(checkpoints.get(h.name) or 0 for h in known)
    types = sorted(set().union(*(h.event_types for h in known)))
    pending = select(Event.id).where(Event.id > oldest, Event.type.in_(types)).limit(LAG_COUNT_LIMIT).subquery()
    return session.scalar(select(func.count()).select_from(pending))


@dataclass(frozen=True)
class EventRun:
    """Consecutive events of one type (a classification run touching many activities) shown once."""

    event: Event
    count: int


def collapse_runs(events: list[Event], limit: int = 10) -> list[EventRun]:
    """Newest first, consecutive events of the same type and actor folded into one entry."""
    runs: list[EventRun] = []
    for event in events:
        last = runs[-1] if runs else None
        if last is not None and last.event.type == event.type and last.event.actor == event.actor:
            runs[-1] = EventRun(last.event, last.count + 1)
        elif len(runs) < limit:
            runs.append(EventRun(event, 1))
        else:
            break
    return runs
