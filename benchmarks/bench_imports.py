"""Imports: a generated N-row ``spending`` xlsx, against the floor of only parsing it.

Rows (each step in a fresh forked process, see benchmarks.isolated):
- parse only, python-calamine (the chosen reader): the floor;
- parse only, openpyxl read-only (data_only=True), for the choice of reader;
- parse only, the streaming reader (importers/readers/xlsx_stream.py), which the import uses
  above AIDLEDGER_XLSX_STREAM_ROWS rows (the floor is calamine at every size);
- the write floor: storing the rows the import into an empty ledger stored (its
  transactions, its batch events, the row results it keeps), read back beforehand and written with
  app.bulk.driver_insert into a second fresh ledger: what the database's own work
  costs, with no parsing, checking or building of rows. The import cannot take less
  than the two floors together;
- import into an empty ledger (activities exist, no transactions);
- import into a populated ledger (N generated transactions already there);
- re-import of a newer extract of the same lines (90 % unchanged, 10 % changed);
- the naive approach: pandas.read_excel + record_transaction per row (ORM flush
  per row), on min(N, NAIVE_MAX) rows, with its own calamine floor for that file
  (pandas is the ``bench`` extra: pip install -e .[bench]);
- memory: the import of 10 × N rows into an empty ledger, whose peak_mb should stay
  within 1.5 × that of N rows (``memory_ratio``), beside the parse floor's at both sizes
  (``floor_memory_ratio``: the reader's own share) and what the import adds to it
  (``beyond_floor_mb``). ``python -m benchmarks.bench_imports --n N --memory`` runs only
  the floor, the import at N and this row.
Ratios are import / floor. peak_mb is the resident memory the step added.
"""
from __future__ import annotations

import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import xlsxwriter
from sqlalchemy import text

from app import migrate
from app.bulk import driver_insert
from app.sql import prepare_bulk_work
from benchmarks import Measurement, OUT_DIR, isolated, measure, open_database, scratch_url, sibling_database, wipe
from benchmarks.generate import generate, prepare

ACTIVITIES = 5000
#: upload limits raised for the benchmark: a 1,000,000-row workbook is about 48 MB, its sheet
#: about 350 MB unpacked (the defaults, 20 MiB and 200 MB, refuse it)
LARGE_FILES = {"MAX_CONTENT_LENGTH": 1 << 30, "AIDLEDGER_MAX_UNCOMPRESSED_BYTES": 1 << 31}
NAIVE_MAX = 20_000
HEADERS = ["Boekstuknummer", "Boekingsdatum", "Projectcode", "Bedrag", "Munt", "Omschrijving",
           "Begrotingsartikel", "Soort"]


def run(args) -> list[dict]:
    n = args.n
    _warm_imports()
    sheet = spending_workbook(OUT_DIR / f"bench-imports-spending-{n}.xlsx", n)
    newer = spending_workbook(OUT_DIR / f"bench-imports-spending-{n}-newer.xlsx", n, changed_every=10)
    floor, rows_read = isolated(_parse_only, str(sheet), "calamine")
    openpyxl_parse, _ = isolated(_parse_only, str(sheet), "openpyxl")
    stream_parse, _ = isolated(_parse_only, str(sheet), "stream")
    rows = [_row("parse only: python-calamine (floor)", n, floor, floor, reader="chosen"),
            _row("parse only: openpyxl read-only", n, openpyxl_parse, floor),
            _row("parse only: streaming reader (lxml)", n, stream_parse, floor)]

    url = scratch_url(args.database_url, f"bench-imports-{n}")
    isolated(_fresh_ledger, url, 0)
    _, (empty, engine, status) = isolated(_import, url, str(sheet))
    rows.append(_row(f"import into an empty ledger ({engine})", n, empty, floor, status=status))
    target = scratch_url(sibling_database(args.database_url, "write"), f"bench-imports-{n}-write")
    isolated(_fresh_ledger, target, 0)
    _, (written, stored) = isolated(_write_floor, url, target)
    rows.append(_row(f"write floor: the import's rows, prebuilt ({engine})", n, written, floor, rows=stored,
                     parse_and_write_floors=round((floor.seconds + written.seconds) / floor.seconds, 2)))
    _, (again, _, status) = isolated(_import, url, str(newer))
    rows.append(_row(f"re-import newer extract, 10% changed ({engine})", n, again, floor, status=status))

    isolated(_fresh_ledger, url, n)
    _, (populated, _, status) = isolated(_import, url, str(sheet))
    rows.append(_row(f"import into a populated ledger, {n:,} transactions ({engine})", n, populated, floor,
                     status=status))
    rows.append(_naive(args, n, url))
    rows.append(_memory(url, n, empty, floor))
    return rows


