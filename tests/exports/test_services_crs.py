"""The CRS workbook of the Flemish portfolio, re-read sheet by sheet with openpyxl."""
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from sqlalchemy import select

from exports.crs.columns import CRS_HEADERS
from exports.crs.workbook import build_crs_workbook
from exports.models import CrsIdentifier
from exports.services.crs import crs_context, prepare_crs
from oda.services.classify import classify
from programmes.models import Activity
from programmes.services.activities import update_activity
from tests.builders.exports import EUR_PER_USD, HOSTILE_DESCRIPTION, HOSTILE_GEOGRAPHY, HOSTILE_TITLE, pay
from tests.exports.conftest import read_sheets

EXPECTED_HEADERS = (
    "Year, DonorCode, AgencyCode, CRSid, ProjectNumber, InitialReport, RecipientCode, RecipientName, RegionCode, "
    "IncomegroupCode, ChannelCode, ChannelReportedName, ParentChannelCode, Bi_Multi, FlowCode, Finance_t, Aid_t, "
    "PurposeCode, ShortDescription, ProjectTitle, LongDescription, Geography, CommitmentDate, ExpectedStartDate, "
    "CompletionDate, Currency, Commitment_National, "
    "Disbursement_National, Received_National, USD_Commitment, USD_Disbursement, USD_Received, GrantEquiv, "
    "USD_GrantEquiv, ExchangeRate, Untied_National, PartiallyUntied_National, Tied_National, Repaytype, "
    "NumberRepayment, Interest1, Interest2, Repaydate1, Repaydate2, GrantElement, "
    "Gender, Environment, PDGG, Trade, Biodiversity, ClimateMitigation, ClimateAdaptation, Desertification, RMNCH, "
    "DRR, Nutrition, Disability, FTC, PBA, InvestmentProject, AssocFinance, SDGfocus, Keywords, PolicyArea").split(", ")


def export(session, year, tmp_path, donor="2", agency="70"):
    ids = prepare_crs(session, year)
    ctx = crs_context(session, year, final=False, generated_by="oda.officer@vlaanderen.test",
                      donor_code=donor, agency_code=agency)
    path = tmp_path / f"crs-{year}.xlsx"
    result = build_crs_workbook(session, ctx, str(path), ids)
    return read_sheets(path), result


def table(rows) -> list[dict]:
    header = rows[0]
    return [dict(zip(header, row)) for row in rows[1:]]


def open_lines(sheets) -> list[dict]:
    """The Needs review sheet's lines (amounts), without the findings about commitments."""
    return [r for r in table(sheets["Needs review"]) if r["InReconciliationAs"] == "open"]


def by_project(sheets) -> dict[str, dict]:
    return {row["ProjectNumber"]: row for row in table(sheets["CRS"])}


