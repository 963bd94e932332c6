"""The 2024 CRS report of a portfolio entered only as a new user enters it.

Programmes, activities and spending arrive through ``flask import`` with Dutch headers and
Belgian number formats; the official reference files through ``flask reference load``; a
ZAR line before its year's rate (the IMF file brings it), an MWK line whose rate the ODA
officer enters afterwards; a refund written ``(250,00)``; core contributions to CERF,
UNESCO and a body not on Annex 2; a concessional loan with its terms. Then
``flask oda classify`` and ``flask export crs``, and every CRS cell the DAC directives
determine is checked, with the Summary's reconciliation to the cent.
"""
from __future__ import annotations

import os
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pytest

from app import REPO_ROOT
from tests.builders.importers import workbook
from tests.exports.conftest import read_sheets

SHARED = Path(os.environ.get("AIDLEDGER_REFERENCE_DATA") or REPO_ROOT.parent / "shared" / "reference-data")
pytestmark = pytest.mark.skipif(not SHARED.is_dir(),
                                reason="the official reference files are not beside the repository")

CENT = Decimal("0.01")
E10 = Decimal("1e-10")
#: IMF annual averages for 2024 in ../shared/reference-data/exchange-rates (units per USD)
IMF_2024 = {"EUR": Decimal("0.9238895461176068"), "ZAR": Decimal("18.3286575505")}
#: the rate the ODA officer enters for the Malawian kwacha (the IMF file stops at 2023)
MWK_2024 = Decimal("1734.5000000000")

PROGRAMMES = (
    ["Programmacode", "Naam", "Soort", "Landcode", "Beginjaar", "Eindjaar", "Beleidsdomein"],
    [["MWI-CSP4", "Landenprogramma Malawi 2023-2027", "landenprogramma", "253", 2023, 2027,
      "ontwikkelingssamenwerking"],
     ["ZAF-CSP3", "Landenprogramma Zuid-Afrika 2022-2026", "landenprogramma", "218", 2022, 2026,
      "ontwikkelingssamenwerking"],
     ["VN-KERN", "Bijdragen aan de Verenigde Naties", "multilateraal", None, 2024, 2028,
      "ontwikkelingssamenwerking"]],
)

ACTIVITY_HEADERS = ["Activiteitscode", "Titel", "Programmacode", "Ontvanger", "Sectorcode", "Hulptype",
                    "Kanaalcode", "Financieringstype", "Hoofddoel", "Vastleggingsdatum", "Vastgelegd bedrag", "Munt",
                    "Begindatum", "Einddatum", "loan_repayment_type", "loan_repayments_per_year",
                    "loan_interest_rate_1", "loan_first_repayment_date", "loan_final_repayment_date"]
NO_LOAN = [None] * 5
ACTIVITIES = [
    ["MWI-2024-AGRI", "Landbouwvoorlichting in het noorden van Malawi", "MWI-CSP4", "253", "31166", "C01", "12001",
     "110", "development", "01/02/2024", "1.200.000,00", "EUR", "01/03/2024", "31/12/2027", *NO_LOAN],
    ["ZAF-2024-TVET", "Beroepsopleiding in Limpopo", "ZAF-CSP3", "218", "11330", "C01", "22000", "110",
     "development", "15/04/2024", "5.000.000,00", "ZAR", "01/05/2024", "30/04/2026", *NO_LOAN],
    ["CERF-2024", "Kernbijdrage aan CERF 2024", "VN-KERN", "998", "72010", "B02", "41147", "110", "humanitarian",
     "01/03/2024", "600.000,00", "EUR", "01/03/2024", "31/12/2024", *NO_LOAN],
    ["UNESCO-2024", "Kernbijdrage aan UNESCO 2024", "VN-KERN", "998", "99810", "B02", "41304", "110",
     "development", "15/01/2024", "250.000,00", "EUR", "01/01/2024", "31/12/2024", *NO_LOAN],
    ["OESO-2024", "Bijdrage aan de OESO-begroting (deel I)", "VN-KERN", "998", "99810", "B02", "47000", "110",
     "development", "15/01/2024", "180.000,00", "EUR", "01/01/2024", "31/12/2024", *NO_LOAN],
    ["MWI-2024-LOAN", "Concessionele lening irrigatie Shire-vallei", "MWI-CSP4", "253", "31140", "C01", "12001",
     "421", "development", "01/06/2024", "2.000.000,00", "EUR", "01/06/2024", "31/05/2029",
     "2", "2", "0,75", "01/06/2034", "01/06/2054"],
]

SPENDING_HEADERS = ["Boekstuknummer", "Boekingsdatum", "Projectcode", "Bedrag", "Munt", "Omschrijving",
                    "Begrotingsartikel", "Soort"]
