"""The xlsx writer every export uses: XlsxWriter in ``constant_memory`` mode.

Chosen by benchmark (benchmarks/bench_exports.py measures it against openpyxl's
write-only mode on the same rows; see docs/exports.md for the figures). Rows are
streamed to a temporary file one at a time, so memory stays flat whatever the
number of rows. Every cell goes through :mod:`exports.safe_cells`: text is
written as a string (never a formula), numbers as numbers, dates as dates.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterable, Sequence

import xlsxwriter

from exports.safe_cells import RISKY_FIRST_CHARACTERS, clean_text, write_xlsxwriter

MONEY, INT, RATE, DATE, DATETIME, TEXT, PERCENT = "money", "int", "rate", "date", "datetime", "text", "percent"
NUMBER_FORMATS = {MONEY: "#,##0.00", INT: None, RATE: "0.000000", PERCENT: "0.0%", DATE: "yyyy-mm-dd",
                  DATETIME: "yyyy-mm-dd hh:mm:ss"}
#: how ``Sheet.append`` treats a column
_TEXT, _NUMBER, _DATE = "text", "number", "date"
ALL_KINDS = (TEXT, MONEY, INT, RATE, PERCENT, DATE, DATETIME)
NUMERIC_KINDS = (MONEY, INT, RATE, PERCENT)
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    # defence in depth: we only call write_string/write_number, but never let a
    # generic write() turn text into formulas, numbers or links
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT
    width: float | None = None


@dataclass
class CellFormats:
    text: object
    risky_text: object
    number: object
    date: object
    blank: object = None


class Workbook:
    """A streamed workbook: ``sheet()`` adds sheets in the order they appear."""

    def __init__(self, target: str, properties: dict | None = None):
        self.book = xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)
        if properties:
            self.book.set_properties(properties)
        risky = self.book.add_format({"quote_prefix": True})
        self.header_format = self.book.add_format({"bold": True, "bottom": 1})
        self.bold = self.book.add_format({"bold": True})
        self.formats = {kind: self._formats(kind, risky) for kind in ALL_KINDS}
        self.bold_formats = {kind: self._formats(kind, risky, bold=True) for kind in ALL_KINDS}

    def _formats(self, kind: str, risky, bold: bool = False) -> CellFormats:
        extra = {"bold": True} if bold else {}
        date = self.book.add_format({"num_format": NUMBER_FORMATS[DATETIME if kind == DATETIME else DATE], **extra})
        number_format = NUMBER_FORMATS.get(kind) if kind in NUMERIC_KINDS else None
        number = self.book.add_format({"num_format": number_format, **extra}) if number_format else None
        if bold:
            return CellFormats(text=self.bold, risky_text=self.book.add_format({"quote_prefix": True, **extra}),
                               number=number or self.bold, date=date)
        return CellFormats(text=None, risky_text=risky, number=number, date=date)

    def sheet(self, name: str, columns: Sequence[Column], header: bool = True) -> "Sheet":
        return Sheet(self, self.book.add_worksheet(name), columns, header)

    def close(self) -> None:
        self.book.close()

    def abort(self) -> None:
        """Give up (the export failed): nothing is written to the target."""


class Sheet:
    """Rows appended in order; each column writes its values with its own format.

    ``append`` is the export's inner loop (millions of cells): it skips blanks and
    writes plain strings, numbers and dates of the right column kind itself, and hands
    anything else to :func:`exports.safe_cells.write_xlsxwriter`.
    """

    def __init__(self, workbook: Workbook, worksheet, columns: Sequence[Column], header: bool):
        self.workbook = workbook
        self.worksheet = worksheet
        self.columns = list(columns)
        self.row = 0
        self._plan = tuple(self._column_plan(index, column) for index, column in enumerate(self.columns))
        for index, column in enumerate(self.columns):
            if column.width:
                worksheet.set_column(index, index, column.width)
        if header and self.columns:
            self.write_header([c.header for c in self.columns])
            worksheet.freeze_panes(1, 0)

    def _column_plan(self, index: int, column: Column) -> tuple:
        """(column, kind group, format, risky-text format, formats) for ``append``."""
        formats = self.workbook.formats[column.kind]
        if column.kind == TEXT:
            return index, _TEXT, formats.text, formats.risky_text, formats
        if column.kind in (DATE, DATETIME):
            return index, _DATE, formats.date, None, formats
        return index, _NUMBER, formats.number, None, formats

    def write_header(self, headers: Iterable[str]) -> None:
        for col, text in enumerate(headers):
            self.worksheet.write_string(self.row, col, text, self.workbook.header_format)
        self.row += 1

    def append(self, values: Sequence) -> None:
        row, worksheet = self.row, self.worksheet
        for (col, group, fmt, risky, formats), value in zip(self._plan, values):
            if value is None:
                continue
            kind = type(value)
            if group is _TEXT and kind is str:
                text = clean_text(value)
                if text:
                    worksheet.write_string(row, col, text, risky if text[0] in RISKY_FIRST_CHARACTERS else fmt)
            elif group is _NUMBER and (kind is int or kind is float):
                worksheet.write_number(row, col, value, fmt)
            elif group is _NUMBER and kind is Decimal:
                worksheet.write_number(row, col, float(value), fmt)
            elif group is _DATE and kind is date:
                worksheet.write_datetime(row, col, value, fmt)
            else:
                write_xlsxwriter(worksheet, row, col, value, formats)
        self.row += 1

    def append_label(self, label: str, value=None, kind: str = MONEY) -> None:
        """A two-cell line (label, figure) for summary blocks; the label in bold."""
        self.worksheet.write_string(self.row, 0, label, self.workbook.bold)
        if value is not None:
            write_xlsxwriter(self.worksheet, self.row, 1, value, self.workbook.formats[kind])
        self.row += 1

    def append_typed(self, values: Sequence, kinds: Sequence[str], header: bool = False) -> None:
        """A row whose cells each have their own kind (summary blocks); ``header`` in bold."""
        formats = self.workbook.bold_formats if header else self.workbook.formats
        for col, (value, kind) in enumerate(zip(values, kinds)):
            write_xlsxwriter(self.worksheet, self.row, col, value, formats[kind])
        self.row += 1

    def set_column(self, first: int, last: int, width: float) -> None:
        self.worksheet.set_column(first, last, width)

    def skip(self, rows: int = 1) -> None:
        self.row += rows

    def finish_table(self) -> None:
        """Autofilter over the header and the rows written (call after the last row)."""
        if self.columns and self.row > 1:
            self.worksheet.autofilter(0, 0, self.row - 1, len(self.columns) - 1)
