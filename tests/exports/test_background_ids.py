"""CRS ids handed out beside the build (the export job's way), on a database file of its own.

The savepoint ``session`` of the other tests shares one connection, so the job runs
everything in place there. These tests commit the Flemish portfolio to a SQLite file,
so the job's background threads (the id hand-out's own write transaction, a second
reader for the year's totals) really run, and check that the file and the stored
numbers agree.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from app.db import Base, make_engine
from exports.crs import identifiers
from exports.crs.identifiers import BackgroundAssignment
from exports.models import CrsIdentifier, ExportFile, ExportKind, RunStatus
from exports.services import runs
from exports.services.execute import execute_run
from exports.services.reading import background_sessions
from programmes.models import Activity
from tests.builders.exports import classified_portfolio
from tests.exports.conftest import read_sheets

YEAR = 2024


@pytest.fixture
def file_factory(app, tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'exports.sqlite3'}")
    Base.metadata.create_all(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with app.app_context():
        with factory() as session:
            classified_portfolio(session)
            session.commit()
        yield factory
    engine.dispose()


def export(factory, tmp_path, name: str) -> tuple[dict, dict]:
    with factory() as session:
        run_id = runs.new_run(session, ExportKind.CRS, YEAR, requested_by="oda.officer@vlaanderen.test",
                              trigger="browser", status=RunStatus.RUNNING).id
        session.commit()
    run = execute_run(factory, run_id, raise_errors=True)
    with factory() as session:
        content = session.scalar(select(ExportFile.content).where(ExportFile.run_id == run_id))
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(content)
    sheet = read_sheets(path)["CRS"]
    header = sheet[0]
    return {row[header.index("ProjectNumber")]: dict(zip(header, row)) for row in sheet[1:]}, run.counts


def stored_ids(factory) -> dict[str, str]:
    with factory() as session:
        return dict(session.execute(select(Activity.code, CrsIdentifier.crs_id)
                                    .join(CrsIdentifier, CrsIdentifier.activity_id == Activity.id)).all())


def test_the_first_export_numbers_every_row_with_the_ids_it_stored(file_factory, tmp_path):
    assert background_sessions(file_factory) is not None  # the job's way, not the tests' in-place one
    rows, counts = export(file_factory, tmp_path, "first")
    ids = stored_ids(file_factory)
    assert counts["crs_ids_assigned"] == len(ids) == len(rows) > 0
    assert counts["crs_rows_without_id"] == 0
    assert {code: row["CRSid"] for code, row in rows.items()} == ids
    assert rows["MWI-2023-TLC"]["CRSid"].startswith("2023")
    assert rows["MWI-2023-TLC"]["InitialReport"] == 3  # committed in 2023, reported again in 2024

    again, counts = export(file_factory, tmp_path, "again")
    assert counts["crs_ids_assigned"] == 0
    assert again == rows


def test_two_hand_outs_at_once_never_give_an_activity_two_numbers(file_factory):
    """Two exports of the year started together: one numbers the activities, the other
    finds nothing left to do (the write lock on SQLite, an advisory lock on PostgreSQL)."""
    background = background_sessions(file_factory)
    results = [BackgroundAssignment(background.write, YEAR).start() for _ in range(2)]
    done = [result.wait() for result in results]
    assert sorted(result.count for result in done) == [0, done[0].with_oda]
    with file_factory() as session:
        total, distinct = session.execute(select(func.count(), func.count(func.distinct(CrsIdentifier.crs_id)))).one()
    assert total == distinct == done[0].with_oda > 0


def test_an_error_while_handing_out_fails_the_export_with_nothing_stored(file_factory, tmp_path, monkeypatch):
    def broken(session, activity_ids, many):
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(identifiers, "first_dates", broken)
    with pytest.raises(RuntimeError, match="disk I/O"):
        export(file_factory, tmp_path, "broken")
    assert stored_ids(file_factory) == {}
    with file_factory() as session:
        assert session.scalar(select(func.count()).select_from(ExportFile)) == 0
