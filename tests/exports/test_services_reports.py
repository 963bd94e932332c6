"""The yearly reports: ODA by policy area, climate finance, budget execution (data and xlsx)."""
import zipfile
from datetime import datetime
from decimal import Decimal

from app.events.dispatcher import dispatch
from exports.reports.budget_execution import budget_execution
from exports.reports.oda_summary import (ADAPTATION_ONLY, CROSS_CUTTING, MITIGATION_ONLY, TOTAL, climate_finance,
                                         oda_by_policy_area)
from exports.reports.workbooks import write_budget_execution, write_oda_summary
from programmes.services.programmes import set_budget_line
from tests.exports.conftest import read_sheets

D = Decimal


def test_oda_by_policy_area_splits_development_cooperation_from_other_oda(session, portfolio):
    years = {y.year: y for y in oda_by_policy_area(session, 2022, 2024)}
    assert years[2022].total == 0 and years[2022].development_share is None
    y2023 = years[2023]
    assert y2023.development == D("1000000.10") and y2023.other == 0 and y2023.development_share == 1
    y2024 = years[2024]
    # ODA net disbursements 2024: 2 261 952.65 of which FUST (science policy area) 450 000
    assert (y2024.development, y2024.other, y2024.total) == (D("1811952.65"), D("450000.00"), D("2261952.65"))
    assert y2024.by_area == {"development_cooperation": D("1811952.65"), "science_innovation": D("450000.00")}
    assert round(y2024.development_share, 4) == D("0.8011")
    assert y2024.still_open == D("10000.00"), "the open review is shown apart, not counted"


def test_climate_finance_counts_an_activity_marked_twice_once(session, portfolio):
    years = {c.year: c for c in climate_finance(session, 2023, 2024)}
    c2024 = years[2024]
    # Tradeline: adaptation 1 (340 000.15 net in 2024); battery storage: adaptation 2 + mitigation 1 (500 000)
    assert c2024.get(ADAPTATION_ONLY, "significant") == D("340000.15")
    assert c2024.get(ADAPTATION_ONLY, "principal") == 0
    assert c2024.get(CROSS_CUTTING, "principal") == D("500000.00")
    assert c2024.get(MITIGATION_ONLY, "principal") == c2024.get(MITIGATION_ONLY, "significant") == 0
    assert c2024.get(TOTAL, "principal") + c2024.get(TOTAL, "significant") == D("840000.15")
    assert c2024.get("adaptation_all", "principal") == D("500000.00")
    assert c2024.get("mitigation_all", "significant") == D("500000.00"), "the overlap view shows it on both sides"
    assert years[2023].get(ADAPTATION_ONLY, "significant") == D("400000.10")


def test_budget_execution_per_partner_country(session, portfolio):
    mwi = portfolio["programmes"]["mwi"]
    set_budget_line(session, mwi, 2023, D("5000000.00"))
    session.flush()
    dispatch(_factory(session))
    report = budget_execution(session, 2023, 2023, None)
    blocks = {b.code: b for b in report.countries}
    malawi = blocks["253"]
    assert malawi.name == "Malawi"
    line = next(x for x in malawi.lines if x.programme_code == "MWI-CSP3")
    assert (line.totals.planned, line.totals.committed, line.totals.disbursed) == (
        D("5000000.00"), D("1600000.00"), D("400000.10"))
    assert line.remaining == D("4599999.90")
    assert report.countries[-1].code == "", "programmes without a partner country come last"
    scoped = budget_execution(session, 2023, 2023, {mwi.id})
    assert [b.code for b in scoped.countries] == ["253"]


def _factory(session):
    from flask import current_app

    return current_app.extensions["aidledger.db"].Session


def test_oda_summary_workbook_has_tables_and_native_charts(session, portfolio, tmp_path):
    path = tmp_path / "oda.xlsx"
    years = oda_by_policy_area(session, 2023, 2024)
    write_oda_summary(str(path), years, climate_finance(session, 2023, 2024), "officer", datetime(2025, 3, 1))
    sheets = read_sheets(path)
    assert list(sheets) == ["ODA by policy area", "Climate finance", "Metadata"]
    header, *rows = sheets["ODA by policy area"]
    assert header[:6] == ("Year", "Development cooperation (EUR)", "Other ODA (EUR)", "Total ODA (EUR)",
                          "Share of development cooperation", "Still open, not counted (EUR)")
    assert rows[1][:5] == (2024, 1811952.65, 450000, 2261952.65, float(D("1811952.65") / D("2261952.65")))
    climate = sheets["Climate finance"]
    assert climate[1] == (2023, "Total climate-related (no double counting)", 0, 400000.1, 0, 160000.04, 160000.04)
    with zipfile.ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 2
        policy_chart = archive.read(charts[0]).decode()
    assert "<c:barChart>" in policy_chart and "<c:lineChart>" in policy_chart, "stacked bars + share line"
    assert "'ODA by policy area'!$B$2:$B$3" in policy_chart


def test_budget_execution_workbook(session, portfolio, tmp_path):
    set_budget_line(session, portfolio["programmes"]["mwi"], 2023, D("5000000.00"))
    session.flush()
    dispatch(_factory(session))
    path = tmp_path / "budget.xlsx"
    counts = write_budget_execution(str(path), budget_execution(session, 2023, 2023, None), "finance",
                                    datetime(2025, 1, 2))
    rows = read_sheets(path)["Budget execution"]
    malawi = next(r for r in rows if r[2] == "MWI-CSP3")
    assert malawi[:8] == ("253", "Malawi", "MWI-CSP3", "Malawi country programme 2019–2023", 2023, 5000000,
                          1600000, 400000.1)
    assert malawi[8] == float(D("400000.10") / D("5000000.00"))
    assert rows[-1][1] == "Total" and counts["programme_years"] >= 1
