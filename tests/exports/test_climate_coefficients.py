"""Climate finance at the Rio-marker coefficients: principal 100 %, significant 40 % by default,
set per installation, written on the report; a line marked for both objectives counted once."""
from decimal import Decimal

import pytest

from app.auth.roles import Role
from app.config import load_config
from exports.reports.oda_summary import (ADAPTATION_ONLY, CROSS_CUTTING, MITIGATION_ONLY, TOTAL, RioCoefficients,
                                         climate_finance)
from tests.builders.exports import classified_portfolio
from tests.builders.web import web  # noqa: F401
from tests.exports.conftest import read_sheets

D = Decimal


def test_significant_counts_40_percent_and_a_line_marked_twice_once_at_the_higher(session, portfolio):
    """2024: Tradeline adaptation 1 (340 000.15); battery storage adaptation 2 + mitigation 1 (500 000)."""
    c2024 = {c.year: c for c in climate_finance(session, 2023, 2024)}[2024]
    assert c2024.get(ADAPTATION_ONLY, "significant_counted") == D("136000.06")
    assert c2024.counted(CROSS_CUTTING) == D("500000.00"), "principal on one side: 100 %, counted once"
    assert c2024.counted(MITIGATION_ONLY) == 0
    assert c2024.counted(TOTAL) == D("636000.06") == sum(
        (c2024.counted(c) for c in (ADAPTATION_ONLY, MITIGATION_ONLY, CROSS_CUTTING)), D(0))
    assert c2024.counted("adaptation_all") == D("636000.06")
    assert c2024.counted("mitigation_all") == D("200000.00"), "the overlap view: mitigation is significant there"
    assert (c2024.get(TOTAL, "principal"), c2024.get(TOTAL, "significant")) == (D("500000.00"), D("340000.15"))


def test_the_installations_coefficients_apply_to_the_cent_half_to_even(session, portfolio):
    years = {c.year: c for c in climate_finance(session, 2023, 2024, RioCoefficients(D("0.8"), D("0.5")))}
    assert years[2024].get(ADAPTATION_ONLY, "significant_counted") == D("170000.08"), "170 000.075 → .08"
    assert years[2024].counted(TOTAL) == D("570000.08")
    assert years[2023].counted(TOTAL) == D("200000.05"), "400 000.10 × 50 %"


@pytest.mark.parametrize("principal, significant, percents", [
    (None, None, (D("100.00"), D("40.00"))), ("100", "50", (D("100.00"), D("50.00"))),
    ("80 %", "37,5", (D("80.00"), D("37.50"))), ("0", "0", (D("0.00"), D("0.00")))])
def test_coefficients_are_set_per_installation(monkeypatch, principal, significant, percents):
    for name, value in (("AIDLEDGER_RIO_PRINCIPAL_PERCENT", principal), ("AIDLEDGER_RIO_SIGNIFICANT_PERCENT",
                                                                         significant)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    config = load_config()
    assert (config["AIDLEDGER_RIO_PRINCIPAL_PERCENT"], config["AIDLEDGER_RIO_SIGNIFICANT_PERCENT"]) == percents


@pytest.mark.parametrize("name, value, message", [
    ("AIDLEDGER_RIO_SIGNIFICANT_PERCENT", "forty", "percentage from 0 to 100"),
    ("AIDLEDGER_RIO_SIGNIFICANT_PERCENT", "140", "percentage from 0 to 100"),
    ("AIDLEDGER_RIO_SIGNIFICANT_PERCENT", "-1", "percentage from 0 to 100"),
    ("AIDLEDGER_RIO_SIGNIFICANT_PERCENT", "40.125", "at most two decimals"),
    ("AIDLEDGER_RIO_SIGNIFICANT_PERCENT", "NaN", "percentage from 0 to 100"),
    ("AIDLEDGER_RIO_SIGNIFICANT_PERCENT", "9" * 5000, "percentage from 0 to 100"),
    ("AIDLEDGER_RIO_PRINCIPAL_PERCENT", "30", "more than AIDLEDGER_RIO_PRINCIPAL_PERCENT"),
])
def test_a_bad_coefficient_stops_the_application_with_a_clear_message(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(RuntimeError, match=message):
        load_config()


@pytest.fixture
def world(web):
    web.seed(classified_portfolio)
    web.dispatch()
    return web


def test_the_report_states_and_applies_the_coefficients(world, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "AIDLEDGER_RIO_SIGNIFICANT_PERCENT", D("50.00"))
    out = tmp_path / "oda.xlsx"
    result = app.test_cli_runner().invoke(args=["export", "oda-summary", "--from", "2023", "--to", "2024",
                                                "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    sheets = read_sheets(out)
    header, y2023, y2024 = sheets["Climate finance"][:3]
    assert header[4:] == ("Principal counted (× 100 %, EUR)", "Significant counted (× 50 %, EUR)",
                          "Climate finance counted (EUR)")
    assert y2024 == (2024, "Total climate-related (no double counting)", 500000, 340000.15, 500000, 170000.08,
                     670000.08)
    assert y2023[6] == 200000.05
    coefficients = next(row for row in sheets["Climate finance"] if row[0] == "Coefficients")
    assert "principal (marker 2) counted at 100 %, significant (marker 1) at 50 %" in coefficients[1]
    metadata = {row[0]: row[1] for row in sheets["Metadata"]}
    assert metadata["Climate finance coefficients"].startswith("principal (marker 2) counted at 100 %")


def test_the_reports_page_states_the_coefficients(world):
    client = world.signed_in(Role.ODA_OFFICER)
    html = client.get("/exports/reports?from=2023&to=2024").get_data(as_text=True)
    hint = html[html.index('id="climate-coefficients"'):]
    assert "at 100.0% and significant (marker 1) at 40.0%" in hint
    climate = html[html.index('id="climate-table"'):]
    assert "€636,000.06" in climate and "€136,000.06" in climate