def money(value) -> Decimal:
    """A re-read cell amount as exact cents (xlsx stores doubles)."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


def usd(eur: str, year: int) -> float:
    return float((Decimal(eur) / EUR_PER_USD[year]).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))


def test_sheets_and_the_exact_crs_header(session, portfolio, tmp_path):
    sheets, _result = export(session, 2024, tmp_path)
    assert list(sheets) == ["CRS", "Not ODA", "Needs review", "Summary", "Metadata"]
    assert list(sheets["CRS"][0]) == EXPECTED_HEADERS == list(CRS_HEADERS)


def test_one_row_per_activity_with_oda_and_values_of_the_right_type(session, portfolio, tmp_path):
    rows = by_project(export(session, 2024, tmp_path)[0])
    assert set(rows) == {"MWI-2023-TLC", "CERF-CORE", "UNESCO-CORE", "FUST-2024", "MOZ-2023-SRHR",
                         "ZAF-2022-BATTERY"}, "not-ODA and open activities have no CRS row"
    tlc = rows["MWI-2023-TLC"]
    assert (tlc["Year"], tlc["DonorCode"], tlc["AgencyCode"]) == (2024, 2, 70)
    assert (tlc["RecipientCode"], tlc["RecipientName"], tlc["ChannelCode"]) == (253, "Malawi", 61000)
    assert tlc["ChannelReportedName"] == "Tradeline Corporation Limited"
    assert (tlc["Bi_Multi"], tlc["FlowCode"], tlc["Finance_t"], tlc["Aid_t"], tlc["PurposeCode"]) == (
        1, 10, 110, "C01", 31120)
    assert tlc["CommitmentDate"] == datetime(2023, 3, 1) and isinstance(tlc["ExpectedStartDate"], datetime)
    assert tlc["CompletionDate"] == datetime(2026, 12, 31)
    assert tlc["Currency"] == "EUR" and tlc["PolicyArea"] == "development_cooperation"
    for column in ("Year", "Commitment_National", "Disbursement_National", "USD_Disbursement", "ExchangeRate",
                   "RecipientCode", "PurposeCode"):
        assert isinstance(tlc[column], (int, float)) and not isinstance(tlc[column], bool), column


def test_amounts_in_eur_and_usd_at_the_years_dac_rate(session, portfolio, tmp_path):
    rows = by_project(export(session, 2024, tmp_path)[0])
    tlc = rows["MWI-2023-TLC"]
    # 350 000.20 paid (extended, gross), 10 000.05 refunded (received) in 2024; committed in 2023
    assert money(tlc["Disbursement_National"]) == Decimal("350000.20")
    assert money(tlc["Received_National"]) == Decimal("10000.05")
    assert money(tlc["Commitment_National"]) == Decimal("0.00")
    assert (tlc["USD_Disbursement"], tlc["USD_Received"]) == (usd("350000.20", 2024), usd("10000.05", 2024))
    assert tlc["ExchangeRate"] == float(EUR_PER_USD[2024])
    fust = rows["FUST-2024"]
    assert money(fust["Commitment_National"]) == Decimal("900000.00"), "the full amount in the year of signature"
    assert fust["USD_Commitment"] == usd("900000.00", 2024)
    cerf = rows["CERF-CORE"]
    assert money(cerf["Disbursement_National"]) == Decimal("600000.00")
    assert cerf["USD_Disbursement"] == 649427.96  # 600 000 / 0.923890 (oda-reference.md §6)


def test_core_contribution_at_its_coefficient_share(session, portfolio, tmp_path):
    sheets, _ = export(session, 2024, tmp_path)
    unesco = by_project(sheets)["UNESCO-CORE"]
    assert money(unesco["Disbursement_National"]) == Decimal("92000.00"), "60 % of 153 333.33"
    assert (unesco["Bi_Multi"], unesco["Aid_t"], unesco["ChannelCode"]) == (2, "B02", 41304)
    not_oda = {row["ProjectNumber"]: row for row in table(sheets["Not ODA"])}
    line = not_oda["UNESCO-CORE"]
    assert money(line["NonODA_Disbursement_EUR"]) == Decimal("61333.33")
    assert line["ODAShare"] == 0.6 and line["Status"] == "eligible"
    assert "60 %" in line["Reasons"]
    cerf = by_project(sheets)["CERF-CORE"]
    assert money(cerf["Disbursement_National"]) == Decimal("600000.00"), "CERF core is 100 % ODA"
    assert "CERF-CORE" not in not_oda


def test_hostile_titles_come_back_as_text(session, portfolio, tmp_path):
    row = by_project(export(session, 2024, tmp_path)[0])["MOZ-2023-SRHR"]
    assert row["ProjectTitle"] == HOSTILE_TITLE and row["ShortDescription"] == HOSTILE_TITLE
    assert row["Geography"] == HOSTILE_GEOGRAPHY
    assert row["LongDescription"] == HOSTILE_DESCRIPTION


def test_formulas_nowhere_in_the_file(session, portfolio, tmp_path):
    from openpyxl import load_workbook

    export(session, 2024, tmp_path)
    book = load_workbook(tmp_path / "crs-2024.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
    book.close()


def test_markers_on_their_scales_and_blank_when_not_screened(session, portfolio, tmp_path):
    rows = by_project(export(session, 2024, tmp_path)[0])
    moz, climate, cerf = rows["MOZ-2023-SRHR"], rows["ZAF-2022-BATTERY"], rows["CERF-CORE"]
    assert (moz["Gender"], moz["RMNCH"]) == (2, 4)
    assert (climate["ClimateAdaptation"], climate["ClimateMitigation"]) == (2, 1)
    assert rows["MWI-2023-TLC"]["Gender"] == 1
    for column in ("Gender", "Environment", "ClimateAdaptation", "Desertification", "RMNCH", "DRR"):
        assert cerf[column] is None, f"{column}: not screened must stay blank, not 0"


def test_crs_flags_are_1_where_the_activity_sets_them_and_blank_elsewhere(session, portfolio, tmp_path):
    srhr = session.scalar(select(Activity).where(Activity.code == "MOZ-2023-SRHR"))
    update_activity(session, srhr, flag_pba=True, flag_ftc=True)
    battery = session.scalar(select(Activity).where(Activity.code == "ZAF-2022-BATTERY"))
    update_activity(session, battery, flag_investment_project=True, flag_associated_financing=True)
    classify(session, year=2024)
    rows = by_project(export(session, 2024, tmp_path)[0])
    flags = ("FTC", "PBA", "InvestmentProject", "AssocFinance")
    assert tuple(rows["MOZ-2023-SRHR"][f] for f in flags) == (1, 1, None, None)
    assert tuple(rows["ZAF-2022-BATTERY"][f] for f in flags) == (None, None, 1, 1)
    assert tuple(rows["MWI-2023-TLC"][f] for f in flags) == (None, None, None, None), "blank, never 0"


def test_initial_report_new_in_the_commitment_year_previously_reported_later(session, portfolio, tmp_path):
    rows_2023 = by_project(export(session, 2023, tmp_path)[0])
    rows_2024 = by_project(export(session, 2024, tmp_path)[0])
    assert rows_2023["MWI-2023-TLC"]["InitialReport"] == 1
    assert money(rows_2023["MWI-2023-TLC"]["Commitment_National"]) == Decimal("1600000.00")
    assert money(rows_2023["MWI-2023-TLC"]["Disbursement_National"]) == Decimal("400000.10")
    assert rows_2024["MWI-2023-TLC"]["InitialReport"] == 3
    assert rows_2024["FUST-2024"]["InitialReport"] == 1
    assert rows_2024["ZAF-2022-BATTERY"]["InitialReport"] == 3, "committed in 2022"


def test_crs_ids_have_ten_digits_start_with_the_commitment_year_and_never_change(session, portfolio, tmp_path):
    first = by_project(export(session, 2023, tmp_path)[0])
    tlc_id = first["MWI-2023-TLC"]["CRSid"]
    assert len(tlc_id) == 10 and tlc_id.isdigit() and tlc_id.startswith("2023")
    # the activity changes and the next year is exported: the number stays
    update_activity(session, portfolio["activities"]["tradeline"], commitment_date=date(2022, 12, 15),
                    title="Market access for smallholders (phase 2)")
    classify(session, everything=True)
    second = by_project(export(session, 2024, tmp_path)[0])
    assert second["MWI-2023-TLC"]["CRSid"] == tlc_id
    assert second["MOZ-2023-SRHR"]["CRSid"] == first["MOZ-2023-SRHR"]["CRSid"]
    assert second["FUST-2024"]["CRSid"].startswith("2024")
    assert second["ZAF-2022-BATTERY"]["CRSid"].startswith("2022")
    ids = [row["CRSid"] for row in second.values()]
    assert len(set(ids)) == len(ids)
    stored = session.scalar(select(CrsIdentifier).where(
        CrsIdentifier.activity_id == portfolio["activities"]["tradeline"].id))
    assert (stored.crs_id, stored.commitment_year, stored.assigned_for_year) == (tlc_id, 2023, 2023)


def test_a_year_whose_six_digit_sequence_is_used_up_is_refused(session, portfolio):
    """The millionth activity committed in one year would get an eleven-digit number:
    the hand-out is refused and the caller rolls it back."""
    from exports.crs.identifiers import CrsIdError

    climate = portfolio["activities"]["climate"]
    session.add(CrsIdentifier(activity_id=climate.id, crs_id="2023999999", commitment_year=2023,
                              commitment_date=date(2023, 1, 2), assigned_for_year=2023))
    session.flush()
    with pytest.raises(CrsIdError, match="more than 999,999 activities"):
        prepare_crs(session, 2023)


def test_region_income_group_parent_channel_and_bi_multi_come_from_the_reference_data(session, portfolio,
                                                                                    tmp_path):
    sheets, _ = export(session, 2024, tmp_path)
    rows = by_project(sheets)
    tlc, cerf, fust = rows["MWI-2023-TLC"], rows["CERF-CORE"], rows["FUST-2024"]
    assert (tlc["RegionCode"], tlc["IncomegroupCode"], tlc["ParentChannelCode"]) == (1027, "LDC", 60000)
    assert (cerf["RegionCode"], cerf["IncomegroupCode"], cerf["ParentChannelCode"], cerf["Bi_Multi"]) == (
        998, "Unallocated by income", 41400, 2)
    assert (fust["RegionCode"], fust["Bi_Multi"]) == (1029, 1), "a regional code is its own region; B033 is bilateral"
    metadata = dict(sheets["Metadata"][1:])
    assert metadata["DAC List of ODA Recipients: DAC List 2024-2025 (curated)"].startswith("3 CRS rows: 218 South")
    assert metadata["Annex 2 table: 2019 (curated)"] == "2 CRS rows: 41147 CERF (100 %), 41304 UNESCO (60 %)"


def test_an_empty_bi_multi_is_derived_in_the_crs_row(session, portfolio, tmp_path):
    update_activity(session, portfolio["activities"]["cerf"], bi_multi=None)
    update_activity(session, portfolio["activities"]["tradeline"], bi_multi=None)
    classify(session, everything=True)
    rows = by_project(export(session, 2024, tmp_path)[0])
    assert (rows["CERF-CORE"]["Bi_Multi"], rows["MWI-2023-TLC"]["Bi_Multi"]) == (2, 1)


def test_donor_and_agency_codes_come_from_configuration(session, portfolio, tmp_path):
    sheets, _ = export(session, 2024, tmp_path, donor="301", agency="12")
    row = table(sheets["CRS"])[0]
    assert (row["DonorCode"], row["AgencyCode"]) == (301, 12)
    metadata = dict(sheets["Metadata"][1:])
    assert (metadata["Donor code"], metadata["Agency code"]) == ("301", "12")


def test_not_oda_and_needs_review_sheets(session, portfolio, tmp_path):
    sheets, result = export(session, 2024, tmp_path)
    not_oda = {row["ProjectNumber"]: row for row in table(sheets["Not ODA"])}
    assert set(not_oda) == {"UNESCO-CORE", "CHL-2024-HERITAGE", "FTP-2024-UNESCO"}
    chile = not_oda["CHL-2024-HERITAGE"]
    assert chile["Status"] == "not_eligible" and money(chile["NonODA_Disbursement_EUR"]) == Decimal("80000.00")
    assert "not on the DAC List" in chile["Reasons"] and isinstance(chile["Date"], datetime)
    assert "donor" in not_oda["FTP-2024-UNESCO"]["Reasons"]
    assert not_oda["UNESCO-CORE"]["Reasons"].startswith(
        "partly ODA: 60 % counted in the CRS row of UNESCO-CORE; this is the remaining 40 % | multilateral:")
    assert "partly ODA" not in chile["Reasons"], "not ODA at all"
    review = open_lines(sheets)
    assert [(r["ProjectNumber"], r["Open"]) for r in review] == [("MWI-2024-NR", "needs review")]
    assert "recipient" in review[0]["Reasons"].lower()
    findings = [(r["ProjectNumber"], r["Open"]) for r in table(sheets["Needs review"]) if r not in review]
    assert findings == [(code, "no commitment recorded") for code in ("MWI-2024-NR", "UNESCO-CORE",
                                                                        "ZAF-2022-BATTERY")], "dated, no amount"
    assert result.open_counts == {"needs_review": 1, "not_classified": 0, "withheld_crs_rows": 0,
                                  "commitments_disagreeing": 0, "commitments_missing": 3}


def test_unclassified_transactions_are_listed_as_open(session, portfolio, tmp_path):
    """CERF's first line in dollars: no evaluation of (CERF, 2024, USD) exists until the job runs."""
    pay(session, portfolio["activities"]["cerf"], date(2024, 11, 5), "1000.00", "B-2024-1105", currency="USD")
    sheets, result = export(session, 2024, tmp_path)
    review = {r["DocumentNumber"]: r for r in table(sheets["Needs review"])}
    assert review["B-2024-1105"]["Open"] == "not classified"
    assert result.open_counts["not_classified"] == 1


