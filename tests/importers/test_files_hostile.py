"""Hostile and broken files are refused with a message, never a stack trace, and change nothing."""
import dataclasses

import pytest

from importers.errors import ImportRefused
from importers.limits import Limits
from importers.safety import inspect_upload
from tests.builders import importers as build
from tests.importers.conftest import count, database_counts
from programmes.models import Transaction


def _refused(session, run_import, path, **options):
    before = database_counts(session)
    batch = run_import("spending", path, **options)
    after = database_counts(session)
    assert batch.status == "refused", batch.message
    assert "Traceback" not in batch.message
    assert after["transactions"] == before["transactions"] and after["rows"] == before["rows"]
    return batch


@pytest.mark.parametrize("reader", ["calamine", "stream"])
@pytest.mark.parametrize("make, code, words", [
    (lambda p, t: build.macro_workbook_renamed(p / "ledger.xlsx", t), "macros", "contains macros"),
    (lambda p, t: build.encrypted_workbook(p / "ledger.xlsx"), "encrypted", "password-protected"),
    (lambda p, t: build.legacy_xls(p / "ledger.xlsx"), "unsupported_format", "97–2003"),
    (lambda p, t: build.corrupt_workbook(p / "ledger.xlsx", t), "corrupt", "damaged"),
    (lambda p, t: build.damaged_crc_workbook(p / "ledger.xlsx", t), "corrupt", "damaged"),
    (lambda p, t: build.xml_entity_workbook(p / "ledger.xlsx", t), "xml_entities", "document type declaration"),
    (lambda p, t: build.zip_bomb(p / "ledger.xlsx", t), "zip_bomb", "compressed more than"),
    (lambda p, t: build.ods_file(p / "ledger.xlsx"), "unsupported_format", ".ods"),
])
def test_hostile_or_broken_workbooks_are_refused(session, tradeline, files, run_import, make, code, words, reader):
    (files / "t").mkdir()
    batch = _refused(session, run_import, make(files, files / "t"), xlsx_reader=reader)
    assert batch.error_code == code
    assert words in batch.message


@pytest.mark.parametrize("name, words", [
    ("ledger.xls", "save it as .xlsx"), ("ledger.xlsm", "Macro-enabled"), ("ledger.ods", ".ods"),
    ("ledger.pdf", "Upload an Excel workbook"),
])
def test_unsupported_file_types_are_refused_by_name(session, files, run_import, name, words):
    path = files / name
    path.write_bytes(b"document_number,posting_date\n")
    assert words in _refused(session, run_import, path).message


def test_an_unpacked_size_above_the_limit_is_refused(session, files, tradeline):
    path = build.spending_workbook(files / "ledger.xlsx", build.tradeline_ledger_rows() * 50)
    with pytest.raises(ImportRefused) as refused:
        inspect_upload(str(path), path.name, Limits(max_uncompressed_bytes=20_000))
    assert refused.value.code == "zip_bomb"


def test_an_upload_above_the_size_limit_is_refused(session, files):
    path = build.spending_workbook(files / "ledger.xlsx")
    with pytest.raises(ImportRefused, match="at most 1,000 are accepted") as refused:
        inspect_upload(str(path), path.name, Limits(max_upload_bytes=1000))
    assert refused.value.code == "too_large"


@pytest.mark.parametrize("reader", ["calamine", "stream"])
def test_too_many_rows_are_refused(session, tradeline, files, run_import, reader):
    path = build.spending_workbook(files / "ledger.xlsx")
    batch = _refused(session, run_import, path, limits=dataclasses.replace(Limits(), max_rows=2), xlsx_reader=reader)
    assert batch.error_code == "too_many_rows"


@pytest.mark.parametrize("reader", ["calamine", "stream"])
def test_a_sheet_longer_than_the_limit_is_refused_before_a_row_is_read(session, tradeline, files, run_import,
                                                                      reader):
    """Either reader refuses from the sheet's last row with a value, title rows allowed for."""
    path = build.spending_workbook(files / "ledger.xlsx", build.tradeline_ledger_rows() * 5)
    batch = _refused(session, run_import, path, limits=dataclasses.replace(Limits(), max_rows=2), xlsx_reader=reader)
    assert (batch.error_code, batch.message) == (
        "too_many_rows", "The sheet has 16 rows; at most 2 can be imported at once.")


def test_empty_and_binary_files_are_refused(session, files, run_import):
    empty = files / "empty.csv"
    empty.write_bytes(b"")
    assert _refused(session, run_import, empty).error_code == "empty"
    garbage = files / "garbage.csv"
    garbage.write_bytes(bytes(range(256)) * 10)
    assert _refused(session, run_import, garbage).error_code in ("unsupported_format", "encoding")


def test_a_header_without_data_rows_imports_nothing(session, files, run_import):
    path = build.spending_workbook(files / "ledger.xlsx", [])
    batch = _refused(session, run_import, path)
    assert batch.error_code == "empty"
    assert count(session, Transaction) == 0
