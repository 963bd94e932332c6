"""The report workbooks in the language of the person who asked for them (issue 19).

A Dutch programme manager downloads the budget execution of their programmes in Dutch, a Dutch ODA
officer the ODA summary (policy areas, climate finance) in Dutch: sheet names, headers, labels,
notes and the charts' titles; an English user keeps the English workbook. Produced through the real
path: the page queues the run, the export job makes it, the file is downloaded and read back.
"""
import io
import zipfile
from decimal import Decimal

import pytest

from app.auth.roles import Role
from programmes.models import Programme
from programmes.services.programmes import set_budget_line
from programmes.services.queries import programme_id_by_code
from tests.builders.exports import classified_portfolio, export_from_page as export
from tests.builders.web import web  # noqa: F401
from tests.exports.conftest import read_sheets

BUDGET_HEADERS_NL = ("Partnerlandcode", "Partnerland", "Programma", "Programmanaam", "Jaar", "Gepland (EUR)",
                     "Vastgelegd (EUR)", "Uitbetaald (EUR)", "Uitbetaald van gepland",
                     "Resterend (gepland − uitbetaald, EUR)")
BUDGET_HEADERS_EN = ("PartnerCountryCode", "PartnerCountry", "Programme", "ProgrammeName", "Year", "Planned (EUR)",
                     "Committed (EUR)", "Disbursed (EUR)", "Disbursed of planned",
                     "Remaining (planned − disbursed, EUR)")
POLICY_HEADERS_NL = ("Jaar", "Ontwikkelingssamenwerking (EUR)", "Andere ODA (EUR)", "Totale ODA (EUR)",
                     "Aandeel ontwikkelingssamenwerking", "Nog open, niet meegeteld (EUR)")
CLIMATE_HEADERS_NL = ("Jaar", "Categorie", "Hoofddoel (EUR, volledige ODA)", "Belangrijk (EUR, volledige ODA)",
                      "Hoofddoel meegeteld (× 100 %, EUR)", "Belangrijk meegeteld (× 40 %, EUR)",
                      "Meegetelde klimaatfinanciering (EUR)")
#: English a Dutch reader met in these workbooks before (data such as programme names stays as entered)
ENGLISH_ONLY = ("Subtotal", "Total ODA", "Total climate", "Planned", "Committed", "Disbursed", "Remaining", "Year",
                "Generated", "Basis", "ledger", "No partner country", "Development cooperation", "Other ODA",
                "Still open", "Climate", "Adaptation", "Mitigation", "Principal", "principal", "significant", "counted",
                "Coefficients", "Rio markers", "net disbursements")


@pytest.fixture
def world(web):
    def plan(session):
        programme = session.get(Programme, programme_id_by_code(session, "MWI-CSP3"))
        set_budget_line(session, programme, 2023, Decimal("5000000.00"))

    web.seed(classified_portfolio)
    web.seed(plan)
    web.dispatch()
    return web


def manager(web, locale="en"):
    return web.signed_in(Role.PROGRAMME_MANAGER, web.query(lambda s: programme_id_by_code(s, "MWI-CSP3")),
                         locale=locale)


def english_left(rows: list[tuple]) -> list[str]:
    said = "\n".join(" | ".join(str(v) for v in row if v is not None) for row in rows)
    return [word for word in ENGLISH_ONLY if word in said]


def test_a_dutch_programme_manager_reads_the_budget_execution_in_dutch(world):
    run, content = export(world, manager(world, "nl"), kind="budget_execution", year_from="2023", year_to="2023")
    assert run.language == "nl"
    book = read_sheets(io.BytesIO(content))
    assert list(book) == ["Begrotingsuitvoering", "Metadata"]
    header, *rows = book["Begrotingsuitvoering"]
    assert header == BUDGET_HEADERS_NL
    malawi = next(r for r in rows if r[2] == "MWI-CSP3")
    assert malawi[:8] == ("253", "Malawi", "MWI-CSP3", "Malawi country programme 2019–2023", 2023, 5000000,
                          1600000, 400000.1)
    assert [r[1] for r in rows if r[2] is None] == ["Subtotaal Malawi", "Totaal"], "their programme only"
    metadata = dict(book["Metadata"])
    assert metadata["Onderdeel"] == "Waarde" and metadata["Jaren"] == "2023–2023"
    assert metadata["Grondslag"].startswith("begrotingslijnen (gepland) en het grootboek")
    assert not english_left([header, *[r[:2] + r[4:] for r in rows]] + book["Metadata"])