def _summary(sheets) -> dict:
    return {row[0]: row[1] for row in sheets["Summary"] if row[0]}


def net_crs(sheets) -> Decimal:
    """Net ODA disbursements of the CRS sheet: extended − received (CRS items 34 and 35)."""
    return sum(money(r["Disbursement_National"]) - money(r["Received_National"] or 0) for r in table(sheets["CRS"]))


def test_reconciliation_to_the_cent_from_the_sheets_themselves(session, portfolio, tmp_path):
    sheets, result = export(session, 2024, tmp_path)
    crs = net_crs(sheets)
    not_oda = sum(money(r["NonODA_Disbursement_EUR"] or 0) for r in table(sheets["Not ODA"]))
    open_ = sum(money(r["Amount_EUR"]) * (-1 if r["Kind"] == "refund" else 1) for r in open_lines(sheets))
    ledger = Decimal("2416985.98")  # every 2024 disbursement minus the refund, from the builder
    assert crs + not_oda + open_ == ledger
    assert crs == Decimal("2261952.65")
    spending = result.totals.spending
    assert (spending.ledger, spending.oda, spending.non_oda, spending.still_open) == (
        ledger, crs, not_oda, open_)
    summary = _summary(sheets)
    spent = "Spending (disbursements minus refunds)"
    assert money(summary[f"{spent}: total in the ledger for the year"]) == ledger
    assert money(summary[f"{spent}: ODA on the CRS sheet"]) == crs
    assert money(summary[f"{spent}: difference (ledger − CRS − Not ODA − open)"]) == 0
    assert summary[f"{spent}: check CRS + Not ODA = ledger total"] == "OPEN: 10000.00 still in review"
    assert summary["Commitments: check CRS + Not ODA = ledger total"] == "OK"


