"""flask import KIND FILE: a one-line summary, --json for everything; exit 0 when the file is imported or
already was, non-zero only when rows or the file were refused."""
import json

from programmes.models import Transaction
from tests.builders.importers import encrypted_workbook, spending_workbook, tradeline_ledger_rows
from tests.importers.conftest import count, database_counts


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["import", *map(str, args)])


def test_importing_a_ledger_exits_0_and_again_0_saying_it_was_already_imported(app, session, tradeline, files):
    session.commit()
    path = spending_workbook(files / "ledger.xlsx")
    result = _cli(app, "spending", path)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("imported: Imported 3 rows: 3 new")
    assert count(session, Transaction) == 3
    again = _cli(app, "spending", path)
    assert again.exit_code == 0 and again.stdout.startswith("already_imported: Already imported")
    as_json = _cli(app, "spending", path, "--json")
    assert as_json.exit_code == 0 and json.loads(as_json.stdout)["status"] == "already_imported"
    assert count(session, Transaction) == 3


def test_a_newer_extract_with_nothing_new_exits_0(app, session, tradeline, files):
    session.commit()
    assert _cli(app, "spending", spending_workbook(files / "march.xlsx")).exit_code == 0
    same_lines = _cli(app, "spending", spending_workbook(files / "april.xlsx", title_rows=[["Boekingen april"]]))
    assert same_lines.exit_code == 0 and same_lines.stdout.startswith("up_to_date: Nothing to change")


def test_a_dry_run_writes_nothing_at_all(app, session, tradeline, files):
    session.commit()
    before = database_counts(session)
    result = _cli(app, "spending", spending_workbook(files / "ledger.xlsx"), "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["status"] == "checked" and [r["outcome"] for r in body["rows"]] == ["imported"] * 3
    assert database_counts(session) == before


def test_errors_exit_2_and_are_listed(app, session, tradeline, files):
    session.commit()
    rows = tradeline_ledger_rows()
    rows[0][3] = "1.000"
    result = _cli(app, "spending", spending_workbook(files / "ledger.xlsx", rows))
    assert result.exit_code == 2
    assert result.stdout.startswith("rejected: Nothing was imported")
    assert "row 2: amount ambiguous amount '1.000'" in result.stderr
    partial = _cli(app, "spending", spending_workbook(files / "ledger.xlsx", rows), "--accept-valid-rows")
    assert partial.exit_code == 3 and count(session, Transaction) == 2


def test_a_refused_file_exits_2_with_its_reason(app, session, files):
    result = _cli(app, "spending", encrypted_workbook(files / "ledger.xlsx"))
    assert result.exit_code == 2 and "password-protected" in result.stdout


def test_unknown_kinds_are_a_usage_error(app, files):
    assert _cli(app, "payroll", spending_workbook(files / "ledger.xlsx")).exit_code == 2
