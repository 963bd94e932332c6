"""Handlers catching up after large imports, with the scheduler's dispatch job as in production.

1. Import N spending lines in three files (N / 3 rows each, generated as in
   bench_imports), each in its own transaction: the reference time.
2. Then run the ``dispatch_events`` job the way the scheduler runs it (execute_job:
   its JobRun recorded, at most DISPATCH_ROUNDS rounds per run, handlers taking
   turns), run after run without the 10-second pause, until every handler that
   listens to the ledger (budget and activity totals, the ODA pending queue, grants
   ledger matching) has reached the last event.
Ratio: catch-up / imports (goal: at most 2).
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from benchmarks import OUT_DIR, isolated, scratch_url
from benchmarks.bench_imports import _fresh_ledger, spending_workbook

LEDGER_HANDLERS = ("activity_totals", "budget_totals", "grants_ledger_matching", "oda_pending_work")


def run(args) -> list[dict]:
    n = args.n
    third = max(1, n // 3)
    files = [_file(third, part) for part in range(3)]
    url = scratch_url(args.database_url, f"bench-catchup-{n}")
    isolated(_fresh_ledger, url, 0)
    imported, (engine, lines) = isolated(_import_all, url, [str(f) for f in files])
    caught_up, (runs, lag) = isolated(_catch_up, url)
    return [
        {"name": f"import {lines:,} lines in three files ({engine})", "n": lines, "seconds": imported.seconds,
         "peak_mb": imported.peak_mb},
        {"name": f"handlers catch up with the dispatch job ({engine})", "n": lines, "seconds": caught_up.seconds,
         "floor_seconds": imported.seconds, "ratio": caught_up.seconds / imported.seconds,
         "peak_mb": caught_up.peak_mb, "floor": "the three imports", "job_runs": runs,
         "check": "caught up" if lag == 0 else f"LAG {lag} events"},
    ]


def _file(rows: int, part: int) -> Path:
    """A third of the lines: the generated file of ``rows`` lines with its documents renamed per part."""
    path = OUT_DIR / f"bench-catchup-{rows}-{part}.xlsx"
    if path.exists():
        return path
    source = spending_workbook(OUT_DIR / f"bench-imports-spending-{rows}.xlsx", rows)
    _renamed_copy(source, path, f"P{part}")
    return path


def _renamed_copy(source: Path, target: Path, prefix: str) -> None:
    """The same rows with document numbers made unique per file (``prefix`` + number)."""
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(source)).get_sheet_by_index(0).to_python()
    book = xlsxwriter.Workbook(str(target), {"constant_memory": True})
    sheet = book.add_worksheet("Boekingen")
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, rows[0])
    for i, row in enumerate(rows[1:], start=1):
        sheet.write_string(i, 0, f"{prefix}-{row[0]}")
        sheet.write_datetime(i, 1, row[1], dates)
        sheet.write_row(i, 2, row[2:])
    book.close()


def _import_all(url: str, paths: list[str]) -> tuple[str, int]:
    from app import create_app
    from app.db import unit_of_work
    from importers.services import import_file

    app = create_app({"DATABASE_URL": url})
    lines = 0
    with app.app_context():
        for path in paths:
            with unit_of_work() as session:
                batch = import_file(session, "spending", path, Path(path).name, uploaded_by="benchmark")
                lines += batch.imported_count
    return app.extensions["aidledger.db"].engine.dialect.name, lines


def _catch_up(url: str) -> tuple[int, int]:
    from app import create_app
    from app.events.models import Event, HandlerCheckpoint
    from app.scheduler.execution import execute_job
    from app.scheduler.registry import load_jobs

    app = create_app({"DATABASE_URL": url})
    spec = load_jobs()["dispatch_events"]
    factory = app.extensions["aidledger.db"].Session
    runs, lag = 0, None
    while lag != 0:
        execute_job(app, spec, host="benchmark")
        runs += 1
        with factory() as session:
            latest = session.scalar(select(func.max(Event.id))) or 0
            reached = session.scalar(select(func.min(HandlerCheckpoint.last_event_id))
                                     .where(HandlerCheckpoint.handler.in_(LEDGER_HANDLERS))) or 0
        lag = latest - reached
    return runs, lag


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300_000)
    parser.add_argument("--database-url")
    for result in run(parser.parse_args()):
        print(result)
