"""One activity: its totals per year, its transactions and its history."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.events.models import Event
from app.web.pagination import Page, paginate
from programmes.models import Activity, ActivityYearTotal, Transaction
from programmes.models.enums import TransactionKind
from programmes.services.queries.programme import EventRun, collapse_runs

MAX_CODE = 40


@dataclass(frozen=True)
class ActivityDetail:
    activity: Activity
    years: list[ActivityYearTotal]
    history: list[EventRun]

    @property
    def unconverted(self) -> int:
        return sum(y.unconverted for y in self.years)


def activity_by_code(session: Session, code: str) -> Activity | None:
    if not code or len(code) > MAX_CODE:
        return None
    return session.scalar(select(Activity).where(Activity.code == code))


def activity_detail(session: Session, activity: Activity, history_limit: int = 200) -> ActivityDetail:
    years = list(session.scalars(select(ActivityYearTotal).where(ActivityYearTotal.activity_id == activity.id)
                                 .order_by(ActivityYearTotal.year)))
    history = list(session.scalars(
        select(Event).where(Event.aggregate_type == "Activity", Event.aggregate_id == str(activity.id))
        .order_by(Event.id.desc()).limit(history_limit)))
    return ActivityDetail(activity, years, collapse_runs(history))


def activity_transactions(session: Session, activity_id: int, page: int, per_page: int,
                          kind: str | None = None) -> Page:
    """The activity's transactions, newest first; ``kind`` narrows to commitments, disbursements or refunds."""
    stmt = (select(Transaction).where(Transaction.activity_id == activity_id)
            .order_by(Transaction.date.desc(), Transaction.id.desc()))
    if kind in set(TransactionKind):
        stmt = stmt.where(Transaction.kind == kind)
    return paginate(session, stmt, page, per_page)
