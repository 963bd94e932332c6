"""The IATI activity file of a large ledger, against writing the same elements with no lookups.

    python -m benchmarks --only iati [--n N]

1. A fresh database gets ``n`` transactions (the issue's 1,000,000: ``--n 1000000``) over
   ``n / 20`` activities (50,000) and 100 programmes through ``benchmarks.generate``,
   the curated reference data, and oda's stored results (not timed).
2. The writer the CLI and the publisher call (``write_iati_files``; the validation that
   ``build_iati_files`` adds has its own benchmark, ``bench_iati_validation``): activities
   read in chunks with their ODA lines, every element built and streamed through lxml's
   incremental writer, the organisation file after it. Peak memory is what the step
   adds to the process (sampled every 20 ms): it should not grow with ``n``.
3. The floor: the same activities and lines, read into memory beforehand (not timed),
   written again by the same element builders into the same kind of file, so only
   the reading of the ledger and the lookups are missing.
4. The service again for a tenth of the programmes: its peak memory beside the whole
   file's shows whether memory grows with the ledger.

The machine is shared: the service and the floor alternate ``REPEAT`` times and the best of each counts.
"""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select, text

from app import migrate
from benchmarks import isolated, measure, open_database, scratch_url, wipe
from benchmarks.generate import TRANSACTIONS, _advance_sequences, prepare, transaction_batches
from programmes.models import Programme

TRANSACTIONS_PER_ACTIVITY = 20
REPEAT = 2
#: programmes of the second, smaller file: a tenth of the 100 (its peak memory should be about the same)
TENTH = 10


def run(args) -> list[dict]:
    transactions = args.n
    activities = max(1, transactions // TRANSACTIONS_PER_ACTIVITY)
    url = scratch_url(args.database_url, f"bench-iati-{args.n}")
    wipe(url)
    migrate.upgrade(url)
    prepared = isolated(_prepare, url, transactions, activities)[1]
    services, floors = [], []
    for attempt in range(REPEAT):
        services.append(isolated(_service, url, attempt)[1])
        floors.append(isolated(_floor, url, attempt)[1])
    tenth = isolated(_service, url, "tenth", TENTH)[1]
    best = min(services, key=lambda m: m["seconds"])
    floor = min(floors, key=lambda m: m["seconds"])
    return [{
        "name": f"IATI activity file, {best['activities']:,} activities ({best['engine']})",
        "n": transactions, "seconds": best["seconds"], "floor_seconds": floor["seconds"],
        "ratio": best["seconds"] / floor["seconds"], "peak_mb": max(m["peak_mb"] for m in services),
        "floor": "same elements from rows already in memory", "transactions_written": best["transactions"],
        "file_mb": round(best["file_mb"], 1), "classify_s": round(prepared["classify_seconds"], 1),
        "peak_mb_tenth": round(tenth["peak_mb"], 1), "transactions_tenth": tenth["transactions"],
        "goal": "ratio <= 3, flat memory (peak_mb close to peak_mb_tenth)",
    }]



def _prepare(url: str, transactions: int, activities: int) -> dict:
    from oda.reference.services import load_curated
    from oda.services.classify import classify

    db = open_database(url)
    with db.Session() as session:
        ledger = prepare(session, activities=activities, programmes=100)
        for rows, _events in transaction_batches(ledger, transactions, 20_000):
            for row in rows:
                row.pop("_programme_id", None)
            session.execute(insert(TRANSACTIONS), rows)
        _advance_sequences(session)
        load_curated(session)
        session.commit()
        started = time.perf_counter()
        counts = classify(session, everything=True)
        session.commit()
        counts["classify_seconds"] = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":
            session.execute(text("ANALYZE"))
            session.commit()
    db.engine.dispose()
    return counts


def _app(url: str):
    from app import create_app

    return create_app({"DATABASE_URL": url})


def _service(url: str, attempt, programmes: int | None = None) -> dict:
    """``write_iati_files`` of every programme, or of the first ``programmes`` (by code)."""
    from app.db import get_db
    from exports.services.iati import write_iati_files

    app = _app(url)
    folder = Path(tempfile.mkdtemp(prefix=f"bench-iati-{os.getpid()}-{attempt}-"))
    with app.app_context():
        with get_db().Session() as session:
            codes = None
            if programmes:
                codes = session.scalars(select(Programme.code).order_by(Programme.code).limit(programmes)).all()
            with measure() as measured:
                files = write_iati_files(session, folder, codes)
        engine = get_db().engine.dialect.name
    size = files.activities.stat().st_size / 2**20
    _remove(folder)
    return {"seconds": measured.seconds, "peak_mb": measured.peak_mb, "activities": files.activity_count,
            "transactions": files.transaction_count, "file_mb": size, "engine": engine}


def _floor(url: str, attempt: int) -> dict:
    """The same elements, from the activities and lines read beforehand (not timed)."""
    from app.db import get_db
    from exports.iati.queries import programmes_by_id, published_activities
    from exports.iati.writer import ProgrammeSource, write_activities
    from exports.services.iati import _Programmes, iati_context

    app = _app(url)
    folder = Path(tempfile.mkdtemp(prefix=f"bench-iati-floor-{os.getpid()}-{attempt}-"))
    with app.app_context():
        with get_db().Session() as session:
            ctx = iati_context(session)
            items = list(published_activities(session, ctx.today))
            reader = _Programmes(session)
            infos = programmes_by_id(session, {item.row.programme_id for item in items})
            plans = {programme_id: reader.budgets(programme_id) for programme_id in infos}
    with measure() as measured:
        write_activities(folder / "floor.xml", ctx, items, ProgrammeSource(infos.__getitem__, plans.__getitem__))
    _remove(folder)
    return {"seconds": measured.seconds}


def _remove(folder: Path) -> None:
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
