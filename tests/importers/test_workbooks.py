"""Templates per kind, and the error-row workbook that goes back to finance for fixing."""
import io

import pytest
from openpyxl import load_workbook

from importers.kinds import KINDS
from importers.limits import Limits
from importers.services.parse import parse_file
from importers.services.workbooks import error_rows_workbook, template_workbook
from tests.builders.importers import spending_workbook, tradeline_ledger_rows


@pytest.mark.parametrize("kind", sorted(name for name, kind in KINDS.items() if not kind.reads_own_format))
def test_every_template_reads_back_with_its_example_row_valid(kind, tmp_path):
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(template_workbook(kind))
    book = load_workbook(path)
    assert book.sheetnames == [kind, "Notes"]
    assert any("day first" in str(c.value) for row in book["Notes"].iter_rows() for c in row)
    parsed = parse_file(str(path), path.name, KINDS[kind], Limits())
    assert len(parsed.rows) == 1 and not parsed.rows[0].findings


def test_error_rows_come_back_with_an_error_column_and_re_import_once_fixed(session, tradeline, files, run_import):
    rows = tradeline_ledger_rows()
    rows[1][3] = "350 000.20 EUR USD"
    rows[2][2] = "MWI-2099-XXX"
    first = run_import("spending", spending_workbook(files / "ledger.xlsx", rows), mode="accept_valid_rows")
    assert (first.imported_count, first.error_count) == (1, 2)

    returned = files / "errors.xlsx"
    returned.write_bytes(error_rows_workbook(session, first))
    sheet = load_workbook(returned).active
    assert [c.value for c in sheet[1]] == [
        "document_number", "posting_date", "activity_code", "amount", "currency", "description", "budget_article",
        "kind", "error"]
    assert sheet["I2"].value.startswith("amount: not an amount")
    assert sheet["I3"].value == "activity_code: no activity with code MWI-2099-XXX; did you mean MWI-2019-TLC?"

    sheet["D2"], sheet["C3"] = 350000.20, "MWI-2019-TLC"
    fixed = io.BytesIO()
    sheet.parent.save(fixed)
    (files / "fixed.xlsx").write_bytes(fixed.getvalue())
    second = run_import("spending", files / "fixed.xlsx")
    assert (second.status, second.imported_count) == ("imported", 2)
    assert second.columns["ignored"] == ["error"]
