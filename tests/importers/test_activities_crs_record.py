"""Activities import: tied status, loan terms, SDG focus and keywords under their Dutch (or CRS) headers,
Belgian formats; a bad cell is an error on its row and leaves the activity untouched."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from programmes.models import Activity
from tests.builders.importers import workbook
from tests.importers.conftest import rows_of

HEADERS = ["Activiteitscode", "Titel", "Programmacode", "Ontvanger", "Financieringstype", "Vastleggingsdatum",
           "Gebonden status", "Aflossingstype", "Aflossingen per jaar", "Rente 1", "Rente 2", "Datum rente 2",
           "Eerste aflossing", "Laatste aflossing", "SDG-focus", "Trefwoorden"]
LOAN_ROW = ["MWI-2024-IRR-LOAN", "Soft loan for smallholder irrigation schemes in Kasungu", "MWI-CSP3", 253, 421,
            "01/03/2024", "ongebonden", "annuïteit", 2, "0,75 %", "1,25", "01/03/2044", "01/03/2034", "1/03/2054",
            "2.3; 6.4", "irrigatie; kleine boeren"]


def _loan(session):
    return session.scalar(select(Activity).where(Activity.code == "MWI-2024-IRR-LOAN"))


def test_a_loan_with_its_terms_is_imported_from_dutch_headers_and_belgian_formats(session, tradeline, files,
                                                                                 run_import):
    batch = run_import("activities", workbook(files / "leningen.xlsx", HEADERS, [LOAN_ROW]))
    assert batch.status == "imported", [r.reason for r in rows_of(session, batch)]
    loan = _loan(session)
    assert (loan.tied_status, loan.loan_repayment_type, loan.loan_repayments_per_year) == ("5", 2, 2)
    assert (loan.loan_interest_rate_1, loan.loan_interest_rate_2) == (Decimal("0.75"), Decimal("1.25"))
    assert (loan.loan_interest_rate_2_date, loan.loan_first_repayment_date, loan.loan_final_repayment_date) == (
        date(2044, 3, 1), date(2034, 3, 1), date(2054, 3, 1))
    assert loan.sdg_focus == "2.3;6.4" and loan.keywords == "irrigatie; kleine boeren"


def test_crs_column_names_are_read_too(session, tradeline, files, run_import):
    headers = ["Activiteitscode", "Titel", "Programmacode", "Repaytype", "NumberRepayment", "Interest1",
               "Repaydate1", "Repaydate2", "SDGfocus", "Keywords"]
    row = ["MWI-2024-IRR-LOAN", "Soft loan for irrigation", "MWI-CSP3", 1, 1, 2.5, date(2029, 3, 1),
           date(2039, 3, 1), 6, "irrigation"]
    batch = run_import("activities", workbook(files / "crs.xlsx", headers, [row]))
    assert batch.status == "imported", [r.reason for r in rows_of(session, batch)]
    loan = _loan(session)
    assert (loan.loan_repayment_type, loan.loan_interest_rate_1, loan.sdg_focus) == (1, Decimal("2.5"), "6")


@pytest.mark.parametrize("column, value, reason", [
    ("Gebonden status", "half", "unknown tied status 'half'"),
    ("Aflossingstype", "4", "unknown repayment type '4'"),
    ("Aflossingen per jaar", 24, "repayments per year: 1 to 12"),
    ("Rente 1", "-0,5", "between 0 and 100"),
    ("Rente 1", "120", "between 0 and 100"),
    ("Rente 1", "€ 0,75", "not an interest rate"),
    ("Laatste aflossing", "01/03/2030", "the final repayment comes before the first repayment"),
    ("SDG-focus", "1;2;3;4;5;6;7;8;9;10;11", "at most 10 SDG goals or targets, not 11"),
    ("SDG-focus", "<script>alert(1)</script>", "not an SDG goal or target"),
    ("Trefwoorden", "x" * 501, "at most 500 fit"),
])
def test_bad_cells_are_row_errors_and_leave_the_activity_as_it_was(session, tradeline, files, run_import,
                                                                   column, value, reason):
    run_import("activities", workbook(files / "ok.xlsx", HEADERS, [LOAN_ROW]))
    before = _loan(session).version
    row = list(LOAN_ROW)
    row[HEADERS.index(column)] = value
    batch = run_import("activities", workbook(files / "bad.xlsx", HEADERS, [row]))
    assert batch.status == "rejected"
    found = [(r.column, r.reason) for r in rows_of(session, batch)]
    assert found[0][0] == column and reason in found[0][1], found
    session.expire_all()
    assert _loan(session).version == before and _loan(session).loan_interest_rate_1 == Decimal("0.75")
