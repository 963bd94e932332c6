"""Reporting years: the CRS deadline configured per year, reminders while something blocks
the year's final CRS file (``oda.services.year_status``), and when the year was last
exported (for "changed since the last export")."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import utcnow
from app.errors import ValidationError
from app.events import publish
from oda.models import ReportingYear
from oda.services.queries import lines_to_review

DEADLINE_SET = "ReportingDeadlineSet"
DEADLINE_NEAR = "ReportingDeadlineNear"


def get_or_create_year(session: Session, year: int) -> ReportingYear:
    row = session.get(ReportingYear, year)
    if row is None:
        row = ReportingYear(year=year, remind_days=30)
        session.add(row)
        session.flush()
    return row


def set_deadline(session: Session, year: int, deadline: date | None, remind_days: int = 30) -> ReportingYear:
    """Configure when the flows of ``year`` must be reported; emits ``ReportingDeadlineSet``."""
    if not (1990 <= int(year) <= 2100):
        raise ValidationError("the reporting year must be between 1990 and 2100", "year")
    if deadline is not None and deadline.year < year:
        raise ValidationError("the deadline for reporting a year's flows cannot be before that year", "deadline")
    if not (1 <= int(remind_days) <= 365):
        raise ValidationError("remind between 1 and 365 days ahead", "remind_days")
    row = get_or_create_year(session, year)
    before = {"deadline": row.deadline.isoformat() if row.deadline else None, "remind_days": row.remind_days}
    row.deadline, row.remind_days = deadline, int(remind_days)
    after = {"deadline": deadline.isoformat() if deadline else None, "remind_days": row.remind_days}
    if before != after:
        row.last_reminded_on = None
        session.flush()
        publish(session, DEADLINE_SET, "ReportingYear", year, {"year": year, "before": before, "after": after})
    return row


def record_export(session: Session, year: int, when: datetime | None) -> None:
    row = get_or_create_year(session, year)
    row.last_export_at = when or utcnow()
    session.flush()


def open_reviews(session: Session, year: int) -> int:
    """Lines of ``year`` that need review, in every programme (``lines_to_review``)."""
    return sum(lines_to_review(session, year).values())


def remind_near_deadlines(session: Session, today: date | None = None) -> dict:
    """One ``ReportingDeadlineNear`` event per year and day while a deadline is within its
    reminder window and something blocks the year's final CRS file; the event names what
    (each blocker's kind, title and count, from the year's status). Safe to run as often
    as the scheduler likes."""
    from oda.services.year_status import year_status

    today = today or utcnow().date()
    counts = {"years_checked": 0, "reminders": 0}
    rows = session.scalars(select(ReportingYear).where(ReportingYear.deadline.is_not(None),
                                                       ReportingYear.deadline >= today)).all()
    for row in rows:
        counts["years_checked"] += 1
        if row.deadline - timedelta(days=row.remind_days) > today or row.last_reminded_on == today:
            continue
        blockers = year_status(session, row.year).blockers
        if not blockers:
            continue
        row.last_reminded_on = today
        session.flush()
        publish(session, DEADLINE_NEAR, "ReportingYear", row.year, {
            "year": row.year, "deadline": row.deadline.isoformat(), "days_left": (row.deadline - today).days,
            "open_reviews": open_reviews(session, row.year),
            "blocking": [{"kind": item.kind, "title": item.title, "count": item.count, "unit": item.unit}
                         for item in blockers]})
        counts["reminders"] += 1
    return counts