def test_an_english_programme_manager_keeps_the_english_budget_execution(world):
    run, content = export(world, manager(world), kind="budget_execution", year_from="2023", year_to="2023")
    assert run.language == "en"
    book = read_sheets(io.BytesIO(content))
    assert list(book) == ["Budget execution", "Metadata"]
    header, *rows = book["Budget execution"]
    assert header == BUDGET_HEADERS_EN
    assert [r[1] for r in rows if r[2] is None] == ["Subtotal Malawi", "Total"]
    assert dict(book["Metadata"])["Basis"].startswith("budget lines (planned) and the ledger")


def test_a_dutch_officer_reads_the_oda_summary_in_dutch(world):
    officer = world.signed_in(Role.ODA_OFFICER, locale="nl")
    run, content = export(world, officer, kind="oda_summary", year_from="2023", year_to="2024")
    assert run.language == "nl"
    book = read_sheets(io.BytesIO(content))
    assert list(book) == ["ODA per beleidsdomein", "Klimaatfinanciering", "Metadata"]
    policy = book["ODA per beleidsdomein"]
    assert policy[0][:6] == POLICY_HEADERS_NL and all(h.startswith("Andere ODA: ") for h in policy[0][6:])
    climate = book["Klimaatfinanciering"]
    assert climate[0] == CLIMATE_HEADERS_NL
    assert climate[1] == (2023, "Totaal klimaatgerelateerd (zonder dubbeltelling)", 0, 400000.1, 0, 160000.04,
                          160000.04)
    assert climate[-1][0] == "Coëfficiënten" and "40 %" in climate[-1][1]
    metadata = dict(book["Metadata"])
    assert metadata["Jaren"] == "2023–2024" and metadata["Gemaakt door"] == officer.user_email
    for name, rows in book.items():
        assert not english_left(rows), f"sheet {name} says English to a Dutch officer: {english_left(rows)}"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        charts = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart"))
    assert "'ODA per beleidsdomein'!$B$2:$B$3" in charts and "Klimaatfinanciering!$E$2" in charts
    assert "Officiële ontwikkelingshulp per beleidsdomein" in charts and "Official" not in charts


def test_an_english_officer_keeps_the_english_oda_summary(world):
    _run, content = export(world, world.signed_in(Role.ODA_OFFICER), kind="oda_summary", year_from="2023",
                           year_to="2024")
    book = read_sheets(io.BytesIO(content))
    assert list(book) == ["ODA by policy area", "Climate finance", "Metadata"]
    assert book["Climate finance"][0][4:6] == ("Principal counted (× 100 %, EUR)",
                                              "Significant counted (× 40 %, EUR)")
    assert book["Climate finance"][1][1] == "Total climate-related (no double counting)"


@pytest.mark.parametrize("options, environment, sheet", [
    (["--lang", "nl"], "C.UTF-8", "Begrotingsuitvoering"), ([], "nl_BE.UTF-8", "Begrotingsuitvoering"),
    ([], "C.UTF-8", "Budget execution")])
def test_the_command_line_writes_the_reports_in_the_language_asked_or_the_shells(world, app, tmp_path, monkeypatch,
                                                                                 options, environment, sheet):
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", environment)
    out = tmp_path / "budget.xlsx"
    result = app.test_cli_runner().invoke(args=["export", "budget-execution", "--from", "2023", "--out", str(out),
                                                *options])
    assert result.exit_code == 0, result.output
    assert list(read_sheets(out))[0] == sheet
    oda = tmp_path / "oda.xlsx"
    result = app.test_cli_runner().invoke(args=["export", "oda-summary", "--from", "2023", "--to", "2024", "--out",
                                                str(oda), *options])
    assert result.exit_code == 0, result.output
    assert list(read_sheets(oda))[0] == ("ODA per beleidsdomein" if sheet == "Begrotingsuitvoering"
                                         else "ODA by policy area")


def test_the_budget_execution_page_names_the_blocks_in_dutch(world):
    """The page as well as the workbook: a Dutch reader sees the block without partner country
    (the multilateral programmes) and its subtotal in Dutch."""
    page = world.signed_in(Role.ODA_OFFICER, locale="nl").get("/exports/budget?from=2023&to=2023")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Geen partnerland (multilateraal, subsidies)" in text
    assert "Subtotaal Geen partnerland" in text and "No partner country" not in text
