"""Commitments on the CRS sheet counted exactly once, from a portfolio entered through the imports.

Programmes, activities (Dutch headers) and spending (Belgian amounts) are imported
as finance and programme managers send them; the commitment of an activity is
either on the activity (Vastleggingsdatum, Vastgelegd bedrag), or booked as ledger
commitment lines, or both, or missing.
"""
from datetime import date
from decimal import Decimal

import pytest

from importers.services import import_file
from oda.services.classify import classify
from tests.builders.exports import rates
from tests.builders.importers import DUTCH_SPENDING_HEADERS, workbook
from tests.builders.oda import load_reference
from tests.exports.test_services_crs import by_project, export, money, table

PROGRAMME_HEADERS = ["Programmacode", "Naam", "Soort", "Landcode", "Beginjaar", "Eindjaar", "Beleidsdomein"]
ACTIVITY_HEADERS = ["Projectcode", "Titel", "Programmacode", "Ontvanger", "Sectorcode", "Hulptype", "Kanaalcode",
                    "Bi/multi", "Hoofddoel", "Vastleggingsdatum", "Vastgelegd bedrag", "Munt"]


def _import(session, tmp_path, kind, name, headers, rows):
    path = workbook(tmp_path / name, headers, rows)
    batch = import_file(session, kind, str(path), name, uploaded_by="finance@vlaanderen.test")
    assert batch.status == "imported", (kind, batch.status)
    return batch


@pytest.fixture
def imported(session, tmp_path):
    """A 2024 portfolio in Mozambique, entered through the imports and classified."""
    load_reference(session)
    rates(session)
    _import(session, tmp_path, "programmes", "programmas.xlsx", PROGRAMME_HEADERS, [
        ["MOZ-CSP4", "Mozambique landenprogramma 2021–2025", "landenprogramma", 259, 2021, 2025,
         "Ontwikkelingssamenwerking"],
        ["HUM-2024", "Humanitaire hulp 2024", "humanitarian", "", 2024, 2024, "Ontwikkelingssamenwerking"],
    ])
    water = ["Drinkwater en sanitatie in Tete", "MOZ-CSP4", 259, 14030, "C01", 22000, 1, "development"]
    _import(session, tmp_path, "activities", "activiteiten.xlsx", ACTIVITY_HEADERS, [
        ["MOZ-2024-WASH", *water, "01/02/2024", "1.200.000,00", "EUR"],
        ["MOZ-2024-BOTH", "Basisgezondheidszorg in Zambezia", "MOZ-CSP4", 259, 12220, "C01", 22000, 1, "development",
         "01/03/2024", "500.000,00", "EUR"],
        ["MOZ-2024-NONE", "Werkgelegenheid voor jongeren in Beira", "MOZ-CSP4", 259, 16020, "C01", 22000, 1,
         "development", "", "", "EUR"],
        ["HUM-2024-IDAI", "Noodhulp na cycloon Freddy", "HUM-2024", 259, 72010, "C01", 22000, 1, "humanitarian",
         "", "", "EUR"],
    ])
    _import(session, tmp_path, "spending", "uitgaven-2024.xlsx", DUTCH_SPENDING_HEADERS, [
        ["B-2024-0301", "15/03/2024", "MOZ-2024-WASH", "300.000,00", "EUR", "Eerste schijf", "QB0-1QAD2MZ",
         "betaling"],
        ["C-2024-0301", "01/03/2024", "MOZ-2024-BOTH", "450.000,00", "EUR", "Overeenkomst", "QB0-1QAD2MZ",
         "vastlegging"],
        ["B-2024-0401", "02/04/2024", "MOZ-2024-BOTH", "150.000,00", "EUR", "Eerste schijf", "QB0-1QAD2MZ",
         "betaling"],
        ["B-2024-0501", "06/05/2024", "MOZ-2024-NONE", "100.000,00", "EUR", "Eerste schijf", "QB0-1QAD2MZ",
         "betaling"],
        ["B-2024-0320", "20/03/2024", "HUM-2024-IDAI", "250.000,00", "EUR", "Noodhulp", "QB0-1QAD2MZ",
         "betaling"],
    ])
    classify(session, everything=True)
    session.flush()


def test_the_commitment_entered_on_the_activity_is_reported_in_its_year(session, imported, tmp_path):
    sheets, _result = export(session, 2024, tmp_path)
    wash = by_project(sheets)["MOZ-2024-WASH"]
    assert money(wash["Commitment_National"]) == Decimal("1200000.00")
    assert money(wash["Disbursement_National"]) == Decimal("300000.00")
    assert wash["InitialReport"] == 1
    assert wash["CRSid"].startswith("2024")
    assert wash["CommitmentDate"].date() == date(2024, 2, 1)


def _review(sheets) -> list[dict]:
    return table(sheets["Needs review"])


def _summary(sheets) -> dict:
    return {row[0]: row[1] for row in sheets["Summary"] if row and row[0]}


def test_a_commitment_on_the_activity_and_in_the_ledger_is_counted_once_and_their_difference_is_a_finding(
        session, imported, tmp_path):
    sheets, result = export(session, 2024, tmp_path)
    both = by_project(sheets)["MOZ-2024-BOTH"]
    assert money(both["Commitment_National"]) == Decimal("450000.00"), "the ledger's lines, not 950 000"
    findings = [r for r in _review(sheets) if r["ProjectNumber"] == "MOZ-2024-BOTH"]
    assert len(findings) == 1
    assert findings[0]["Open"] == "commitments disagree"
    assert "500000.00" in findings[0]["Reasons"] and "450000.00" in findings[0]["Reasons"]
    assert result.open_counts["commitments_disagreeing"] == 1