def test_reconciliation_is_ok_once_nothing_is_open(session, portfolio, tmp_path):
    update_activity(session, portfolio["activities"]["norecipient"], recipient_code="253")
    classify(session, everything=True)
    sheets, result = export(session, 2024, tmp_path)
    crs = net_crs(sheets)
    not_oda = sum(money(r["NonODA_Disbursement_EUR"] or 0) for r in table(sheets["Not ODA"]))
    assert crs + not_oda == Decimal("2416985.98")
    assert result.totals.spending.reconciled and result.totals.commitments.reconciled
    checks = [row[1] for row in sheets["Summary"] if str(row[0]).endswith("check CRS + Not ODA = ledger total")]
    assert checks == ["OK", "OK"]


def test_summary_breakdowns_add_up_to_the_crs_sheet(session, portfolio, tmp_path):
    sheets, _ = export(session, 2024, tmp_path)
    rows = sheets["Summary"]
    totals = [row for row in rows if row[0] == "Total"]
    assert len(totals) == 5, "recipient, sector, channel category, bi/multi, policy area"
    for row in totals:  # extended 2 271 952.70 − received 10 000.05 (Tradeline's refund) = the net above
        assert (money(row[4]), money(row[5]), row[2]) == (Decimal("2271952.70"), Decimal("10000.05"), 6)
    policy = {row[0]: row for row in rows if row[0] in ("development_cooperation", "science_innovation")}
    assert money(policy["science_innovation"][4]) == Decimal("450000.00")
    bi_multi = {row[1]: row for row in rows if row[1] in ("Bilateral", "Multilateral")}
    assert money(bi_multi["Multilateral"][4]) == Decimal("692000.00")
    recipients = [row[0] for row in rows[rows.index(next(r for r in rows if r[0] == "By recipient")) + 2:]][:5]
    assert recipients == [218, 253, 259, 998, 1029]


