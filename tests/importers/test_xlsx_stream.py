"""The streaming xlsx reader gives exactly the rows python-calamine gives (row numbers, widths,
values and their types), and is the one a large sheet is read with."""
from __future__ import annotations

import dataclasses
import math
import shutil
import subprocess
import sys
import tracemalloc
import zipfile
from datetime import date, datetime, time, timedelta

import pytest
import xlsxwriter
from flask_babel import gettext
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from app.messages import render
from app.web import speaking
from benchmarks.bench_imports import spending_workbook as benchmark_workbook
from importers.errors import ImportRefused
from importers.kinds import KINDS
from importers.limits import Limits
from importers.readers import open_rows
from importers.readers.calamine_reader import CalamineRows
from importers.readers.xlsx_stream import StreamRows, stream_rows
from importers.safety import Inspected, inspect_upload
from importers.services.workbooks import template_workbook
from tests.builders import raw_xlsx
from tests.builders.importers import (
    DUTCH_SPENDING_HEADERS, cached_formula_workbook, corrupt_workbook, rezip, spending_workbook,
    tradeline_ledger_rows, workbook,
)
from tests.builders.raw_xlsx import LIBREOFFICE_ROW, number_styles, raw_workbook

DEFAULTS = Limits()
CALAMINE_ONLY = Limits(xlsx_stream_rows=sys.maxsize)
SHEET = Inspected("xlsx", sheet_member="xl/worksheets/sheet1.xml")


def _typed(cell):
    return type(cell).__name__, "nan" if isinstance(cell, float) and math.isnan(cell) else cell


def _read(path, reader: str):
    source = open_rows(str(path), inspect_upload(str(path), path.name, DEFAULTS),
                       CALAMINE_ONLY if reader == "calamine" else DEFAULTS, reader)
    assert isinstance(source, CalamineRows if reader == "calamine" else StreamRows)
    return source.height, [(number, [_typed(c) for c in cells]) for number, cells in source.rows()]


def assert_same_rows(path):
    """Both readers give the same height and rows, cell for cell (value and type)."""
    calamine = _read(path, "calamine")
    assert _read(path, "stream") == calamine
    return calamine


# -- workbooks the test suite imports, and the benchmark's ------------------------------------------------

def _ledger_with_titles(path):
    rows = tradeline_ledger_rows()
    rows.insert(1, [None] * 8)
    return spending_workbook(path, rows, headers=DUTCH_SPENDING_HEADERS, title_rows=[["Boekingen 2019"], []],
                             notes=True)


def _openpyxl_formula(path):
    return workbook(path, ["document_number", "posting_date", "activity_code", "amount", "currency"],
                    [["B-2019-0101", date(2019, 5, 2), "MWI-2019-TLC", "=1000*2", "EUR"]])


@pytest.mark.parametrize("make", [
    lambda p: spending_workbook(p),
    _ledger_with_titles,
    lambda p: workbook(p, ["programme_code", "year", "planned_amount"], [["MWI-CSP3", 2020, 5]]),
    _openpyxl_formula,
    cached_formula_workbook,
    lambda p: benchmark_workbook(p, 500),
    lambda p: benchmark_workbook(p, 50, changed_every=10),
], ids=["openpyxl ledger", "titles, a blank row, notes sheet", "budgets", "formula without a cached value",
        "cached formula", "benchmark ledger", "benchmark newer extract"])
def test_the_workbooks_the_imports_are_tested_with_read_the_same(tmp_path, make):
    assert_same_rows(make(tmp_path / "ledger.xlsx"))


@pytest.mark.parametrize("kind", sorted(name for name, kind in KINDS.items() if not kind.reads_own_format))
def test_every_template_reads_the_same(tmp_path, kind):
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(template_workbook(kind))
    assert_same_rows(path)


# -- every kind of cell, as xlsxwriter and openpyxl write it ---------------------------------------------