def test_humanitarian_aid_without_commitment_is_committed_by_its_disbursement(session, imported, tmp_path):
    sheets, _result = export(session, 2024, tmp_path)
    cyclone = by_project(sheets)["HUM-2024-IDAI"]
    assert money(cyclone["Commitment_National"]) == money(cyclone["Disbursement_National"]) == Decimal("250000.00")
    assert cyclone["InitialReport"] == 1
    assert cyclone["CommitmentDate"].date() == date(2024, 3, 20)
    assert not [r for r in _review(sheets) if r["ProjectNumber"] == "HUM-2024-IDAI"]


def test_other_aid_without_commitment_is_a_finding_not_a_silent_zero(session, imported, tmp_path):
    sheets, result = export(session, 2024, tmp_path)
    assert money(by_project(sheets)["MOZ-2024-NONE"]["Commitment_National"]) == 0
    findings = [r for r in _review(sheets) if r["ProjectNumber"] == "MOZ-2024-NONE"]
    assert [f["Open"] for f in findings] == ["no commitment recorded"]
    assert result.open_counts["commitments_missing"] == 1


def test_the_summary_reconciles_commitments_of_both_sources_to_the_cent(session, imported, tmp_path):
    sheets, _result = export(session, 2024, tmp_path)
    summary = _summary(sheets)
    crs_total = sum(money(r["Commitment_National"]) for r in table(sheets["CRS"]))
    assert crs_total == Decimal("1900000.00"), "1 200 000 (activity) + 450 000 (ledger) + 250 000 (humanitarian)"
    assert money(summary["Commitments: total in the ledger for the year"]) == Decimal("1900000.00")
    assert money(summary["Commitments: ODA on the CRS sheet"]) == crs_total
    assert summary["Commitments: check CRS + Not ODA = ledger total"] == "OK"


def test_later_years_report_no_commitment_and_a_decrease_in_its_year(session, imported, tmp_path):
    _import(session, tmp_path, "spending", "uitgaven-2025.xlsx", DUTCH_SPENDING_HEADERS, [
        ["B-2025-0301", "14/03/2025", "MOZ-2024-WASH", "400.000,00", "EUR", "Tweede schijf", "QB0-1QAD2MZ",
         "betaling"],
        ["C-2025-0601", "02/06/2025", "MOZ-2024-BOTH", "-50.000,00", "EUR", "Vermindering", "QB0-1QAD2MZ",
         "vastlegging"],
    ])
    classify(session, everything=True)
    export(session, 2024, tmp_path)
    sheets, _result = export(session, 2025, tmp_path)
    rows = by_project(sheets)
    assert (money(rows["MOZ-2024-WASH"]["Commitment_National"]), rows["MOZ-2024-WASH"]["InitialReport"]) == (0, 3)
    assert rows["MOZ-2024-WASH"]["CRSid"].startswith("2024")
    assert (money(rows["MOZ-2024-BOTH"]["Commitment_National"]), rows["MOZ-2024-BOTH"]["InitialReport"]) == (
        Decimal("-50000.00"), 3)


def test_a_commitment_in_a_currency_without_rate_stays_open_never_zero(session, imported, tmp_path):
    _import(session, tmp_path, "activities", "zar.xlsx", ACTIVITY_HEADERS, [
        ["MOZ-2024-ZAR", "Grensoverschrijdend waterbeheer", "MOZ-CSP4", 259, 14010, "C01", 22000, 1, "development",
         "01/07/2024", "2.000.000,00", "ZAR"],
    ])
    classify(session, everything=True)
    sheets, result = export(session, 2024, tmp_path)
    assert "MOZ-2024-ZAR" not in by_project(sheets)
    open_rows = [r for r in _review(sheets) if r["ProjectNumber"] == "MOZ-2024-ZAR"]
    assert [(r["Kind"], money(r["Amount"]), r["Amount_EUR"]) for r in open_rows] == [
        ("commitment", Decimal("2000000.00"), None)]
    assert _summary(sheets)["Commitments: check CRS + Not ODA = ledger total"].startswith("OPEN")
    assert result.totals.transactions_without_eur == 0, "the activity's commitment is not a transaction"


def test_a_commitment_of_a_year_without_spending_is_classified_and_reported(session, imported, tmp_path):
    _import(session, tmp_path, "activities", "later.xlsx", ACTIVITY_HEADERS, [
        ["MOZ-2024-SOLAR", "Zonne-energie voor gezondheidscentra", "MOZ-CSP4", 259, 12230, "C01", 22000, 1,
         "development", "15/11/2024", "800.000,00", "EUR"],
    ])
    _import(session, tmp_path, "spending", "uitgaven-2025.xlsx", DUTCH_SPENDING_HEADERS, [
        ["B-2025-0115", "15/01/2025", "MOZ-2024-SOLAR", "200.000,00", "EUR", "Eerste schijf", "QB0-1QAD2MZ",
         "betaling"],
    ])
    classify(session)
    sheets, result = export(session, 2024, tmp_path)
    solar = by_project(sheets)["MOZ-2024-SOLAR"]
    assert (money(solar["Commitment_National"]), money(solar["Disbursement_National"])) == (
        Decimal("800000.00"), 0)
    assert (solar["InitialReport"], solar["CRSid"][:4]) == (1, "2024")
    assert result.totals.not_classified == 0