def test_metadata_names_rate_versions_author_and_counts(session, portfolio, tmp_path):
    sheets, _ = export(session, 2024, tmp_path)
    meta = dict(sheets["Metadata"][1:])
    assert meta["Reporting year"] == 2024
    assert meta["Exchange rate (EUR per USD)"] == float(EUR_PER_USD[2024])
    assert "IMF" in meta["Exchange rate source"]
    assert meta["Rules versions used"] and meta["Reference-data versions used"] != "none"
    assert meta["Generated by"] == "oda.officer@vlaanderen.test"
    assert isinstance(meta["Generated at (UTC)"], datetime)
    assert (meta["CRS rows"], meta["Not ODA rows"], meta["Needs review rows"]) == (6, 3, 1 + 3), "3 findings"
    assert meta["Kind"] == "DRAFT"


def test_missing_rate_leaves_usd_blank_and_says_so(session, portfolio, tmp_path):
    pay(session, portfolio["activities"]["cerf"], date(2025, 5, 2), "600000.00", "B-2025-0502")
    classify(session, everything=True)
    sheets, _ = export(session, 2025, tmp_path)
    row = by_project(sheets)["CERF-CORE"]
    assert money(row["Disbursement_National"]) == Decimal("600000.00")
    assert row["USD_Disbursement"] is None and row["ExchangeRate"] is None
    assert dict(sheets["Metadata"][1:])["Exchange rate (EUR per USD)"] == "MISSING"


