"""The commands a department scripts its yearly cycle with."""
import json
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import REPO_ROOT
from oda.models import Classification, ReferenceSet, ReportingYear
from tests.builders.oda import MALAWI_MARKET_ACCESS, activity_from, oda_programmes, pay

SHARED = Path(os.environ.get("AIDLEDGER_REFERENCE_DATA") or REPO_ROOT.parent / "shared" / "reference-data")


@pytest.fixture
def runner(app, connection):
    return app.test_cli_runner()


def _count(app, model):
    from app.db import get_db

    with get_db(app).Session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_load_curated_then_classify_pending_and_all(app, runner, session):
    loaded = runner.invoke(args=["reference", "load-curated"])
    assert loaded.exit_code == 0, loaded.output
    assert "annex2_coefficients" in loaded.output and "version" in loaded.output
    envelopes = oda_programmes(session)
    activity = activity_from(session, envelopes["MWI"], MALAWI_MARKET_ACCESS)
    pay(session, activity, __import__("datetime").date(2021, 4, 1), "1000.00", "B-2021-CLI")
    session.commit()
    first = runner.invoke(args=["oda", "classify", "--year", "2021"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["results_changed"] == 1
    again = runner.invoke(args=["oda", "classify", "--all"])
    assert json.loads(again.output)["results_changed"] == 0
    assert _count(app, Classification) == 1
    status = runner.invoke(args=["reference", "status"])
    assert "purpose_codes" in status.output and "curated" in status.output


@pytest.mark.skipif(not SHARED.is_dir(), reason="official reference files not found")
def test_reference_load_reads_the_official_folder_and_is_idempotent(app, runner):
    first = runner.invoke(args=["reference", "load", str(SHARED)])
    assert first.exit_code == 0, first.output
    assert "skipped Country.xml" in first.output
    sets = _count(app, ReferenceSet)
    second = runner.invoke(args=["reference", "load", str(SHARED)])
    assert second.exit_code == 0 and "version" not in second.output.replace("unchanged", "")
    assert _count(app, ReferenceSet) == sets


def test_a_broken_file_loads_nothing_and_says_why(app, runner, tmp_path):
    (tmp_path / "flow_types.csv").write_text("code,name_en\n10,ODA\n")
    (tmp_path / "Sector.xml").write_text("<codelist name='Sector'><oops>")
    result = runner.invoke(args=["reference", "load", str(tmp_path)])
    assert result.exit_code != 0 and "nothing was loaded" in result.output
    assert _count(app, ReferenceSet) == 0


def test_list_years_are_validated(runner, tmp_path):
    (tmp_path / "recipients.csv").write_text("code,name_en,income_group\n253,Malawi,LDCs\n")
    bad = runner.invoke(args=["reference", "load", str(tmp_path), "--list-years", "2025-2024"])
    assert bad.exit_code != 0 and "run forward" in bad.output
    ok = runner.invoke(args=["reference", "load", str(tmp_path / "recipients.csv"), "--list-years", "2024-2025"])
    assert ok.exit_code == 0, ok.output


def test_deadline_command(app, runner):
    result = runner.invoke(args=["oda", "deadline", "2024", "2025-06-30", "--remind-days", "45"])
    assert result.exit_code == 0, result.output
    assert _count(app, ReportingYear) == 1
    refused = runner.invoke(args=["oda", "deadline", "2024", "2023-06-30"])
    assert refused.exit_code != 0 and "cannot be before" in refused.output
