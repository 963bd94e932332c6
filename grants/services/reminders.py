"""Reminders before tranche due dates and report deadlines; flagging overdue reports.

Run daily by the scheduler. Each reminder is stored once (a unique key per tranche
or report and kind), so running the job twice on a day changes nothing.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import utcnow
from grants.models import Application, Reminder, Report, Scheme, Tranche
from grants.models.enums import ReminderKind, TrancheStatus
from grants.services.common import publish_step, today as _today
from grants.workflow import OPEN_GRANT

LONGEST_LEAD_DAYS = 730


def _remind(session: Session, kind: ReminderKind, application, due: date, tranche=None, report=None) -> bool:
    subject = f"tranche:{tranche.id}" if tranche is not None else f"report:{report.id}"
    key = f"{kind.value}:{subject}"
    if session.scalar(select(Reminder.id).where(Reminder.key == key)) is not None:
        return False
    session.add(Reminder(key=key, kind=kind.value, application_id=application.id, due_date=due,
                         tranche_id=tranche.id if tranche is not None else None,
                         report_id=report.id if report is not None else None))
    session.flush()
    publish_step(session, "ReminderIssued", application, kind=kind.value, due_date=due,
                 tranche_id=tranche.id if tranche is not None else None,
                 report_id=report.id if report is not None else None)
    return True


def issue_reminders(session: Session, today: date | None = None) -> dict:
    """Remind of tranches and reports coming due within each scheme's lead time;
    flag reports that passed their deadline (``ReportOverdue``)."""
    day = today or _today()
    horizon = day + timedelta(days=LONGEST_LEAD_DAYS)
    counts = {"tranche_reminders": 0, "report_reminders": 0, "overdue_reports": 0}
    tranches = session.execute(
        select(Tranche, Application, Scheme).join(Application, Application.id == Tranche.application_id)
        .join(Scheme, Scheme.id == Application.scheme_id)
        .where(Application.status.in_(OPEN_GRANT), Tranche.status == TrancheStatus.PLANNED.value,
               Tranche.due_date >= day, Tranche.due_date <= horizon)).all()
    for tranche, application, scheme in tranches:
        if tranche.due_date <= day + timedelta(days=scheme.reminder_days):
            counts["tranche_reminders"] += _remind(session, ReminderKind.TRANCHE_DUE, application,
                                                   tranche.due_date, tranche=tranche)
    reports = session.execute(
        select(Report, Application, Scheme).join(Application, Application.id == Report.application_id)
        .join(Scheme, Scheme.id == Application.scheme_id)
        .where(Application.status.in_(OPEN_GRANT), Report.received_on.is_(None), Report.due_date <= horizon)).all()
    for report, application, scheme in reports:
        if report.due_date < day:
            counts["overdue_reports"] += _flag_overdue(session, application, report, day)
        elif report.due_date <= day + timedelta(days=scheme.reminder_days):
            counts["report_reminders"] += _remind(session, ReminderKind.REPORT_DUE, application,
                                                  report.due_date, report=report)
    return counts


def _flag_overdue(session: Session, application, report: Report, day: date) -> bool:
    if report.overdue_since is not None:
        return False
    report.overdue_since = day
    _remind(session, ReminderKind.REPORT_OVERDUE, application, report.due_date, report=report)
    publish_step(session, "ReportOverdue", application, report_id=report.id, kind=report.kind,
                 due_date=report.due_date, blocks_tranches=True)
    return True


def dismiss_reminder(session: Session, reminder: Reminder) -> Reminder:
    """A manager has dealt with the reminder; it leaves the overview (``ReminderDismissed``)."""
    if reminder.dismissed_at is None:
        reminder.dismissed_at = utcnow()
        session.flush()
        publish_step(session, "ReminderDismissed", session.get(Application, reminder.application_id),
                     reminder_id=reminder.id, kind=reminder.kind)
    return reminder