@pytest.mark.parametrize("year", [2022, 2030])
def test_a_year_without_spending_gives_empty_sheets_that_reconcile(session, portfolio, tmp_path, year):
    sheets, result = export(session, year, tmp_path)
    assert sheets["CRS"] == [tuple(EXPECTED_HEADERS)]
    assert result.totals.spending.reconciled


def test_an_override_is_shown_with_who_and_why(session, portfolio, tmp_path):
    from oda.services.overrides import override_classification

    override_classification(session, portfolio["transactions"]["trainee_2024"].id, "set_share",
                            "Internship in Maputo: developmental, counted in part", share="50 %")
    sheets, _ = export(session, 2024, tmp_path)
    line = {r["ProjectNumber"]: r for r in table(sheets["Not ODA"])}["FTP-2024-UNESCO"]
    assert line["Status"] == "eligible" and line["ODAShare"] == 0.5
    assert money(line["NonODA_Disbursement_EUR"]) == Decimal("1850.00")
    assert "override (set_share) by tests@aidledger.test" in line["Reasons"] and "Maputo" in line["Reasons"]
    assert line["Reasons"].startswith("partly ODA: 50 % counted in the CRS row of FTP-2024-UNESCO; this is the "
                                      "remaining 50 %")
    assert money(by_project(sheets)["FTP-2024-UNESCO"]["Disbursement_National"]) == Decimal("1850.00")


