"""An import that fails half-way leaves the database exactly as it was."""
import pytest

import importers.kinds.programmes as programme_kind
import importers.kinds.spending as spending
import programmes.services.ledger as ledger
from app.db import unit_of_work
from importers.models import ImportBatch
from importers.services import import_file
from importers.services.uploads import import_path
from tests.builders.importers import spending_workbook, tradeline_ledger_rows, workbook
from tests.importers.conftest import database_counts


def _fail_at_call(monkeypatch, module, name: str, at: int):
    original = getattr(module, name)
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == at:
            raise RuntimeError(f"injected failure at call {at}")
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, failing)


def _fail_after_rows(monkeypatch, written: int):
    """driver_insert writes ``written`` lines (one chunk), then the next line cannot be built."""
    original = ledger.driver_insert

    def failing(session, table, columns, rows, size=5000):
        def rows_then_failure():
            for number, row in enumerate(rows):
                if number == written:
                    raise RuntimeError(f"injected failure after {written} lines")
                yield row

        original(session, table, columns, rows_then_failure(), size=written)

    monkeypatch.setattr(ledger, "driver_insert", failing)


def _many_lines(count: int) -> list[list]:
    template = tradeline_ledger_rows()[0]
    return [[f"B-2019-{i:04d}"] + template[1:] for i in range(count)]


@pytest.mark.parametrize("stage", ["building rows", "writing lines", "publishing events"])
def test_a_crash_half_way_through_spending_leaves_nothing(session, tradeline, files, monkeypatch, stage):
    session.commit()
    before = database_counts(session)
    monkeypatch.setattr(spending, "chunks", lambda items, size=5000: (items[i:i + 3] for i in range(0, len(items), 3)))
    if stage == "building rows":
        _fail_at_call(monkeypatch, ledger, "_cents", 9)  # while preparing row 5 of 8
    elif stage == "writing lines":
        _fail_after_rows(monkeypatch, 3)  # after the first 3 lines were written
    else:
        _fail_at_call(monkeypatch, ledger, "publish", 1)  # the batch event, after all 8 lines were written
    path = spending_workbook(files / "ledger.xlsx", _many_lines(8))
    with pytest.raises(RuntimeError, match="injected failure"):
        with unit_of_work(session):
            import_file(session, "spending", str(path), path.name, uploaded_by="finance@vlaanderen.test")
    assert database_counts(session) == before


def test_a_crash_in_a_programme_service_leaves_nothing(session, files, monkeypatch):
    session.commit()
    before = database_counts(session)
    _fail_at_call(monkeypatch, programme_kind, "create_programme", 2)
    rows = [[f"TEST-{i}", f"Programme {i}", "grant_scheme", "", 2024, 2026, "development_cooperation"]
            for i in range(3)]
    path = workbook(files / "programmes.xlsx", ["programme_code", "name", "kind", "country_code", "start_year",
                                                "end_year", "policy_area"], rows)
    with pytest.raises(RuntimeError):
        with unit_of_work(session):
            import_file(session, "programmes", str(path), path.name, uploaded_by="finance@vlaanderen.test")
    assert database_counts(session) == before


def test_the_history_says_when_an_import_failed(app, session, tradeline, files, monkeypatch):
    session.commit()
    before = database_counts(session)
    _fail_at_call(monkeypatch, ledger, "publish", 1)
    result = import_path("spending", str(spending_workbook(files / "ledger.xlsx")), "ledger.xlsx",
                         mode="all_or_nothing", dry_run=False, uploaded_by="finance@vlaanderen.test")

    assert result["status"] == "failed" and "nothing was imported" in result["message"]
    after = database_counts(session)
    assert (after["transactions"], after["batches"]) == (before["transactions"], before["batches"] + 1)
    assert session.get(ImportBatch, result["id"]).error_code == "internal_error"