SPENDING = [
    ["B-2024-0001", "15/03/2024", "MWI-2024-AGRI", "400.000,00", "EUR", "Eerste schijf", "QB0-1QAD2MZ", "uitbetaling"],
    ["B-2024-0002", "10/07/2024", "MWI-2024-AGRI", "17.500.000,00", "MWK", "Lokale kosten Mzuzu", "QB0-1QAD2MZ",
     "uitbetaling"],
    ["R-2024-0001", "20/11/2024", "MWI-2024-AGRI", "(250,00)", "EUR", "Terugbetaald saldo workshop", "QB0-1QAD2MZ",
     "terugbetaling"],
    ["B-2024-0003", "02/05/2024", "ZAF-2024-TVET", "2.500.000,00", "ZAR", "Eerste schijf", "QB0-1QAD2ZA",
     "uitbetaling"],
    ["B-2024-0004", "05/04/2024", "CERF-2024", "600.000,00", "EUR", "Kernbijdrage", "QB0-1QAD2VN", "uitbetaling"],
    ["B-2024-0005", "20/02/2024", "UNESCO-2024", "250.000,00", "EUR", "Kernbijdrage", "QB0-1QAD2VN", "uitbetaling"],
    ["B-2024-0006", "20/02/2024", "OESO-2024", "180.000,00", "EUR", "Bijdrage deel I", "QB0-1QAD2VN", "uitbetaling"],
    ["B-2024-0007", "15/09/2024", "MWI-2024-LOAN", "500.000,00", "EUR", "Eerste opname", "QB0-1QAD2MZ",
     "uitbetaling"],
]


def units_per_eur(currency: str) -> Decimal:
    per_usd = MWK_2024 if currency == "MWK" else IMF_2024[currency].quantize(E10, ROUND_HALF_EVEN)
    return (per_usd / IMF_2024["EUR"].quantize(E10, ROUND_HALF_EVEN)).quantize(E10, ROUND_HALF_EVEN)


def eur(amount: str, currency: str) -> Decimal:
    return (Decimal(amount) / units_per_eur(currency)).quantize(CENT, ROUND_HALF_EVEN)


def usd(eur_amount: Decimal) -> Decimal:
    eur_per_usd = IMF_2024["EUR"].quantize(E10, ROUND_HALF_EVEN)
    return (eur_amount / eur_per_usd).quantize(CENT, ROUND_HALF_EVEN)


def loan_grant_element(rate=Decimal("0.0075"), discount=Decimal("0.09"), per_year=2,
                       first=date(2034, 6, 1), final=date(2054, 6, 1), start=date(2024, 6, 1)) -> Decimal:
    """Grant element (%) of an annuity loan of 1, disbursed at ``start``, by explicit discounting of its
    debt service: interest each period during the grace period, then equal payments of principal and
    interest from ``first`` to ``final`` (DAC method, the recipient's discount rate)."""
    period_rate = float(rate) / per_year
    period_discount = (1 + float(discount)) ** (1 / per_year) - 1
    months = 12 // per_year
    grace = ((first.year - start.year) * 12 + first.month - start.month) // months
    payments = ((final.year - first.year) * 12 + final.month - first.month) // months + 1
    annuity = period_rate / (1 - (1 + period_rate) ** -payments)
    present = sum(period_rate / (1 + period_discount) ** t for t in range(1, grace))
    present += sum(annuity / (1 + period_discount) ** (grace + k) for k in range(payments))
    return Decimal(str(round(100 * (1 - present), 2)))


