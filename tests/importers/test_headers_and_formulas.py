"""Header rows as people type them, title rows above them, and formula cells."""
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from programmes.models import Transaction
from tests.builders.importers import cached_formula_workbook, spending_workbook, tradeline_ledger_rows, workbook
from tests.importers.conftest import rows_of


def test_headers_match_whatever_the_case_spacing_and_accents(session, tradeline, files, run_import):
    headers = [" DOCUMENT NUMBER ", "Posting-Date", "activity code", "Amount", "Currency", "Déscription",
               "Budget article", "KIND", "Remarks of the accountant"]
    batch = run_import("spending", workbook(files / "ledger.xlsx", headers,
                                            [r + ["checked"] for r in tradeline_ledger_rows()]))
    assert batch.status == "imported"
    assert batch.columns["ignored"] == ["Remarks of the accountant"]


@pytest.mark.parametrize("title_rows, status", [(10, "imported"), (11, "refused")])
def test_up_to_ten_title_or_blank_rows_may_stand_above_the_header(session, tradeline, files, run_import,
                                                                   title_rows, status):
    titles = [["Vlaamse overheid – boekhouding"]] + [[] for _ in range(title_rows - 1)]
    batch = run_import("spending", spending_workbook(files / "ledger.xlsx", title_rows=titles))
    assert batch.status == status
    if status == "refused":
        assert batch.error_code == "no_header"


def test_row_numbers_are_those_the_spreadsheet_shows(session, tradeline, files, run_import):
    rows = tradeline_ledger_rows()
    rows.insert(1, [None] * 8)  # an empty row is skipped, not counted
    rows[2][3] = "oops"
    batch = run_import("spending", spending_workbook(files / "ledger.xlsx", rows, title_rows=[["Export"], []]))
    assert [(r.row_number, r.outcome) for r in rows_of(session, batch)] == [
        (4, "imported"), (6, "error"), (7, "imported")]


def test_missing_required_columns_are_named(session, files, run_import):
    path = workbook(files / "ledger.xlsx", ["document_number", "posting_date", "amount"], [["B-1", "1/1/2024", 5]])
    batch = run_import("spending", path)
    assert batch.error_code == "missing_columns"
    assert "activity_code" in batch.message


def test_a_file_of_another_kind_is_recognised(session, files, run_import):
    path = workbook(files / "budgets.xlsx", ["programme_code", "year", "planned_amount"], [["MWI-CSP3", 2020, 5]])
    batch = run_import("spending", path)
    assert batch.error_code == "wrong_kind" and "budgets" in batch.message


def test_two_columns_with_the_same_meaning_are_refused(session, files, run_import):
    headers = ["Documentnummer", "Boekstuknummer", "posting_date", "activity_code", "amount"]
    batch = run_import("spending", workbook(files / "ledger.xlsx", headers, [["B-1", "B-1", "1/1/2024", "A", 5]]))
    assert batch.error_code == "ambiguous_columns"


def _formula_workbook(path, amount_cell):
    book = Workbook()
    sheet = book.active
    sheet.append(["document_number", "posting_date", "activity_code", "amount", "currency"])
    sheet.append(["B-2019-0101", date(2019, 5, 2), "MWI-2019-TLC", amount_cell, "EUR"])
    book.save(path)
    return path


def test_a_formula_without_a_cached_value_is_a_row_error(session, tradeline, files, run_import):
    """openpyxl saves formulas without computing them, as some export tools do."""
    batch = run_import("spending", _formula_workbook(files / "ledger.xlsx", "=1000*2"))
    [row] = rows_of(session, batch)
    assert (row.outcome, row.column) == ("error", "amount")
    assert "formula without a computed value" in row.reason


def test_a_formula_uses_the_value_excel_cached(session, tradeline, files, run_import):
    batch = run_import("spending", cached_formula_workbook(files / "cached.xlsx"))
    assert batch.status == "imported"
    assert str(session.scalar(select(Transaction.amount))) == "2000.50"


def test_the_openpyxl_reader_reads_the_same_rows(session, tradeline, files, run_import):
    batch = run_import("spending", spending_workbook(files / "ledger.xlsx", title_rows=[["Export"]]),
                       xlsx_reader="openpyxl")
    assert batch.status == "imported"
    assert [r.row_number for r in rows_of(session, batch)] == [3, 4, 5]