@pytest.mark.parametrize("date1904", [False, True])
def test_an_xlsxwriter_workbook_of_every_kind_of_cell_reads_the_same(tmp_path, date1904):
    path = tmp_path / "cells.xlsx"
    book = xlsxwriter.Workbook(str(path), {"date_1904": date1904})
    sheet = book.add_worksheet("Boekingen")
    formats = {code: book.add_format({"num_format": code}) for code in (
        "dd/mm/yyyy", "yyyy-mm-dd hh:mm:ss.000", "hh:mm", "[h]:mm:ss", "#,##0.00", "@", 14, 22, 46)}
    sheet.write_row(2, 2, DUTCH_SPENDING_HEADERS)  # the used area starts at C3
    values = [
        ("B-2024-0001", date(2024, 3, 1), "MWI-2019-TLC", 1234.5, "EUR"),
        ("  spaces kept  ", datetime(2024, 3, 1, 13, 45, 30, 250000), "line\nbreak\ttab", -0.1 - 0.2, "é😀"),
        ("_x0041_ literally", time(6, 30), "\x01 control", 2 ** 53, ""),
        ("B-2024-0004", timedelta(hours=36, minutes=5), "1.5", 1e-9, "ZAR"),
    ]
    for i, (text, when, other, number, currency) in enumerate(values):
        row = 4 + 2 * i  # a gap under every row
        sheet.write_string(row, 2, text)
        sheet.write_datetime(row, 3, when, formats[["dd/mm/yyyy", "yyyy-mm-dd hh:mm:ss.000", "hh:mm",
                                                    "[h]:mm:ss"][i]])
        sheet.write_string(row, 4, other)
        sheet.write_number(row, 5, number, formats["#,##0.00"])
        sheet.write_string(row, 6, currency, formats["@"])
        sheet.write_boolean(row, 7, i % 2 == 0)
        sheet.write_datetime(row, 8, datetime(2019, 5, 2 + i), formats[[14, 22, 46, 14][i]])
    sheet.write_rich_string(13, 2, "vet ", book.add_format({"bold": True}), "en", " schuin")
    sheet.write_formula(13, 3, "=1/0", None, "#DIV/0!")
    sheet.write_formula(13, 4, '="te"&"kst"', None, "tekst")
    sheet.write_formula(13, 5, "=TRUE()", None, True)
    sheet.write_formula(13, 6, "=NA()", None, "#N/A")
    sheet.write_blank(20, 12, None, formats["dd/mm/yyyy"])  # a styled empty cell: not part of the used area
    book.close()
    height, rows = assert_same_rows(path)
    assert (height, rows[2][1][0]) == (14, ("str", "Boekstuknummer")), "from the sheet's first row and used column"


@pytest.mark.parametrize("epoch_1904", [False, True])
def test_an_openpyxl_workbook_of_every_kind_of_cell_reads_the_same(tmp_path, epoch_1904):
    book = Workbook()
    if epoch_1904:
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.append(DUTCH_SPENDING_HEADERS)
    sheet.append(["B-1", date(2024, 2, 29), "MWI-2019-TLC", 10 ** 15, "EUR", True, None, "#N/A"])
    sheet.append(["B-2", datetime(2024, 2, 29, 23, 59, 59), time(12, 0), 0.1, None, False, "", "  kept  "])
    sheet.append([CellRichText([TextBlock(InlineFont(b=True), "vet"), " normaal"]), 45000.25, timedelta(days=2)])
    sheet["B4"].number_format = "dd/mm/yyyy hh:mm"
    sheet["C4"].number_format = "[h]:mm:ss"
    sheet["K9"].font = Font(bold=True)  # styled, empty
    sheet["D9"] = "=SUM(D2:D3)"  # no cached value: marked
    path = tmp_path / "cells.xlsx"
    book.save(path)
    assert_same_rows(path)


# -- what only hand-written XML holds ---------------------------------------------------------------------

SHARED = ('<si><t>plain</t></si>'
          '<si><r><t>rich </t></r><r><rPr><b/></rPr><t xml:space="preserve"> bold </t></r></si>'
          '<si><t xml:space="preserve">  kept  </t></si><si><t>  trimmed \n</t></si>'
          '<si><r><t>課きく　毛こ</t></r><rPh sb="0" eb="1"><r><t>カ</t></r></rPh><phoneticPr fontId="1"/></si>'
          '<si><t>a_x000D_b_x0041__x00ZZ_</t></si><si/><si><t/></si><si><t>&lt;&amp;&#233;&#x1F600;</t></si>'
          '<si><t>x</t><r><t>y</t></r></si>')
SHARED_ROW = "".join(f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(10))
CELLS = ('<c r="A2" t="inlineStr"><is><r><t>in</t></r><r><t xml:space="preserve"> line </t></r></is></c>'
         '<c r="B2" t="str"><f>A1</f><v>  formula text_x0041_  </v></c><c r="C2" t="inlineStr"><v>ignored</v></c>'
         '<c r="D2"><is><t>without a type</t></is></c><c r="E2" t="e"><v>#N/A</v></c><c r="F2" t="b"><v>1</v></c>'
         '<c r="G2" t="b"><v> false </v></c><c r="H2"><v>not a number</v></c><c r="I2" t="str"><v/></c>'
         '<c r="J2" t="d"><v>2024-01-02T03:04:05.123456789</v></c><c r="K2" t="d"><v>2024-01-02</v></c>'
         '<c r="L2" t="d"><v>03:04</v></c><c r="M2" t="d"><v>garbage</v></c><c r="N2" t="n"><v></v></c>'
         '<c r="O2"><v>1e3</v></c><c r="P2"><v> 1</v></c><c r="Q2"><v>1_0</v></c><c r="R2"><v>nan</v></c>')
