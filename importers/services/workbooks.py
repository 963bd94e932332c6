"""Workbooks the importer hands out: a template per kind, and the rows that need fixing.

User text is always written with write_string, so a description such as
``=HYPERLINK(…)`` stays text and never becomes a live formula.
"""
from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from importers.kinds import get_kind
from importers.models import ImportBatch, ImportRow
from importers.services.queries import shown_reason

ERROR_COLUMN = "error"


def _write_cell(sheet, row: int, col: int, value, date_format) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, (int, float, Decimal)):
        sheet.write_number(row, col, float(value) if isinstance(value, Decimal) else value)
    elif isinstance(value, (date, datetime)):
        stamp = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
        sheet.write_datetime(row, col, stamp, date_format)
    else:
        sheet.write_string(row, col, str(value))


def template_workbook(kind_name: str) -> bytes:
    """Headers, one example row and a notes sheet explaining every column."""
    kind = get_kind(kind_name)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet = book.add_worksheet(kind.name)
    for col, column in enumerate(kind.columns):
        sheet.write_string(0, col, column.field, bold)
        _write_cell(sheet, 1, col, column.example, date_format)
        sheet.set_column(col, col, max(14, len(column.field) + 2))
    sheet.freeze_panes(1, 0)
    _notes_sheet(book, kind, bold)
    book.close()
    return buffer.getvalue()


def _notes_sheet(book, kind, bold) -> None:
    """The notes in the reader's language (the template is made for the person downloading it)."""
    notes = book.add_worksheet(gettext("Notes"))
    notes.set_column(0, 0, 28)
    notes.set_column(1, 1, 12)
    notes.set_column(2, 2, 40)
    notes.set_column(3, 3, 80)
    notes.write_string(0, 0, gettext(kind.title), bold)
    notes.write_string(1, 0, gettext(kind.description))
    lines = [
        gettext("Headers may be in any case, with spaces or accents; the Dutch labels shown are accepted too."),
        gettext("Up to 10 title or blank rows may stand above the header row. Empty rows are skipped."),
        gettext("Dates: real Excel dates, 31/12/2024, 31.12.2024 or 2024-12-31 (always day first)."),
        gettext("Amounts: numbers, or 1.234,56 / 1,234.56, with or without € and minus or (parentheses)."),
        gettext("Anything ambiguous (1.000, 03/04/24) is an error on that row, never a guess."),
    ]
    for offset, line in enumerate(lines):
        notes.write_string(2 + offset, 0, line)
    top = 3 + len(lines)
    titles = (gettext("column"), gettext("required"), gettext("also accepted"), gettext("what to write"))
    for col, title in enumerate(titles):
        notes.write_string(top, col, title, bold)
    for offset, column in enumerate(kind.columns, start=1):
        notes.write_string(top + offset, 0, column.field)
        notes.write_string(top + offset, 1, gettext("yes") if column.required else "")
        notes.write_string(top + offset, 2, ", ".join(column.aliases))
        notes.write_string(top + offset, 3, gettext(column.help) if column.help else "")


def error_rows_workbook(session: Session, batch: ImportBatch) -> bytes:
    """The rows that had errors, as read, with an added "error" column: fix and upload again."""
    headers = list(batch.headers or [])
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    bold = book.add_format({"bold": True})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet = book.add_worksheet(batch.kind)
    for col, header in enumerate(headers + [ERROR_COLUMN]):
        sheet.write_string(0, col, header or "", bold)
    stmt = (select(ImportRow.raw, ImportRow.reason, ImportRow.column, ImportRow.findings)
            .where(ImportRow.batch_id == batch.id, ImportRow.outcome == "error").order_by(ImportRow.row_number))
    for out_row, (raw, reason, column, findings) in enumerate(session.execute(stmt), start=1):
        for col, value in enumerate((raw or [])[:len(headers)]):
            _write_cell(sheet, out_row, col, _as_date(value), date_format)
        reason = shown_reason(reason, findings, gettext)
        text = reason if findings and len(findings) > 1 else (f"{column}: {reason}" if column else reason)
        sheet.write_string(out_row, len(headers), text or "")
    book.close()
    return buffer.getvalue()


def _as_date(value):
    """Raw dates were kept as ISO text; give them back as real dates."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value