def cli(app, *args):
    result = app.test_cli_runner().invoke(args=[str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def crs_2024(app, session, tmp_path):
    session.commit()
    cli(app, "import", "programmes", workbook(tmp_path / "programmas.xlsx", *PROGRAMMES))
    cli(app, "import", "activities", workbook(tmp_path / "activiteiten.xlsx", ACTIVITY_HEADERS, ACTIVITIES))
    cli(app, "import", "spending", workbook(tmp_path / "boekingen-2024.xlsx", SPENDING_HEADERS, SPENDING))
    cli(app, "reference", "load", SHARED)
    rates = workbook(tmp_path / "koersen.xlsx", ["Jaar", "Munt", "Eenheden per USD", "Bron"],
                     [[2024, "MWK", "1.734,50", "DAC-koers 2024 (ODA-dienst)"]])
    cli(app, "import", "rates", rates)
    cli(app, "oda", "classify", "--year", "2024")
    out = tmp_path / "crs-2024.xlsx"
    cli(app, "export", "crs", "--year", "2024", "--out", out)
    sheets = read_sheets(out)
    header, *rows = sheets["CRS"]
    return {"crs": {row[header.index("ProjectNumber")]: dict(zip(header, row)) for row in rows}, "sheets": sheets}


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def test_every_row_of_the_year_is_reported_and_none_is_left_in_review(crs_2024):
    crs = crs_2024["crs"]
    assert sorted(crs) == ["CERF-2024", "MWI-2024-AGRI", "MWI-2024-LOAN", "UNESCO-2024", "ZAF-2024-TVET"]
    review = crs_2024["sheets"]["Needs review"]
    assert len(review) == 1, review  # the header only
    not_oda = {row[4]: row for row in crs_2024["sheets"]["Not ODA"][1:]}
    assert "OESO-2024" in not_oda and "Annex 2" in not_oda["OESO-2024"][-1]


def test_identification_and_derived_items(crs_2024):
    for code, row in crs_2024["crs"].items():
        assert row["Year"] == 2024 and row["DonorCode"] == 2 and row["AgencyCode"] == 70
        assert str(row["CRSid"]).startswith("2024") and len(str(row["CRSid"])) == 10, code
        assert row["InitialReport"] == 1, code  # every commitment was made in 2024
        assert row["FlowCode"] == 10 and row["Currency"] == "EUR"
        assert row["RegionCode"], code
    assert {code: row["IncomegroupCode"] for code, row in crs_2024["crs"].items()} == {
        "MWI-2024-AGRI": "LDC", "MWI-2024-LOAN": "LDC", "ZAF-2024-TVET": "UMIC",
        "CERF-2024": "Unallocated by income", "UNESCO-2024": "Unallocated by income"}
    crs = crs_2024["crs"]
    assert {code: row["Bi_Multi"] for code, row in crs.items()} == {
        "MWI-2024-AGRI": 1, "ZAF-2024-TVET": 1, "CERF-2024": 2, "UNESCO-2024": 2, "MWI-2024-LOAN": 1}
    assert crs["CERF-2024"]["ParentChannelCode"] == 41000 or str(crs["CERF-2024"]["ParentChannelCode"]).startswith("41")
    assert crs["MWI-2024-AGRI"]["RecipientCode"] == 253 and crs["ZAF-2024-TVET"]["RecipientCode"] == 218


def test_commitments_disbursements_and_refunds(crs_2024):
    crs = crs_2024["crs"]
    agri = crs["MWI-2024-AGRI"]
    assert money(agri["Commitment_National"]) == Decimal("1200000.00")
    gross = Decimal("400000.00") + eur("17500000.00", "MWK")
    assert money(agri["Disbursement_National"]) == gross
    assert money(agri["Received_National"]) == Decimal("250.00")
    assert money(agri["USD_Received"]) == usd(Decimal("250.00"))
    assert money(agri["USD_Disbursement"]) == usd(gross)
    tvet = crs["ZAF-2024-TVET"]
    assert money(tvet["Commitment_National"]) == eur("5000000.00", "ZAR")
    assert money(tvet["Disbursement_National"]) == eur("2500000.00", "ZAR")
    assert money(crs["CERF-2024"]["Commitment_National"]) == Decimal("600000.00")
    assert money(crs["CERF-2024"]["Disbursement_National"]) == Decimal("600000.00")
    # UNESCO's core contribution counts at its Annex 2 coefficient (60 %)
    assert money(crs["UNESCO-2024"]["Commitment_National"]) == Decimal("150000.00")
    assert money(crs["UNESCO-2024"]["Disbursement_National"]) == Decimal("150000.00")
    for row in crs.values():  # Flemish grants and loans are untied unless the activity says otherwise
        assert money(row["Untied_National"]) == money(row["Commitment_National"])
        assert not row["PartiallyUntied_National"] and not row["Tied_National"]


def test_grant_equivalents_and_the_loan(crs_2024):
    crs = crs_2024["crs"]
    for code in ("MWI-2024-AGRI", "ZAF-2024-TVET", "CERF-2024", "UNESCO-2024"):
        row = crs[code]
        net = money(row["Disbursement_National"]) - money(row["Received_National"] or 0)
        assert money(row["GrantEquiv"]) == net, code
    loan = crs["MWI-2024-LOAN"]
    assert (loan["Finance_t"], loan["Repaytype"], loan["NumberRepayment"]) == (421, 2, 2)
    assert Decimal(str(loan["Interest1"])) == Decimal("0.75")
    assert loan["Repaydate1"].date() == date(2034, 6, 1) and loan["Repaydate2"].date() == date(2054, 6, 1)
    element = Decimal(str(loan["GrantElement"]))
    assert element >= 45 and abs(element - loan_grant_element()) <= Decimal("0.5")
    # the grant equivalent uses the unrounded grant element: within the cell's rounding (0.005 points)
    assert abs(money(loan["GrantEquiv"]) - Decimal("500000.00") * element / 100) <= Decimal("25.00")


def test_the_summary_reconciles_to_the_cent(crs_2024):
    summary = crs_2024["sheets"]["Summary"]
    text = "\n".join(" ".join("" if v is None else str(v) for v in row) for row in summary)
    assert "OPEN" not in text and "MISMATCH" not in text.upper(), text
    ledger_spending = (Decimal("400000.00") + eur("17500000.00", "MWK") + eur("2500000.00", "ZAR")
                       + Decimal("600000.00") + Decimal("250000.00") + Decimal("180000.00") + Decimal("500000.00"))
    assert f"{ledger_spending - Decimal('250.00'):.2f}" in text or str(float(ledger_spending - 250)) in text
    metadata = "\n".join(" ".join("" if v is None else str(v) for v in row) for row in crs_2024["sheets"]["Metadata"])
    assert "DAC-koers 2024" in metadata and "untied" in metadata.lower()
    assert isinstance(crs_2024["crs"]["CERF-2024"]["CommitmentDate"], datetime)