FORMATS = ["[h]:mm:ss", "[mm]:ss", "mm:ss", "#,##0*y", "*-yyyy-mm-dd", "DD/MM/YY", "H:MM:SS;@", "m\"M\"d\"D\";@",
           "\"Y: \"0.00\"m\"", "[$-404]e\"\\xfc\"m", "0_ ;[Red]\\-0\\ ", "\\Y000000", "#,##0.0####\" YMD\"",
           "[>=100][Magenta][s].00", "[>=100][Magenta].00", "ha/p\\\\m", "General", "0.00E+00", "AM/PM",
           "[Red]0", "]h", "@", "[$€-813] #,##0.00", "[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy", "a/p", "[H]:MM"]
SERIALS = ["0", "0.5", "1", "59", "60", "61", "43663", "43663.5", "43663.999999", "43663.000005787", "-1", "-0.5",
           "2958465", "2958466", "2958465.9999999", "45000.00000000579", "0.9999999999", "1.5"]


def _format_rows() -> str:
    return "".join(f'<row r="{i + 1}">' + "".join(f'<c r="{get_column_letter(j + 1)}{i + 1}" s="{j}"><v>{value}</v></c>'
                                                   for j in range(len(FORMATS) + 4)) + "</row>"
                   for i, value in enumerate(SERIALS))


RAW = {
    "shared strings: rich, phonetic, spaces, escapes, entities": dict(
        sheet_data=f'<row r="1">{SHARED_ROW}</row><row r="2">{CELLS}</row>', shared_strings=SHARED),
    "rows and cells without references": dict(
        sheet_data='<row><c><v>1</v></c><c t="inlineStr"><is><t>x</t></is></c></row><row/><row><c/><c><v>2</v>'
                   '</c><c r="E3"><v>3</v></c><c><v>4</v></c></row>'),
    "gaps, empty row elements, the used area from C3": dict(
        sheet_data='<row r="1"><c r="A1" s="1"/></row><row r="3"><c r="C3"><v>1</v></c><c r="E3" s="0"/></row>'
                   '<row r="5"/><row r="6"><c r="D6" t="s"><v>0</v></c></row><row r="9"><c r="H9"/></row>',
        shared_strings="<si><t>zes</t></si>", dimension="A1:H9"),
    "formulas without a cached value, beside and below the used area": dict(
        sheet_data='<row r="1"><c r="A1"><f>1+1</f></c><c r="B1"><v>3</v></c><c r="C1" t="str"><f>""</f><v></v>'
                   '</c></row><row r="2"><c r="B2"><v>1</v><f>1</f></c><c r="D2"><f>1</f><v></v></c>'
                   '<c r="C2" t="inlineStr"><is><t>x</t></is><f>1</f></c></row><row r="3"><c r="B3"><v>2</v>'
                   '</c></row><row r="4"><c r="A4"><f>1</f></c></row>'),
    "number formats, built-in and custom": dict(sheet_data=_format_rows(),
                                                 styles=number_styles(FORMATS, (14, 22, 46, 47))),
    "the 1904 date system": dict(sheet_data=_format_rows(), styles=number_styles(FORMATS, (14, 22, 46, 47)),
                                 date1904=True),
    "styles out of range or unreadable": dict(
        sheet_data='<row r="1"><c r="A1" s="9"><v>45000</v></c><c r="B1" s="x"><v>45000</v></c>'
                   '<c r="C1" s="1"><v>45000</v></c></row>', styles='<cellXfs><xf numFmtId="14"/><xf/></cellXfs>'),
    "strict OOXML": dict(sheet_data=f'<row r="1">{SHARED_ROW}</row><row r="2">{CELLS}</row>',
                         shared_strings=SHARED, namespace=raw_xlsx.STRICT),
    "a namespace prefix": dict(
        sheet_data='<x:row r="1"><x:c r="B1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="inlineStr"><x:is><x:t>i'
                   '</x:t></x:is></x:c></x:row>', shared_strings="<x:si><x:t>s</x:t></x:si>", prefix="x:"),
    "LibreOffice's way": dict(
        sheet_data=f'<row r="1" {LIBREOFFICE_ROW}><c r="A1" s="0" t="s"><v>0</v></c><c r="B1" s="1" t="n"><v>43466'
                   f'</v></c><c r="C1" s="0" t="b"><v>1</v></c><c r="D1" s="0" t="e"><v>#VALUE!</v></c></row>'
                   f'<row r="2" {LIBREOFFICE_ROW}><c r="A2" s="0" t="str"><f aca="false">A1</f><v>Boekstuk</v></c>'
                   f'<c r="B2" s="0" t="n"><f aca="false">B1+1</f><v>43467</v></c></row>',
        shared_strings="<si><t xml:space=\"preserve\">Boekstuk</t></si>", dimension="A1:D2",
        styles='<numFmts count="1"><numFmt numFmtId="164" formatCode="DD/MM/YYYY"/></numFmts>'
               '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs>'),
    "an empty sheet": dict(sheet_data=""),
    "a sheet of empty cells": dict(sheet_data='<row r="2"><c r="B2" s="0"/><c r="C2" t="s"><v></v></c></row>',
                                   dimension="B2:C2"),
    "rows out of order (read by calamine)": dict(
        sheet_data='<row r="2"><c r="B2"><v>1</v></c></row><row r="1"><c r="A1"><v>2</v></c></row>'),
}


