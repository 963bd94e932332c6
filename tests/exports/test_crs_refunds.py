"""A refund in the CRS: Amounts received (item 35) of its year, Disbursement_National gross,
and the Summary's net = extended − received, from a ledger extract as finance imports it."""
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.events.dispatcher import dispatch
from exports.reports.queries import oda_by_policy_area
from importers.services import import_file
from oda.services.classify import classify
from programmes.models import ActivityYearTotal, Transaction
from programmes.services.activities import create_activity
from tests.builders.importers import DUTCH_SPENDING_HEADERS, spending_workbook
from tests.exports.test_services_crs import by_project, export, money, table, usd

EXTENDED, RECEIVED, NET = (
    "Spending: ODA extended on the CRS sheet (Disbursement_National)",
    "Spending: ODA received on the CRS sheet (Received_National)",
    "Spending: net ODA (extended − received)")


def _summary(sheets) -> dict:
    return {row[0]: row[1] for row in sheets["Summary"] if row[0]}


def _water_project(session, portfolio):
    return create_activity(session, code="MOZ-2024-WASH", programme_id=portfolio["programmes"]["moz"].id,
                           title="Water and sanitation in Nampula", recipient_code="259", purpose_code="14030",
                           aid_type="C01", channel_code="23000", bi_multi="1", commitment_date=date(2024, 1, 10))


def _import_ledger(session, tmp_path, rows):
    path = spending_workbook(tmp_path / "boekingen-2024.xlsx", rows, headers=DUTCH_SPENDING_HEADERS)
    batch = import_file(session, "spending", str(path), path.name, uploaded_by="finance@vlaanderen.test")
    assert batch.status == "imported", batch.message
    classify(session, everything=True)
    return batch


def test_a_refund_imported_in_brackets_is_an_amount_received(app, session, portfolio, tmp_path):
    water = _water_project(session, portfolio)
    _import_ledger(session, tmp_path, [
        ["B-2024-0801", "01/08/2024", "MOZ-2024-WASH", "1.000,00", "EUR", "Eerste schijf", "QB0", "Uitbetaling"],
        ["T-2024-1105", "05/11/2024", "MOZ-2024-WASH", "(250,00)", "EUR", "Niet besteed", "QB0", "terugbetaling"]])
    session.commit()
    dispatch(app.extensions["aidledger.db"].Session)
    session.expire_all()
    assert session.get(ActivityYearTotal, (water.id, 2024)).disbursed == Decimal("750.00")

    sheets, result = export(session, 2024, tmp_path)
    row = by_project(sheets)["MOZ-2024-WASH"]
    assert money(row["Disbursement_National"]) == Decimal("1000.00")
    assert money(row["Received_National"]) == Decimal("250.00")
    assert (row["USD_Disbursement"], row["USD_Received"]) == (usd("1000.00", 2024), usd("250.00", 2024))

    crs = table(sheets["CRS"])
    extended = sum(money(r["Disbursement_National"]) for r in crs)
    received = sum(money(r["Received_National"] or 0) for r in crs)
    # the portfolio's own refund: 10 000.05 returned on Tradeline in 2024
    assert received == Decimal("10250.05")
    summary = _summary(sheets)
    assert money(summary[EXTENDED]) == extended and money(summary[RECEIVED]) == received
    assert money(summary[NET]) == extended - received == result.totals.spending.oda
    assert money(summary["Spending (disbursements minus refunds): ODA on the CRS sheet"]) == extended - received
    assert summary["Spending: check net = extended − received = ODA on the CRS sheet"] == "OK"
    assert money(summary["Spending (disbursements minus refunds): difference (ledger − CRS − Not ODA − open)"]) == 0
    report = oda_by_policy_area(session, 2024, 2024)[2024]
    assert sum(area["oda"] for area in report.values()) == extended - received, "the ODA summary agrees"


def test_a_year_with_only_a_refund_reports_it_received_and_nothing_extended(session, portfolio, tmp_path):
    _water_project(session, portfolio)
    _import_ledger(session, tmp_path, [
        ["B-2023-0801", "01/08/2023", "MOZ-2024-WASH", "1.000,00", "EUR", "Eerste schijf", "QB0", "Uitbetaling"],
        ["T-2024-0305", "05/03/2024", "MOZ-2024-WASH", "-250,00", "EUR", "Niet besteed", "QB0", "Terugstorting"]])
    sheets, _ = export(session, 2024, tmp_path)
    row = by_project(sheets)["MOZ-2024-WASH"]
    assert (money(row["Disbursement_National"]), money(row["Received_National"])) == (Decimal("0.00"),
                                                                                     Decimal("250.00"))


def test_the_summary_breakdowns_show_what_was_received(session, portfolio, tmp_path):
    sheets, _ = export(session, 2024, tmp_path)
    rows = sheets["Summary"]
    header = next(r for r in rows if r[0] == "RecipientCode")
    assert header[2:9] == ("Rows", "Commitment_National", "Disbursement_National", "Received_National",
                           "USD_Commitment", "USD_Disbursement", "USD_Received")
    for total in (r for r in rows if r[0] == "Total"):
        assert money(total[5]) == Decimal("10000.05")


def test_a_withheld_crs_row_leaves_its_net_open(session, portfolio, tmp_path, monkeypatch):
    """A row lacking a CRS mandatory item is withheld; what stays open is net of its refund."""
    from oda.services import overrides

    _import_ledger(session, tmp_path, [
        ["T-2024-0930", "30/09/2024", "MWI-2024-NR", "(1.500,00)", "EUR", "Terugstorting", "QB0", "terugbetaling"]])
    refund = session.scalar(select(Transaction.id).where(Transaction.document_number == "T-2024-0930"))
    with monkeypatch.context() as before_the_rule:  # overrides made before oda refused them
        before_the_rule.setattr(overrides, "require_crs_items", lambda *_args: None)
        for line in (portfolio["transactions"]["norecipient_2024"].id, refund):
            overrides.override_classification(session, line, "accept", "Farmer field schools in Malawi")
    sheets, result = export(session, 2024, tmp_path)
    withheld = next(r for r in table(sheets["Needs review"])
                    if r["ProjectNumber"] == "MWI-2024-NR" and r["InReconciliationAs"] != "finding")
    assert money(withheld["Amount_EUR"]) == Decimal("8500.00"), "10 000.00 paid − 1 500.00 returned"
    assert "disbursements 8500.00 EUR" in withheld["Reasons"] and not result.sheet_mismatches
    assert money(_summary(sheets)["Spending: net ODA (extended − received)"]) == result.totals.spending.oda