def _memory(url: str, n: int, measured, floor) -> dict:
    """Peak memory of an import ten times larger, against the N-row import's; and the same
    for the parse floor, whose reader (python-calamine) holds the whole sheet while it reads,
    and for the streaming reader, which the import uses above AIDLEDGER_XLSX_STREAM_ROWS rows."""
    big = spending_workbook(OUT_DIR / f"bench-imports-spending-{10 * n}.xlsx", 10 * n)
    big_floor, _ = isolated(_parse_only, str(big), "calamine")
    big_stream, _ = isolated(_parse_only, str(big), "stream")
    isolated(_fresh_ledger, url, 0)
    _, (large, engine, status) = isolated(_import, url, str(big))
    return {"name": f"memory: import of {10 * n:,} rows into an empty ledger ({engine}) vs {n:,}", "n": 10 * n,
            "seconds": large.seconds, "floor_seconds": big_floor.seconds, "ratio": large.seconds / big_floor.seconds,
            "peak_mb": large.peak_mb, "peak_mb_at_n": measured.peak_mb,
            "memory_ratio": round(large.peak_mb / max(measured.peak_mb, 0.1), 2),
            "floor_peak_mb": big_floor.peak_mb, "floor_peak_mb_at_n": floor.peak_mb,
            "floor_memory_ratio": round(big_floor.peak_mb / max(floor.peak_mb, 0.1), 2),
            "beyond_floor_mb": round(large.peak_mb - big_floor.peak_mb, 1),
            "beyond_floor_mb_at_n": round(measured.peak_mb - floor.peak_mb, 1),
            "stream_parse_seconds": big_stream.seconds, "stream_parse_peak_mb": big_stream.peak_mb, "status": status}


def run_memory(args) -> list[dict]:
    """Only what the memory goal needs: the floor and the import at N and at 10 × N."""
    n = args.n
    _warm_imports()
    sheet = spending_workbook(OUT_DIR / f"bench-imports-spending-{n}.xlsx", n)
    floor, _ = isolated(_parse_only, str(sheet), "calamine")
    url = scratch_url(args.database_url, f"bench-imports-{n}")
    isolated(_fresh_ledger, url, 0)
    _, (empty, engine, status) = isolated(_import, url, str(sheet))
    return [_row("parse only: python-calamine (floor)", n, floor, floor, reader="chosen"),
            _row(f"import into an empty ledger ({engine})", n, empty, floor, status=status),
            _memory(url, n, empty, floor)]


def _warm_imports() -> None:
    """Load the application's modules here, so the forked steps' peak_mb counts their data only."""
    from app import create_app
    from importers.readers import calamine_reader, openpyxl_reader, xlsx_stream  # noqa: F401

    create_app({"DATABASE_URL": "sqlite://"}).extensions["aidledger.db"].engine.dispose()


def _row(name: str, n: int, measured, floor, **notes) -> dict:
    return {"name": name, "n": n, "seconds": measured.seconds, "floor_seconds": floor.seconds,
            "ratio": measured.seconds / floor.seconds, "peak_mb": measured.peak_mb, **notes}


def spending_workbook(path: Path, n: int, changed_every: int | None = None) -> Path:
    """N ledger lines with Dutch headers, real dates, numbers; 5 % in ZAR. Cached under benchmarks/out/."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Boekingen")
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, HEADERS)
    start = date(2019, 1, 1)
    for i in range(1, n + 1):
        kind = "terugbetaling" if i % 50 == 0 else "uitbetaling"
        cents = rng.randint(10_000, 50_000_000)
        if changed_every and i % changed_every == 0:
            cents += 100
        when = start + timedelta(days=rng.randint(0, 6 * 365))
        sheet.write_string(i, 0, f"B-{when.year}-{i:07d}")
        sheet.write_datetime(i, 1, datetime(when.year, when.month, when.day), dates)
        sheet.write_string(i, 2, f"GEN-A{rng.randint(1, ACTIVITIES):07d}")
        sheet.write_number(i, 3, cents / 100)
        sheet.write_string(i, 4, "ZAR" if i % 20 == 0 else "EUR")
        sheet.write_string(i, 5, f"Tranche {i % 4 + 1} partner payment")
        sheet.write_string(i, 6, "QB0-1QEB2AA-WT")
        sheet.write_string(i, 7, kind)
    book.close()
    return path



def _fresh_ledger(url: str, transactions: int) -> None:
    """Programmes, 5,000 activities and rates; ``transactions`` generated lines when asked."""
    wipe(url)
    migrate.upgrade(url)
    db = open_database(url)
    with db.Session() as session:
        if transactions:
            generate(session, transactions, activities=ACTIVITIES)
        else:
            prepare(session, activities=ACTIVITIES)
        session.commit()
    db.engine.dispose()


#: what an import of spending stores: per table, its columns and which rows are the batch's
STORED = {
    "transactions": (("activity_id", "kind", "date", "amount_minor", "currency", "amount_eur_minor", "source",
                      "document_number", "description", "budget_article", "import_batch_id", "import_row",
                      "recorded_at", "version"), "import_batch_id = :batch"),
    "events": (("type", "aggregate_type", "aggregate_id", "payload", "actor", "occurred_at", "correlation_id"),
               "correlation_id = 'import-' || :batch"),
    "import_rows": (("batch_id", "row_number", "outcome", "key", "entity_id"), "batch_id = :batch"),
}


def _write_floor(source_url: str, target_url: str) -> tuple[Measurement, int]:
    """The source's last batch's rows, read (not timed), then written (timed) in one
    transaction into the target: the same tables, indexes and constraints."""
    from importers.models import ImportBatch

    source, target = open_database(source_url), open_database(target_url)
    with source.Session() as session:
        batch = session.execute(text("SELECT max(id) FROM import_batches")).scalar()
        stored = {table: [tuple(r) for r in session.execute(_batch_rows(session, table, columns, where),
                                                             {"batch": batch})]
                  for table, (columns, where) in STORED.items()}
    source.engine.dispose()
    with target.Session() as session:
        session.add(ImportBatch(id=batch, kind="spending", filename="write floor", sha256="", status="running",
                                uploaded_by="benchmark"))
        session.commit()
        with measure() as measured:
            prepare_bulk_work(session)
            for table, (columns, _where) in STORED.items():
                driver_insert(session, table, columns, stored[table])
            session.commit()
    target.engine.dispose()
    return measured, sum(len(rows) for rows in stored.values())


def _batch_rows(session, table: str, columns: tuple, where: str):
    """The batch's rows of ``table`` as the columns store them (JSON as its text)."""
    quote = session.get_bind().dialect.identifier_preparer.quote
    selected = ", ".join(f"CAST({quote(c)} AS TEXT)" if c == "payload" else quote(c) for c in columns)
    return text(f"SELECT {selected} FROM {table} WHERE {where} ORDER BY id")


