"""Reminders before tranche due dates and report deadlines; overdue reports block tranches."""
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.scheduler.registry import get_job
from grants.models import Reminder
from grants.services.overview import open_tranches, overdue_reports, overview
from grants.services.reminders import dismiss_reminder, issue_reminders
from grants.services.reports import add_interim_report, receive_report, request_final_report
from grants.services.schedule import schedule_tranche
from tests.builders.grants import committed, vvn_application
from tests.grants.helpers import grant_events


def grant_with_schedule(session, unp):
    application = committed(session, vvn_application(session, unp.scheme, unp.call), unp.assessor, unp.approver)
    first = schedule_tranche(session, application, date(2024, 4, 10), Decimal("20000.00"))
    second = schedule_tranche(session, application, date(2024, 9, 10), Decimal("20000.00"))
    return application, first, second


def test_a_tranche_is_reminded_once_within_the_schemes_lead_time(session, unp):
    application, first, second = grant_with_schedule(session, unp)
    assert issue_reminders(session, date(2024, 3, 26))["tranche_reminders"] == 0   # 15 days ahead: not yet
    assert issue_reminders(session, date(2024, 3, 27))["tranche_reminders"] == 1   # 14 days ahead
    assert issue_reminders(session, date(2024, 3, 28))["tranche_reminders"] == 0   # already reminded
    reminder = session.scalar(select(Reminder))
    assert (reminder.kind, reminder.tranche_id, reminder.due_date) == ("tranche_due", first.id, date(2024, 4, 10))
    assert grant_events(session, application, "ReminderIssued")[0].payload["tranche_id"] == first.id


def test_report_deadlines_are_reminded_and_overdue_reports_flagged_once(session, unp):
    application, first, second = grant_with_schedule(session, unp)
    report = add_interim_report(session, application, date(2024, 6, 30))
    assert issue_reminders(session, date(2024, 6, 20))["report_reminders"] == 1
    counts = issue_reminders(session, date(2024, 7, 1))
    assert counts["overdue_reports"] == 1 and report.overdue_since == date(2024, 7, 1)
    assert issue_reminders(session, date(2024, 7, 2))["overdue_reports"] == 0
    overdue = grant_events(session, application, "ReportOverdue")
    assert len(overdue) == 1 and overdue[0].payload["blocks_tranches"] is True
    kinds = sorted(session.scalars(select(Reminder.kind)))
    assert kinds == ["report_due", "report_overdue"]


def test_the_overview_shows_the_overdue_report_and_the_tranche_it_blocks(session, unp):
    application, first, second = grant_with_schedule(session, unp)
    report = add_interim_report(session, application, date(2024, 6, 30))
    day = date(2024, 8, 20)
    issue_reminders(session, day)
    data = overview(session, None, day)
    assert [(r.id, a.id) for r, a in data.overdue] == [(report.id, application.id)]
    blocked = {v.tranche.number: v.blocked_by for v in data.tranches}
    assert blocked == {1: "the interim report due 2024-06-30 is overdue",
                       2: "the interim report due 2024-06-30 is overdue"}
    assert overview(session, {-1}, day).overdue == []  # another programme's manager sees nothing

    receive_report(session, application, report, day, today=day)
    assert overdue_reports(session, None, day) == []
    assert all(v.blocked_by is None for v in open_tranches(session, None, day))


def test_closed_or_received_items_are_not_reminded(session, unp):
    application, first, second = grant_with_schedule(session, unp)
    report = request_final_report(session, application, date(2024, 12, 31), today=date(2024, 12, 1))
    receive_report(session, application, report, date(2024, 12, 2), today=date(2024, 12, 2))
    counts = issue_reminders(session, date(2025, 1, 5))
    assert counts == {"tranche_reminders": 0, "report_reminders": 0, "overdue_reports": 0}


def test_dismissed_reminders_leave_the_overview(session, unp):
    application, first, second = grant_with_schedule(session, unp)
    issue_reminders(session, date(2024, 4, 1))
    reminder = session.scalar(select(Reminder))
    dismiss_reminder(session, reminder)
    assert overview(session, None, date(2024, 4, 1)).reminders == []


def test_the_reminders_job_is_registered_with_the_scheduler(session, unp):
    spec = get_job("grants_reminders")
    assert spec.trigger == "cron" and spec.misfire_grace_time >= 3600
    grant_with_schedule(session, unp)
    counts = spec.func(session)
    assert set(counts) == {"tranche_reminders", "report_reminders", "overdue_reports"}
    assert get_job("grants_match_ledger").func(session) == {"looked_at": 0}
