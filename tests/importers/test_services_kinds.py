"""Programmes, budgets, rates and activities go through the programme services, row by row."""
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.events.models import Event
from app.rates.models import ExchangeRate
from programmes.models import Activity, BudgetLine, Programme
from tests.builders.importers import workbook
from tests.importers.conftest import rows_of

PROGRAMME_HEADERS = ["Programmacode", "Naam", "Soort", "Landcode", "Beginjaar", "Eindjaar", "Beleidsdomein"]
ACTIVITY_HEADERS = ["activity_code", "title", "programme_code", "implementing_organisation", "recipient_code",
                    "purpose_code", "aid_type", "channel_code", "commitment_date", "commitment_amount",
                    "gender marker"]


def test_programmes_are_created_then_updated_with_their_events(session, files, run_import):
    rows = [["MOZ-CSP5", "Mozambique 2026–2030", "landenprogramma", 259, 2026, 2030, "Ontwikkelingssamenwerking"],
            ["FUST", "Flanders UNESCO Science Trust Fund", "multilateral_portfolio", "", 2024, 2027,
             "science_innovation"]]
    first = run_import("programmes", workbook(files / "p1.xlsx", PROGRAMME_HEADERS, rows))
    assert first.status == "imported", [r.reason for r in rows_of(session, first)]
    rows[1][1] = "FUST: water and climate resilience"
    second = run_import("programmes", workbook(files / "p2.xlsx", PROGRAMME_HEADERS, rows))

    assert [r.outcome for r in rows_of(session, second)] == ["unchanged", "updated"]
    fust = session.scalar(select(Programme).where(Programme.code == "FUST"))
    assert fust.name == "FUST: water and climate resilience"
    changed = session.scalar(select(Event).where(Event.type == "ProgrammeChanged"))
    assert changed.payload["changes"]["name"]["before"] == "Flanders UNESCO Science Trust Fund"
    assert changed.correlation_id == f"import-{second.id}"


def test_a_rule_of_the_programme_service_is_an_error_on_its_column(session, files, run_import):
    rows = [["ZAF-CSP", "South Africa", "country_programme", 218, 2026, 2028, "development_cooperation"],
            ["BAD", "Bad kind", "mystery", "", 2026, 2028, "development_cooperation"]]
    batch = run_import("programmes", workbook(files / "p.xlsx", PROGRAMME_HEADERS, rows))
    assert batch.status == "rejected"
    assert [(r.column, r.reason) for r in rows_of(session, batch)] == [
        ("Eindjaar", "a country programme runs five years"),
        ("Soort", "unknown programme kind 'mystery': write one of country_programme, grant_scheme, humanitarian, "
                  "in_donor, multilateral_portfolio")]
    assert session.scalar(select(Programme).where(Programme.code == "ZAF-CSP")) is None


def test_budget_lines_are_set_through_the_service(session, tradeline, files, run_import):
    rows = [["MWI-CSP3", 2020, "", "4.750.000,50"], ["MWI-CSP3", 2021, "311", 250000],
            ["MWI-CSP3", 2022, "", 5000000], ["MWI-CSP3", 2030, "", 1], ["NOPE", 2020, "", 1]]
    batch = run_import("budgets", workbook(files / "b.xlsx", ["Programmacode", "Jaar", "Sector", "Gepland bedrag"],
                                           rows), mode="accept_valid_rows")
    assert [(r.outcome, r.column) for r in rows_of(session, batch)] == [
        ("updated", None), ("imported", None), ("unchanged", None), ("error", "Jaar"),
        ("error", "Programmacode")]
    line = session.scalar(select(BudgetLine).where(BudgetLine.year == 2020, BudgetLine.sector == ""))
    assert line.planned_amount == Decimal("4750000.50")
    event = session.scalar(select(Event).where(Event.type == "BudgetLineChanged").order_by(Event.id.desc()).limit(1))
    assert event.payload["planned_amount"] == {"before": "0", "after": "250000.00"}


def test_exchange_rates_are_set_with_cross_rates(session, files, run_import):
    rows = [[2024, "EUR", "0,923890", "IMF"], [2024, "MWK", 1734.5, "IMF"], [2024, "mwk", 1, "IMF"]]
    batch = run_import("rates", workbook(files / "r.xlsx", ["Jaar", "Munt", "Eenheden per USD", "Bron"], rows))
    assert batch.status == "rejected"
    assert rows_of(session, batch)[2].reason == "the rate of MWK for 2024 appears already on row 3"
    batch = run_import("rates", workbook(files / "r2.xlsx", ["Jaar", "Munt", "Eenheden per USD", "Bron"], rows[:2]))
    assert batch.status == "imported"
    mwk = session.scalar(select(ExchangeRate).where(ExchangeRate.currency == "MWK"))
    assert mwk.units_per_eur == (Decimal("1734.5") / Decimal("0.92389")).quantize(Decimal("1e-10"))