def _parse_only(path: str, reader: str) -> int:
    """Every row read by ``reader``: calamine (whatever the size), openpyxl or stream."""
    from importers.kinds import get_kind
    from importers.limits import Limits
    from importers.readers import open_rows
    from importers.safety import inspect_upload

    limits = Limits(max_upload_bytes=LARGE_FILES["MAX_CONTENT_LENGTH"],
                    max_uncompressed_bytes=LARGE_FILES["AIDLEDGER_MAX_UNCOMPRESSED_BYTES"],
                    xlsx_stream_rows=sys.maxsize)
    inspected = inspect_upload(path, Path(path).name, limits)
    count = 0
    for _number, _cells in open_rows(path, inspected, limits, reader).rows():
        count += 1
    get_kind("spending")
    return count


def _import(url: str, path: str) -> tuple[Measurement, str, str]:
    """import_file and its commit, as a request or job runs it in a running application."""
    from app import create_app
    from app.db import unit_of_work
    from importers.services import import_file

    app = create_app({"DATABASE_URL": url, **LARGE_FILES})
    with app.app_context(), measure() as measured:
        with unit_of_work() as session:
            batch = import_file(session, "spending", path, Path(path).name, uploaded_by="benchmark")
            status = f"{batch.status}: {batch.imported_count} new, {batch.updated_count} updated, " \
                     f"{batch.unchanged_count} unchanged, {batch.error_count} errors"
    return measured, app.extensions["aidledger.db"].engine.dialect.name, status


def _naive(args, n: int, url: str) -> dict:
    """pandas.read_excel, then record_transaction (one ORM flush and event) per row."""
    try:
        import pandas  # noqa: F401
    except ImportError:
        return {"name": "naive: pandas.read_excel + per-row ORM", "n": 0, "seconds": 0.0,
                "note": "pandas is not installed (pip install pandas into the venv to measure it)"}
    size = min(n, NAIVE_MAX)
    sheet = spending_workbook(OUT_DIR / f"bench-imports-spending-{size}.xlsx", size)
    floor, _ = isolated(_parse_only, str(sheet), "calamine")
    isolated(_fresh_ledger, url, 0)
    naive, written = isolated(_naive_import, url, str(sheet))
    return _row(f"naive: pandas.read_excel + per-row ORM inserts ({written:,} rows)", size, naive, floor)


def _naive_import(url: str, path: str) -> int:
    import pandas
    from decimal import Decimal

    from programmes.services.activities import get_activity_by_code
    from programmes.services.transactions import record_transaction

    kinds = {"uitbetaling": "disbursement", "terugbetaling": "refund"}
    frame = pandas.read_excel(path)
    db = open_database(url)
    written = 0
    with db.Session() as session:
        for record in frame.itertuples(index=False):
            activity = get_activity_by_code(session, record.Projectcode)
            record_transaction(session, activity, kinds[record.Soort], record.Boekingsdatum.date(),
                               Decimal(str(record.Bedrag)), record.Boekstuknummer, currency=record.Munt,
                               description=record.Omschrijving, budget_article=record.Begrotingsartikel)
            written += 1
        session.commit()
    db.engine.dispose()
    return written


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--database-url")
    parser.add_argument("--memory", action="store_true", help="only the floor and the import at N and 10 × N")
    options = parser.parse_args()
    started = time.perf_counter()
    for result in (run_memory if options.memory else run)(options):
        print(result)
    print(f"{time.perf_counter() - started:.1f} s")