def test_an_override_made_before_the_crs_items_rule_is_withheld_then_open_to_reconfirm(
        session, portfolio, tmp_path, monkeypatch):
    """Issue 16, defect 6: an accept on an activity without recipient wrote a CRS row with an
    empty RecipientCode. Such an override (made before oda refused it) now never reaches the
    CRS sheet: the row is a finding on Needs review, and the next classification flags it."""
    from exports.services.crs import FinalRefused, check_final
    from oda.services import overrides

    with monkeypatch.context() as before_the_rule:
        before_the_rule.setattr(overrides, "require_crs_items", lambda *_args: None)
        overrides.override_classification(session, portfolio["transactions"]["norecipient_2024"].id, "accept",
                                          "Farmer field schools in Malawi: the recipient follows")
    sheets, result = export(session, 2024, tmp_path)
    assert "MWI-2024-NR" not in by_project(sheets)
    assert all(row["RecipientCode"] and row["ChannelCode"] for row in table(sheets["CRS"]))
    review = {r["ProjectNumber"]: r for r in open_lines(sheets)}
    withheld = review["MWI-2024-NR"]
    assert (withheld["Open"], money(withheld["Amount_EUR"])) == ("CRS row withheld", Decimal("10000.00"))
    assert "it lacks RecipientCode (recipient)" in withheld["Reasons"]
    assert result.open_counts["withheld_crs_rows"] == 1 and not result.sheet_mismatches
    crs = net_crs(sheets)
    not_oda = sum(money(r["NonODA_Disbursement_EUR"] or 0) for r in table(sheets["Not ODA"]))
    open_ = sum(money(r["Amount_EUR"]) * (-1 if r["Kind"] == "refund" else 1) for r in open_lines(sheets))
    assert crs + not_oda + open_ == Decimal("2416985.98") and crs == Decimal("2261952.65")
    assert _summary(sheets)["Spending (disbursements minus refunds): check CRS + Not ODA = ledger total"] == (
        "OPEN: 10000.00 still in review")
    with pytest.raises(FinalRefused, match="1 CRS row\\(s\\) lack a CRS mandatory item"):
        check_final(session, 2024, result.open_counts)

    classify(session, everything=True)
    sheets, result = export(session, 2024, tmp_path)
    review = {r["ProjectNumber"]: r for r in open_lines(sheets)}
    assert review["MWI-2024-NR"]["Open"] == "override to reconfirm"
    assert "override (accept)" in review["MWI-2024-NR"]["Reasons"]
    assert "MWI-2024-NR" not in by_project(sheets)
    assert (result.open_counts["needs_review"], result.open_counts["withheld_crs_rows"]) == (1, 0)


@pytest.mark.parametrize("eur", ["600000.00", "0.01", "-10000.05", "340000.15", "1119810.00", "0.00"])
def test_usd_in_integer_cents_equals_exact_decimal_division(eur):
    from exports.crs.rows import usd_cents

    rate = EUR_PER_USD[2024]
    exact = (Decimal(eur) / rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    assert Decimal(usd_cents(int(Decimal(eur) * 100), int(rate.scaleb(10)))).scaleb(-2) == exact
    assert usd_cents(100, None) is None


def test_usd_rounds_half_to_even():
    from exports.crs.rows import usd_cents

    # rate 2: 1 cent → 0.5 cent → 0 (even); 3 cents → 1.5 → 2 (even); -3 → -2
    two = 2 * 10**10
    assert (usd_cents(1, two), usd_cents(3, two), usd_cents(-3, two)) == (0, 2, -2)


def test_crs_ids_are_the_same_whichever_way_the_first_dates_are_read(session, portfolio):
    from exports.crs import queries

    activities = portfolio["activities"]
    wanted = [activities[name].id for name in ("tradeline", "cerf", "fust", "climate")]

    def dates(many):
        found = queries.first_dates(session, select(Activity.id).where(Activity.id.in_(wanted)), many)
        return {row.activity_id: (str(row.first_commitment) if row.first_commitment else None, str(row.first)[:10])
                for row in session.execute(select(found))}

    looked_up = dates(many=False)
    assert dates(many=True) == looked_up
    assert looked_up[activities["cerf"].id] == (None, "2023-05-29"), "first disbursement"
    assert looked_up[activities["tradeline"].id] == ("2023-03-01", "2023-03-01")


def test_codes_that_are_not_plain_digits_stay_text():
    from exports.crs.rows import code

    assert (code("253"), code(" 41147 "), code("B02"), code("²"), code(""), code(None)) == (
        253, 41147, "B02", "²", None, None)


def test_marker_columns_follow_the_activity_markers_in_order():
    from exports.crs.columns import CRS_HEADERS, MARKER_COLUMNS
    from exports.crs.queries import MARKER_NAMES

    assert tuple(attribute for _column, attribute in MARKER_COLUMNS) == MARKER_NAMES
    first = CRS_HEADERS.index("Gender")
    assert CRS_HEADERS[first:first + 12] == tuple(column for column, _attribute in MARKER_COLUMNS)
