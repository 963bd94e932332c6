"""``flask export …``: the CRS workbook (draft and final) and the reports from the command line."""
import hashlib
import shutil
import subprocess

import pytest
from sqlalchemy import select

from app.events.models import Event
from exports.models import ExportRun
from tests.builders.exports import HOSTILE_TITLE, classified_portfolio
from tests.builders.web import web  # noqa: F401
from tests.exports.conftest import read_sheets


@pytest.fixture
def world(web):
    web.seed(classified_portfolio)
    web.dispatch()
    return web


def invoke(app, *args):
    return app.test_cli_runner().invoke(args=["export", *args], catch_exceptions=False)


def resolve_review(session):
    from oda.services.classify import classify
    from programmes.services.activities import get_activity_by_code, update_activity

    update_activity(session, get_activity_by_code(session, "MWI-2024-NR"), recipient_code="253")
    classify(session, everything=True)


def test_draft_crs_workbook_from_the_command_line(world, app, tmp_path):
    out = tmp_path / "crs-2024.xlsx"
    result = invoke(app, "crs", "--year", "2024", "--out", str(out))
    assert result.exit_code == 0, result.output
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert f"sha256 {digest}" in result.output and "draft CRS 2024: 6 CRS rows" in result.output
    assert "reconciliation: spending OPEN: 10000.00 still in review" in result.output
    assert read_sheets(out)["CRS"][0][0] == "Year"
    drafts = invoke(app, "drafts", "--year", "2024")
    assert digest in drafts.output


def test_final_is_refused_while_reviews_are_open_then_recorded(world, app, tmp_path):
    out = tmp_path / "final.xlsx"
    refused = app.test_cli_runner().invoke(args=["export", "crs", "--year", "2024", "--out", str(out), "--final"])
    assert refused.exit_code != 0 and "still need review" in refused.output and not out.exists()
    world.seed(resolve_review)
    done = invoke(app, "crs", "--year", "2024", "--out", str(out), "--final")
    assert done.exit_code == 0, done.output
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert "FINAL CRS 2024" in done.output and "CRS + Not ODA = total spending (and commitments)" in done.output
    event = world.query(lambda s: s.scalars(select(Event).where(Event.type == "ExportGenerated")).one())
    assert event.payload["sha256"] == digest and event.payload["final"] is True
    assert event.actor.startswith("cli:")


def test_reports_from_the_command_line(world, app, tmp_path):
    summary = tmp_path / "oda.xlsx"
    assert invoke(app, "oda-summary", "--from", "2020", "--to", "2024", "--out", str(summary)).exit_code == 0
    assert [row[0] for row in read_sheets(summary)["ODA by policy area"][1:]] == [2020, 2021, 2022, 2023, 2024]
    budget = tmp_path / "budget.xlsx"
    assert invoke(app, "budget-execution", "--from", "2023", "--out", str(budget)).exit_code == 0
    assert "Budget execution" in read_sheets(budget)


@pytest.mark.parametrize("args, message", [
    (["crs", "--year", "2024", "--out", "crs.csv"], "must end in .xlsx"),
    (["crs", "--year", "2024", "--out", "/no/such/dir/crs.xlsx"], "no directory"),
    (["crs", "--year", "1700", "--out", "crs.xlsx"], "between"),
    (["oda-summary", "--from", "2024", "--to", "2020", "--out", "x.xlsx"], "before the first"),
])
def test_bad_arguments_are_refused_and_nothing_is_recorded(world, app, tmp_path, args, message):
    args = [a if not a.endswith(("xlsx", "csv")) or a.startswith("/") else str(tmp_path / a) for a in args]
    result = app.test_cli_runner().invoke(args=["export", *args])
    assert result.exit_code != 0 and message in result.output
    assert world.query(lambda s: s.scalars(select(ExportRun)).all()) == []


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_workbooks_and_reads_the_same_values(world, app, tmp_path):
    """A headless LibreOffice converts each sheet to CSV: the file opens without repair and the
    hostile title is still the text it was (not a formula result)."""
    crs, summary = tmp_path / "crs.xlsx", tmp_path / "summary.xlsx"
    invoke(app, "crs", "--year", "2024", "--out", str(crs))
    invoke(app, "oda-summary", "--from", "2023", "--to", "2024", "--out", str(summary))
    out = tmp_path / "csv"
    # 44,34,76: comma, double quote, UTF-8; the last token -1 writes every sheet to its own file
    csv_filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    completed = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--convert-to",
         csv_filter, "--outdir", str(out), str(crs), str(summary)],
        capture_output=True, text=True, timeout=180)
    assert completed.returncode == 0, completed.stderr
    files = sorted(p.name for p in out.iterdir())
    assert "crs-CRS.csv" in files and "crs-Summary.csv" in files and "summary-ODA by policy area.csv" in files
    crs_csv = (out / "crs-CRS.csv").read_text(encoding="utf-8")
    assert '"=HYPERLINK(""http://x"",""y"")"' in crs_csv, HOSTILE_TITLE
    assert "+32 2 553 00 00" in crs_csv and "2023000001" in crs_csv
    assert "Err:" not in crs_csv and "#NAME?" not in crs_csv, "no cell was evaluated as a formula"
    policy = (out / "summary-ODA by policy area.csv").read_text(encoding="utf-8")
    assert "2024,1811952.65,450000,2261952.65" in policy, "numbers read back as the same numbers"