@pytest.mark.parametrize("name", RAW)
def test_hand_written_workbooks_read_the_same(tmp_path, name):
    path = raw_workbook(tmp_path / "raw.xlsx", **RAW[name])
    if name.startswith("rows out of order"):
        source = open_rows(str(path), inspect_upload(str(path), path.name, Limits()), Limits(), "stream")
        assert isinstance(source, CalamineRows)
        return
    assert_same_rows(path)


@pytest.mark.parametrize("cell, reason", [
    ('<c r="A1" t="s"><v>5</v></c>', "Cell string index not found in shared strings table"),
    ('<c r="A1" t="zz"><v>1</v></c>', "Unknown cell 't' attribute: \"zz\""),
    ('<c r="A1" t="b"><v>2</v></c>', "Unrecognized boolean cell value: 2"),
    ('<c r="A1" t="e"><v>#FOO</v></c>', "Unsupported cell error value '#FOO'"),
    ('<c r="A1" t="n"><v>abc</v></c>', "Parse float error: invalid float literal"),
    ('<c r="A1"><v>1</v><extLst/></c>', "Expecting 'v, f, or is' node"),
])
def test_a_damaged_cell_is_refused_with_the_same_answer(tmp_path, cell, reason):
    path = raw_workbook(tmp_path / "damaged.xlsx", f'<row r="1">{cell}</row><row r="2"><c r="A2"><v>1</v></c></row>',
                        shared_strings="<si><t>zero</t></si>")
    answers = []
    for reader in ("calamine", "stream"):
        with pytest.raises(ImportRefused) as refused:
            _read(path, reader)
        answers.append((refused.value.code, refused.value.message))
    assert answers == [("corrupt", f"The workbook cannot be read: {reason}")] * 2


def test_a_cell_outside_its_row_is_refused_not_misread(app, tmp_path):
    """No program writes one; calamine would move it to its row, the stream cannot: it refuses,
    in the reader's language."""
    path = raw_workbook(tmp_path / "moved.xlsx", '<row r="2"><c r="A2"><v>1</v></c><c r="B5"><v>2</v></c></row>')
    with pytest.raises(ImportRefused, match="cell B5 is not in its row 2") as refused:
        _read(path, "stream")
    assert refused.value.code == "corrupt"
    with app.app_context(), speaking("nl"):
        assert render(refused.value.message.message, gettext) == (
            "De werkmap kan niet worden gelezen: cel B5 staat niet in haar rij 2")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_workbook_saved_by_libreoffice_reads_the_same(tmp_path):
    source = _ledger_with_titles(tmp_path / "source.xlsx")
    completed = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--convert-to",
         "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "saved"), str(source)],
        capture_output=True, text=True, timeout=180)
    assert completed.returncode == 0, completed.stderr
    assert_same_rows(tmp_path / "saved" / "source.xlsx")


# -- which reader, and hostile sheets ---------------------------------------------------------------------

def _reader_of(path, limits: Limits = DEFAULTS, reader: str = "calamine"):
    return type(open_rows(str(path), inspect_upload(str(path), path.name, limits), limits, reader))


