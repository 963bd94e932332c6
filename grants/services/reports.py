"""Reports a grantee owes: interim reports, and the final report before closing."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from grants import workflow
from grants.models import Report
from grants.models.enums import ReportKind
from grants.services.common import (clean_text, publish_step, require_date, today as _today,
                                     user_id)
from grants.services.errors import GrantsError, WrongStatus
from grants.services.guards import reports_of


def add_interim_report(session: Session, application, due_date: date, user=None) -> Report:
    """Ask for an interim report by a date (``ReportRequested``)."""
    workflow.ensure(application, "add_report", user)
    report = Report(application_id=application.id, kind=ReportKind.INTERIM.value,
                    due_date=require_date(due_date, "due_date"))
    session.add(report)
    session.flush()
    publish_step(session, "ReportRequested", application, report_id=report.id, kind=report.kind,
                 due_date=report.due_date)
    return report


def default_final_due(application, today: date) -> date:
    end = application.end_date or today
    return end + timedelta(days=application.scheme.final_report_days)


def request_final_report(session: Session, application, due_date: date | None = None, user=None,
                         today: date | None = None) -> Report:
    """Committed → final report due (``FinalReportRequested``); by default N days after the end date."""
    workflow.ensure(application, "request_final_report", user)
    due = require_date(due_date or default_final_due(application, today or _today()), "due_date")
    report = Report(application_id=application.id, kind=ReportKind.FINAL.value, due_date=due)
    session.add(report)
    before, _ = workflow.move(application, "request_final_report")
    session.flush()
    publish_step(session, "FinalReportRequested", application, before=before, report_id=report.id, due_date=due)
    return report


def receive_report(session: Session, application, report: Report, received_on: date | None = None,
                   notes: str | None = None, user=None, today: date | None = None) -> Report:
    """Note a report as received (``ReportReceived``); an overdue block lifts with it."""
    workflow.ensure(application, "receive_report", user)
    if report.application_id != application.id:
        raise GrantsError("this report belongs to another application", "report_id")
    if report.received_on is not None:
        raise WrongStatus(f"the {report.kind} report was received on {report.received_on.isoformat()}")
    day = today or _today()
    received = require_date(received_on or day, "received_on")
    if received > day:
        raise GrantsError("a report cannot be received in the future", "received_on")
    report.received_on = received
    report.received_by = user_id(user)
    report.notes = clean_text(notes, "notes", 10000)
    session.flush()
    publish_step(session, "ReportReceived", application, report_id=report.id, kind=report.kind,
                 due_date=report.due_date, received_on=received,
                 late_days=max(0, (received - report.due_date).days))
    return report


def final_report(session: Session, application) -> Report | None:
    return next((r for r in reports_of(session, application) if r.kind == ReportKind.FINAL), None)
