"""The applications of a call as an xlsx workbook.

Every text a user typed is written as an explicit string cell, so a title such as
``=HYPERLINK(…)`` or ``+32 …`` stays text in Excel and LibreOffice. Personal
details of interns are left out unless the caller asks for them explicitly.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from grants.models import Application, Assessment
from programmes.models import Organisation

COLUMNS = ("Reference", "Call", "Scheme", "Status", "Title", "Applicant", "E-mail", "Phone", "Host organisation",
           "Destination", "Start", "End", "Asked", "Approved", "Still committed", "Paid", "Score", "Recommendation",
           "Submitted", "Decided")
PERSONAL_COLUMNS = {"Applicant", "E-mail", "Phone", "Host organisation", "Destination", "Start", "End", "Title"}


def _cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    elif isinstance(value, datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, Decimal):
        cell.number_format = "#,##0.00"
    return cell


def _latest_assessments(session: Session, ids: list[int]) -> dict[int, Assessment]:
    latest: dict[int, Assessment] = {}
    for assessment in session.scalars(select(Assessment).where(Assessment.application_id.in_(ids))
                                      .order_by(Assessment.id)):
        latest[assessment.application_id] = assessment
    return latest


def _row(application, organisation_names, assessment, include_personal: bool) -> dict:
    person = application.person
    hide = application.is_personal and not include_personal
    applicant = person.full_name if person is not None else organisation_names.get(application.organisation_id)
    row = {
        "Reference": application.reference, "Call": application.call.code if application.call else None,
        "Scheme": application.scheme.name, "Status": application.status, "Title": application.title,
        "Applicant": applicant, "E-mail": person.email if person else None, "Phone": person.phone if person else None,
        "Host organisation": application.host_organisation, "Destination": application.destination,
        "Start": application.start_date, "End": application.end_date, "Asked": application.amount_requested,
        "Approved": application.approved_amount,
        "Still committed": application.committed_amount if application.approved_amount is not None else None,
        "Paid": application.paid_amount, "Score": assessment.total_score if assessment else None,
        "Recommendation": assessment.recommendation if assessment else None,
        "Submitted": application.submitted_at, "Decided": application.decided_at,
    }
    if hide:
        row.update({column: None for column in PERSONAL_COLUMNS})
        row["Title"] = f"{application.scheme.name}: {application.reference}"
    return row


def export_applications(session: Session, call, target, include_personal: bool = False) -> int:
    """Write the call's applications to ``target`` (a path or a binary file); returns the row count."""
    applications = session.scalars(select(Application).where(Application.call_id == call.id)
                                   .options(selectinload(Application.person)).order_by(Application.reference)).all()
    names = dict(session.execute(select(Organisation.id, Organisation.name).where(
        Organisation.id.in_({a.organisation_id for a in applications if a.organisation_id}))).all())
    latest = _latest_assessments(session, [a.id for a in applications])
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Applications")
    header = []
    for title in COLUMNS:
        cell = _cell(sheet, title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for application in applications:
        row = _row(application, names, latest.get(application.id), include_personal)
        sheet.append([_cell(sheet, row[column]) for column in COLUMNS])
    info = workbook.create_sheet("Call")
    for label, value in (("Call", call.code), ("Title", call.title), ("Year", call.year),
                         ("Budget ceiling", call.budget_ceiling), ("Personal data", "included" if include_personal
                                                                   else "left out")):
        info.append([_cell(info, label), _cell(info, value)])
    workbook.save(target)
    return len(applications)