def test_a_sheet_above_the_threshold_is_streamed(tmp_path):
    path = spending_workbook(tmp_path / "ledger.xlsx")  # dimension A1:H4
    assert _reader_of(path) is CalamineRows
    assert _reader_of(path, Limits(xlsx_stream_rows=3)) is StreamRows
    assert _reader_of(path, Limits(xlsx_stream_rows=4)) is CalamineRows
    assert _reader_of(path, reader="stream") is StreamRows


@pytest.mark.parametrize("dimension", [None, "A1"])
def test_without_a_dimension_the_sheets_size_decides(tmp_path, dimension):
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 41))  # about 1,500 bytes
    path = raw_workbook(tmp_path / "ledger.xlsx", rows, dimension=dimension)
    assert _reader_of(path, Limits(xlsx_stream_rows=5)) is StreamRows
    assert _reader_of(path, Limits(xlsx_stream_rows=7)) is CalamineRows


def test_a_sheet_claiming_a_huge_dimension_is_streamed_and_reads_its_rows(session, tradeline, tmp_path, run_import):
    plain = spending_workbook(tmp_path / "plain.xlsx")
    sheet = zipfile.ZipFile(plain).read("xl/worksheets/sheet1.xml")
    path = rezip(plain, tmp_path / "huge.xlsx", replace={"xl/worksheets/sheet1.xml": sheet.replace(
        b'<dimension ref="A1:H4"/>', b'<dimension ref="A1:XFD1048576"/>')})
    assert _reader_of(path) is StreamRows
    assert assert_same_rows(path)[0] == 4
    batches = [run_import("spending", path, limits=limits, dry_run=True) for limits in (CALAMINE_ONLY, Limits())]
    assert [(b.status, b.imported_count) for b in batches] == [("checked", 3)] * 2


@pytest.mark.parametrize("where", ["sheet", "sharedStrings"])
def test_the_stream_refuses_a_document_type_declaration_itself(tmp_path, where):
    """Even handed a file the safety scan never saw: no DTD reaches lxml."""
    path = raw_workbook(tmp_path / "lol.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
                        shared_strings="<si><t>x</t></si>", doctype_in=where)
    with pytest.raises(ImportRefused, match="document type declaration") as refused:
        stream_rows(str(path), SHEET, Limits())
    assert refused.value.code == "xml_entities"


def test_the_stream_refuses_a_truncated_workbook(tmp_path):
    (tmp_path / "t").mkdir()
    path = corrupt_workbook(tmp_path / "cut.xlsx", tmp_path / "t")
    with pytest.raises(ImportRefused) as refused:
        stream_rows(str(path), SHEET, Limits())
    assert refused.value.code == "corrupt"


def test_a_large_ledger_imports_through_the_stream_as_through_calamine(session, tradeline, tmp_path, run_import):
    rows = tradeline_ledger_rows()
    rows[1][3] = "oops"
    path = spending_workbook(tmp_path / "ledger.xlsx", rows, title_rows=[["Export"], []])
    small = dataclasses.replace(Limits(), xlsx_stream_rows=2)
    batches = [run_import("spending", path, limits=limits, mode="accept_valid_rows", dry_run=True)
               for limits in (CALAMINE_ONLY, small)]
    assert [(b.status, b.imported_count, b.error_count) for b in batches] == [("checked", 2, 1)] * 2


# -- memory ------------------------------------------------------------------------------------------------

def _traced_peak(path) -> int:
    """Python's peak allocations while the stream reads every row and keeps none."""
    inspected = inspect_upload(str(path), path.name, Limits())
    tracemalloc.start()
    try:
        for _row in stream_rows(str(path), inspected, Limits()).rows():
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _shared_strings_ledger(path, n: int):
    """A ledger as Excel keeps it: every text in the shared strings, a distinct document number a row."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, DUTCH_SPENDING_HEADERS)
    for i in range(1, n + 1):
        sheet.write_row(i, 0, [f"B-2024-{i:07d}", "2024-03-01", "MWI-2019-TLC", i / 100, "EUR"])
    book.close()
    return path


def test_memory_does_not_grow_with_the_rows_beyond_the_shared_strings_text(tmp_path):
    inline = [_traced_peak(benchmark_workbook(tmp_path / f"inline-{n}.xlsx", n)) for n in (2000, 8000)]
    assert inline[1] - inline[0] < 20_000, inline
    shared = [_traced_peak(_shared_strings_ledger(tmp_path / f"shared-{n}.xlsx", n)) for n in (2000, 8000)]
    # 6,000 more document numbers of 14 characters: their text and an 8-byte offset each, where
    # a str object each would take about 70 bytes
    assert shared[1] - shared[0] < 6000 * 40, shared
