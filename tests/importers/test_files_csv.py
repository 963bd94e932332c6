"""CSV in the encodings and separators finance's tools produce."""
import pytest
from sqlalchemy import select

from programmes.models import Transaction
from tests.builders.importers import DUTCH_SPENDING_HEADERS, SPENDING_HEADERS, csv_file

ROWS = [["B-2019-0101", "02/05/2019", "MWI-2019-TLC", "1.234,56", "EUR", "Première tranche – café €", "QB0",
         "uitbetaling"],
        ["B-2019-0202", "02/09/2019", "MWI-2019-TLC", "350.000,20", "EUR", "Tweede schijf", "QB0", ""]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_dutch_csv_in_every_encoding_and_separator(session, tradeline, files, run_import, encoding, delimiter):
    path = csv_file(files / "boekingen.csv", [DUTCH_SPENDING_HEADERS] + ROWS, encoding, delimiter)
    batch = run_import("spending", path)

    assert batch.status == "imported", batch.message
    assert batch.file_format == "csv"
    first = session.scalar(select(Transaction).where(Transaction.document_number == "B-2019-0101"))
    assert str(first.amount) == "1234.56"
    assert first.description == "Première tranche – café €"


def test_comma_separated_english_csv(session, tradeline, files, run_import):
    rows = [["B-2019-0101", "2019-05-02", "MWI-2019-TLC", "1,234.56", "EUR", "First, tranche", "QB0", ""]]
    batch = run_import("spending", csv_file(files / "ledger.csv", [SPENDING_HEADERS] + rows))
    assert batch.status == "imported"
    assert session.scalar(select(Transaction.description)) == "First, tranche"


def test_utf16_without_bom(session, tradeline, files, run_import):
    path = csv_file(files / "ledger.csv", [DUTCH_SPENDING_HEADERS] + ROWS, "utf-16-le", ";")
    assert run_import("spending", path).status == "imported"


def test_a_title_line_above_the_csv_header(session, tradeline, files, run_import):
    path = csv_file(files / "ledger.csv", [["Export boekhouding"], []] + [DUTCH_SPENDING_HEADERS] + ROWS,
                    "utf-8", ";")
    batch = run_import("spending", path)
    assert batch.status == "imported"
