"""CRS items from the activity's record, on data entered the way a user does (imports with Dutch
headers and Belgian formats, then classification): grant equivalent (grants: the disbursement;
loans: the disbursement × the grant element), the commitment by tied status (items 36–38, untied
by default), a loan's terms and grant element (44–49), SDG focus and keywords."""
from decimal import Decimal

import pytest

from exports.crs.workbook import build_crs_workbook
from exports.services.crs import crs_context, prepare_crs
from exports.services.runs import ExportError
from importers.services import import_file
from oda.loans import LDC, LoanTerms, assess
from oda.services.classify import classify
from tests.builders.exports import rates
from tests.builders.importers import DUTCH_SPENDING_HEADERS, workbook
from tests.builders.oda import load_reference
from tests.exports.conftest import read_sheets

PROGRAMMES = (["Programmacode", "Naam", "Soort", "Landcode", "Beginjaar", "Eindjaar", "Beleidsdomein"],
              [["MWI-CSP4", "Malawi country programme 2024–2028", "landenprogramma", 253, 2024, 2028,
                "Ontwikkelingssamenwerking"]])
ACTIVITIES = (
    ["Activiteitscode", "Titel", "Programmacode", "Ontvanger", "Sectorcode", "Hulptype", "Kanaalcode",
     "Financieringstype", "Bi/multi", "Vastleggingsdatum", "Gebonden status", "Aflossingstype",
     "Aflossingen per jaar", "Rente 1", "Eerste aflossing", "Laatste aflossing", "SDG-focus", "Trefwoorden"],
    [["MWI-2024-SEED", "Seed systems for smallholders in Dedza", "MWI-CSP4", 253, 31150, "C01", 22000, 110, 1,
      "01/02/2024", "", "", "", "", "", "", "2.3;5.a", "zaaigoed; kleine boeren"],
     ["MWI-2024-IRR-LOAN", "Soft loan for smallholder irrigation schemes in Kasungu", "MWI-CSP4", 253, 31140,
      "C01", 12000, 421, 1, "01/03/2024", "gebonden", "annuïteit", 2, "0,75", "01/03/2034", "01/03/2054", "6.4",
      "irrigatie"]])
SPENDING = [
    ["V-2024-0007", "01/02/2024", "MWI-2024-SEED", "750.000,00", "EUR", "Agreement seed systems", "QB0-1QAD2MZ",
     "vastlegging"],
    ["B-2024-0101", "15/03/2024", "MWI-2024-SEED", "250.000,50", "EUR", "First tranche", "QB0-1QAD2MZ",
     "betaling"],
    ["V-2024-0008", "01/03/2024", "MWI-2024-IRR-LOAN", "2.000.000,00", "EUR", "Loan agreement", "QB0-1QAD2MZ",
     "vastlegging"],
    ["B-2024-0102", "02/04/2024", "MWI-2024-IRR-LOAN", "800.000,00", "EUR", "First drawing", "QB0-1QAD2MZ",
     "betaling"],
]


def _import(session, kind, tmp_path, headers, rows):
    path = workbook(tmp_path / f"{kind}.xlsx", headers, rows)
    batch = import_file(session, kind, str(path), path.name, uploaded_by="finance@vlaanderen.test")
    assert batch.status == "imported", kind


@pytest.fixture
def entered(session, tmp_path):
    load_reference(session)
    rates(session)
    _import(session, "programmes", tmp_path, *PROGRAMMES)
    _import(session, "activities", tmp_path, *ACTIVITIES)
    _import(session, "spending", tmp_path, DUTCH_SPENDING_HEADERS, SPENDING)
    classify(session, everything=True)


def _export(session, tmp_path):
    ids = prepare_crs(session, 2024)
    ctx = crs_context(session, 2024, final=False, generated_by="oda.officer@vlaanderen.test", donor_code="2",
                      agency_code="70")
    path = tmp_path / "crs-2024.xlsx"
    build_crs_workbook(session, ctx, str(path), ids)
    sheets = read_sheets(path)
    header = sheets["CRS"][0]
    rows = {row[header.index("ProjectNumber")]: dict(zip(header, row)) for row in sheets["CRS"][1:]}
    return rows, dict(sheets["Metadata"][1:])


def test_a_grant_reports_its_disbursement_as_grant_equivalent_and_its_commitment_as_untied(session, entered,
                                                                                           tmp_path):
    rows, metadata = _export(session, tmp_path)
    seed = rows["MWI-2024-SEED"]
    assert seed["GrantEquiv"] == seed["Disbursement_National"] == 250000.50
    assert seed["USD_GrantEquiv"] == seed["USD_Disbursement"]
    assert (seed["Untied_National"], seed["PartiallyUntied_National"], seed["Tied_National"]) == (750000, None, None)
    assert all(seed[c] is None for c in ("Repaytype", "NumberRepayment", "Interest1", "Repaydate1", "GrantElement"))
    assert (seed["SDGfocus"], seed["Keywords"]) == ("2.3;5.a", "zaaigoed; kleine boeren")
    assert metadata["Tied status when an activity states none"].startswith("5 untied")


def test_a_concessional_loan_reports_its_terms_grant_element_and_grant_equivalent(session, entered, tmp_path):
    rows, _metadata = _export(session, tmp_path)
    loan = rows["MWI-2024-IRR-LOAN"]
    terms = LoanTerms(2, 2, Decimal("0.75"), None, None, *(date_ for date_ in (
        loan["CommitmentDate"].date(), loan["Repaydate1"].date(), loan["Repaydate2"].date())))
    element = assess(terms, LDC).grant_element
    assert element == Decimal("0.733503")
    assert (loan["Repaytype"], loan["NumberRepayment"], loan["Interest1"], loan["Interest2"]) == (2, 2, 0.75, None)
    assert (loan["Repaydate1"].year, loan["Repaydate2"].year, loan["GrantElement"]) == (2034, 2054, 73.35)
    assert loan["GrantEquiv"] == 586802.40  # 800,000.00 × 0.733503
    assert loan["Disbursement_National"] == 800000
    assert (loan["Untied_National"], loan["Tied_National"]) == (None, 2000000)
    assert (loan["SDGfocus"], loan["Keywords"]) == ("6.4", "irrigatie")


def test_a_loan_without_terms_stays_in_review_and_out_of_the_crs_sheet(session, tmp_path):
    load_reference(session)
    rates(session)
    _import(session, "programmes", tmp_path, *PROGRAMMES)
    headers, (_grant, loan) = ACTIVITIES
    without_terms = loan[:11] + ["", "", "", "", ""] + loan[16:]
    _import(session, "activities", tmp_path, headers, [without_terms])
    _import(session, "spending", tmp_path, DUTCH_SPENDING_HEADERS, SPENDING[2:])
    classify(session, everything=True)
    rows, _metadata = _export(session, tmp_path)
    assert "MWI-2024-IRR-LOAN" not in rows


def test_a_wrong_installation_tied_status_is_refused(app, session):
    app.config["AIDLEDGER_DEFAULT_TIED_STATUS"] = "6"
    try:
        with pytest.raises(ExportError, match="AIDLEDGER_DEFAULT_TIED_STATUS"):
            crs_context(session, 2024, final=False, generated_by="oda.officer@vlaanderen.test", donor_code="2",
                        agency_code="70")
    finally:
        app.config["AIDLEDGER_DEFAULT_TIED_STATUS"] = "5"