def test_activities_keep_unknown_and_withdrawn_codes_with_a_warning(session, tradeline, files, run_import):
    rows = [["MWI-2024-NEW", "Seed systems in Mzimba", "MWI-CSP3", "Tradeline Corporation Limited", 253, 74010,
             "C01", 61000, date(2021, 3, 1), "1.000.000,00", 1],
            ["MWI-2024-PREP", "Activity in preparation", "MWI-CSP3", "", "", "", "", "", "", "", ""],
            ["MWI-2024-ODD", "Odd codes", "MWI-CSP3", "", 999, 31120, "Z99", "", "", "", ""]]
    batch = run_import("activities", workbook(files / "a.xlsx", ACTIVITY_HEADERS, rows))

    assert batch.status == "imported", [r.reason for r in rows_of(session, batch)]
    results = rows_of(session, batch)
    assert [(r.outcome, r.severity) for r in results] == [("imported", "warning"), ("imported", None),
                                                          ("imported", "warning")]
    assert "purpose_code 74010 is withdrawn" in results[0].reason
    assert {f["column"] for f in results[2].findings} == {"recipient_code", "aid_type"}
    odd = session.scalar(select(Activity).where(Activity.code == "MWI-2024-ODD"))
    assert (odd.recipient_code, odd.aid_type) == ("999", "Z99")  # imported as given, never changed
    new = session.scalar(select(Activity).where(Activity.code == "MWI-2024-NEW"))
    assert (new.organisation.short_name, new.commitment_amount, new.marker_gender) == (
        "TLC", Decimal("1000000.00"), 1)


def test_activity_crs_flags_are_read_from_their_crs_or_dutch_column_and_bad_ones_are_errors(
        session, tradeline, files, run_import):
    headers = ["Activiteitscode", "Titel", "Programmacode", "FTC", "Programmabenadering", "InvestmentProject",
               "AssocFinance"]
    rows = [["MWI-2019-TLC", "Market access for smallholder farmers", "MWI-CSP3", "", "ja", 1, ""],
            ["MWI-2024-TA", "Studies and evaluations in Malawi", "MWI-CSP3", 1, "", "", "nee"]]
    batch = run_import("activities", workbook(files / "flags.xlsx", headers, rows))
    assert batch.status == "imported", [r.reason for r in rows_of(session, batch)]
    tlc, ta = (session.scalar(select(Activity).where(Activity.code == code))
               for code in ("MWI-2019-TLC", "MWI-2024-TA"))
    assert (tlc.flag_ftc, tlc.flag_pba, tlc.flag_investment_project, tlc.flag_associated_financing) == (
        False, True, True, False)
    assert (ta.flag_ftc, ta.flag_pba, ta.flag_investment_project, ta.flag_associated_financing) == (
        True, False, False, False)
    changed = session.scalar(select(Event).where(Event.type == "ActivityChanged"))
    assert changed.payload["changes"]["flag_pba"] == {"before": False, "after": True}

    cleared = run_import("activities", workbook(files / "cleared.xlsx", headers[:5],
                                                [["MWI-2019-TLC", "Market access for smallholder farmers",
                                                  "MWI-CSP3", "", ""]]))
    assert [r.outcome for r in rows_of(session, cleared)] == ["updated"], "a blank flag cell is no flag"
    tlc = session.scalar(select(Activity).where(Activity.code == "MWI-2019-TLC"))
    assert (tlc.flag_pba, tlc.flag_investment_project) == (False, True), "a column left out is not touched"

    before = session.scalar(select(Activity.version).where(Activity.code == "MWI-2019-TLC"))
    bad = run_import("activities", workbook(files / "bad-flags.xlsx", headers[:4],
                                            [["MWI-2019-TLC", "Market access", "MWI-CSP3", 2]]))
    assert bad.status == "rejected"
    assert [(r.column, r.reason) for r in rows_of(session, bad)] == [
        ("FTC", "not a flag: '2'; write 1 (or yes) when it applies, leave it blank otherwise")]
    assert session.scalar(select(Activity.version).where(Activity.code == "MWI-2019-TLC")) == before


def test_activity_updates_are_events_and_bad_references_are_errors(session, tradeline, files, run_import):
    headers = ["Activiteitscode", "Titel", "Programmacode", "Uitvoerende organisatie", "Sectorcode"]
    rows = [["MWI-2019-TLC", "Market access for smallholders (Kasungu, Mzimba)", "MWI-CSP3", "TLC", 31191],
            ["MWI-2024-X", "Unknown partner", "MWI-CSP3", "Nobody Ltd", ""],
            ["MWI-2024-Y", "Unknown programme", "XXX", "", ""]]
    batch = run_import("activities", workbook(files / "a.xlsx", headers, rows), mode="accept_valid_rows")
    assert [(r.outcome, r.column) for r in rows_of(session, batch)] == [
        ("updated", None), ("error", "Uitvoerende organisatie"), ("error", "Programmacode")]
    changed = session.scalar(select(Event).where(Event.type == "ActivityChanged"))
    assert changed.payload["changes"]["purpose_code"] == {"before": "31120", "after": "31191"}
