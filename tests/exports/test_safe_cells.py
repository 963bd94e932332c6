"""Text never becomes a formula, numbers stay numbers, dates stay dates: with both writers."""
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl import load_workbook

from exports.safe_cells import EXCEL_MAX_CHARS, classify, is_risky, openpyxl_cell
from exports.xlsx import DATE, MONEY, TEXT, Column, Workbook

HOSTILE = ['=HYPERLINK("http://x","y")', "+32 2 553 00 00", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1",
           "=cmd|' /C calc'!A0"]


def _reread(path):
    book = load_workbook(path)
    sheet = book.worksheets[0]
    rows = [[cell for cell in row] for row in sheet.iter_rows()]
    return book, rows


def stored(text: str) -> str:
    """What a cell keeps: line ends become line feeds."""
    return text.replace("\r", "\n")


@pytest.mark.parametrize("text", HOSTILE)
def test_risky_text_is_recognised_and_stays_text(text):
    kind, value = classify(text)
    assert kind == "text" and value == stored(text)
    assert is_risky(value)


def test_plain_text_numbers_and_dates_are_told_apart():
    assert classify("Malawi") == ("text", "Malawi")
    assert classify(Decimal("-1250.50")) == ("number", -1250.5)
    assert classify(42) == ("number", 42)
    assert classify(date(2024, 3, 1)) == ("date", date(2024, 3, 1))
    assert classify(None) == ("blank", None)
    assert classify("") == ("blank", None)
    assert not is_risky("Malawi") and not is_risky("2024")


def test_xml_illegal_characters_are_dropped_and_long_text_is_cut():
    assert classify("a\x00b\x07c\x1fd")[1] == "abcd"
    assert len(classify("x" * (EXCEL_MAX_CHARS + 10))[1]) == EXCEL_MAX_CHARS


def test_xlsxwriter_keeps_hostile_text_as_text_and_numbers_as_numbers(tmp_path):
    path = str(tmp_path / "cells.xlsx")
    book = Workbook(path)
    sheet = book.sheet("S", [Column("Text", TEXT), Column("Amount", MONEY), Column("Date", DATE)])
    for text in HOSTILE:
        sheet.append([text, Decimal("-1234.56"), date(2024, 2, 29)])
    sheet.append(["a\x00b", "not a number", None])
    book.close()

    reread, rows = _reread(path)
    header, body = rows[0], rows[1:]
    assert [c.value for c in header] == ["Text", "Amount", "Date"]
    for text, (cell_text, cell_amount, cell_date) in zip(HOSTILE, body):
        assert cell_text.data_type == "s" and cell_text.value == stored(text)
        assert cell_text.quotePrefix, "risky text carries the quote prefix so editing keeps it text"
        assert cell_amount.data_type == "n" and cell_amount.value == -1234.56
        assert cell_date.is_date and cell_date.value == datetime(2024, 2, 29)
    last = body[-1]
    assert last[0].value == "ab"
    assert last[1].data_type == "s" and last[1].value == "not a number"
    assert last[2].value is None
    reread.close()


def test_openpyxl_write_only_cells_are_safe_too(tmp_path):
    path = tmp_path / "openpyxl.xlsx"
    book = OpenpyxlWorkbook(write_only=True)
    sheet = book.create_sheet("S")
    for text in HOSTILE:
        sheet.append([openpyxl_cell(sheet, text), openpyxl_cell(sheet, Decimal("-5.10"), "#,##0.00"),
                      openpyxl_cell(sheet, date(2023, 1, 2))])
    book.save(path)

    reread, rows = _reread(path)
    for text, (cell_text, cell_amount, cell_date) in zip(HOSTILE, rows):
        assert cell_text.data_type == "s" and cell_text.value == stored(text) and cell_text.quotePrefix
        assert cell_amount.data_type == "n" and cell_amount.value == -5.1
        assert cell_date.is_date
    reread.close()
