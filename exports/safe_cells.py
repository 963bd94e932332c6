"""Cell values for spreadsheets we write: text stays text, numbers stay numbers.

openpyxl and XlsxWriter both turn a string that starts with ``=`` into a live
formula unless told otherwise, and a spreadsheet program re-evaluates a text cell
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a line break as soon as someone edits it. A project
title such as ``=HYPERLINK("http://x","y")`` or a phone number ``+32 2 553 00 00`` must
therefore be written as an explicit string, and such risky text also carries the
"quote prefix" cell flag, so that Excel and LibreOffice keep it as text when the cell
is edited. Characters that XML 1.0 forbids are dropped (they would corrupt the file)
and text is cut at Excel's cell limit of 32,767 characters.

Numbers are written as numbers (a negative amount is not text), dates as real dates.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

#: first characters that make a spreadsheet program read text as a formula (OWASP CSV injection
#: list; a carriage return is stored as a line feed, see ``clean_text``)
RISKY_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
RISKY_FIRST_CHARACTERS = "".join(RISKY_PREFIXES)
EXCEL_MAX_CHARS = 32_767
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

TEXT, NUMBER, DATE, BLANK = "text", "number", "date", "blank"


def clean_text(value: str) -> str:
    """Text without XML-illegal characters, line ends as line feeds, at most Excel's cell limit.

    (A bare carriage return would be stored as ``_x000D_``, which not every reader decodes.)
    """
    if value.isprintable():  # the common case: nothing to clean
        return value[:EXCEL_MAX_CHARS]
    text = _XML_ILLEGAL.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
    return text[:EXCEL_MAX_CHARS]


def is_risky(text: str) -> bool:
    """Would a spreadsheet program treat this text as a formula once the cell is edited?"""
    return text.startswith(RISKY_PREFIXES)


def classify(value) -> tuple[str, object]:
    """(kind, value to write): one of TEXT, NUMBER, DATE, BLANK.

    Decimals become floats only here, at the file boundary (xlsx stores doubles);
    booleans are written as the words a reader sees, never as 1/0 surprises.
    """
    if value is None or value == "":
        return BLANK, None
    if isinstance(value, bool):
        return TEXT, "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return NUMBER, value
    if isinstance(value, Decimal):
        return NUMBER, float(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.replace(tzinfo=None)  # callers pass UTC; xlsx has no time zones
        return DATE, value
    if isinstance(value, date):
        return DATE, value
    if isinstance(value, Enum):
        value = value.value
    return TEXT, clean_text(str(value))


def write_xlsxwriter(worksheet, row: int, col: int, value, formats) -> None:
    """Write one cell with XlsxWriter's explicit methods (never ``worksheet.write``).

    ``formats`` gives the cell formats: ``formats.text``, ``formats.risky_text`` (quote
    prefix), ``formats.number`` and ``formats.date``; a column may pass its own.
    """
    kind, clean = classify(value)
    if kind == TEXT:
        fmt = formats.risky_text if is_risky(clean) else formats.text
        worksheet.write_string(row, col, clean, fmt)
    elif kind == NUMBER:
        worksheet.write_number(row, col, clean, formats.number)
    elif kind == DATE:
        worksheet.write_datetime(row, col, clean, formats.date)
    elif formats.blank is not None:
        worksheet.write_blank(row, col, None, formats.blank)


def openpyxl_cell(worksheet, value, number_format: str | None = None):
    """A write-only openpyxl cell holding ``value`` safely (text forced to a string)."""
    from openpyxl.cell import WriteOnlyCell

    kind, clean = classify(value)
    cell = WriteOnlyCell(worksheet, value=clean)
    if kind == TEXT:
        cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
        if is_risky(clean):
            cell.quotePrefix = True
    elif kind == DATE:
        cell.number_format = number_format or "yyyy-mm-dd"
    elif kind == NUMBER and number_format:
        cell.number_format = number_format
    return cell
