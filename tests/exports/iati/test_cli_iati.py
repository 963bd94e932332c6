"""``flask export iati``: both files, put in place only when valid; exit 0, 1 or 2."""
from __future__ import annotations

import json

import pytest

from exports.iati.validation import Finding, ValidationReport
from tests.builders.exports import classified_portfolio
from tests.builders.reference import needs_shared
from tests.builders.web import web  # noqa: F401
from tests.exports.iati.conftest import schema_errors

pytestmark = needs_shared


@pytest.fixture
def world(web):
    web.seed(classified_portfolio)
    return web


def invoke(app, *args):
    return app.test_cli_runner().invoke(args=["export", "iati", *args], catch_exceptions=False)


def test_both_files_are_written_and_valid(world, app, tmp_path):
    out = tmp_path / "flanders-activities.xml"
    result = invoke(app, "--out", str(out), "--programmes", "MWI-CSP3,MULTI")
    assert result.exit_code == 0, result.output
    organisation = tmp_path / "flanders-activities-organisation.xml"
    assert schema_errors(out, "activities") == [] and schema_errors(organisation, "organisations") == []
    assert b"MWI-2023-TLC" in out.read_bytes() and b"MOZ-2023-SRHR" not in out.read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".iati-")] == []  # no temporary left


def test_json_report(world, app, tmp_path):
    out, organisation = tmp_path / "a.xml", tmp_path / "org.xml"
    result = invoke(app, "--out", str(out), "--organisation", str(organisation), "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output[result.output.index("{"):])
    assert answer["written"] is True and answer["activities"] >= 6 and answer["transactions"] >= 10
    assert organisation.exists()


@pytest.mark.parametrize("args, message", [
    (["--out", "x.xlsx"], "must end in .xml"),
    (["--out", "/no/such/dir/a.xml"], "no directory"),
    (["--out", "{tmp}/a.xml", "--programmes", "NOPE"], "no programme NOPE"),
    (["--out", "{tmp}/a.xml", "--organisation", "{tmp}/a.xml"], "different names"),
])
def test_usage_errors_exit_2_and_write_nothing(world, app, tmp_path, args, message):
    result = invoke(app, *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.exit_code == 2 and message in result.output
    assert list(tmp_path.iterdir()) == []


def test_validation_errors_exit_1_and_leave_the_old_file_in_place(world, app, tmp_path, monkeypatch):
    from exports.services import iati

    out = tmp_path / "a.xml"
    out.write_bytes(b"<published/>")
    finding = Finding("error", "6.11.1", "The activity must have a planned start date or an actual start date.",
                      "XM-DAC-2-70-MWI-2023-TLC", "activity-date", None)
    monkeypatch.setattr(iati, "validate_files", lambda *a: ValidationReport("activities", 9, (finding,)))
    result = invoke(app, "--out", str(out))
    assert result.exit_code == 1
    assert "6.11.1 XM-DAC-2-70-MWI-2023-TLC" in result.output and "nothing written" in result.output
    assert out.read_bytes() == b"<published/>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xml"]
