"""Benchmarks: synthetic large ledgers, figures reported as ratios against a floor measured in the same run.

Run them all with ``python -m benchmarks`` (``make bench``). Each module
``benchmarks/bench_<name>.py`` has ``run(args) -> list[dict]``; a row carries at
least name, n, seconds, floor_seconds, ratio and peak_mb.

Helpers shared by the benchmarks live here: timing with peak memory, and
scratch databases (a fresh SQLite file under benchmarks/out/, or a PostgreSQL
database whose name contains "bench", which is wiped).
"""
from __future__ import annotations

import multiprocessing
import os
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

OUT_DIR = Path(__file__).resolve().parent / "out"
PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20


@dataclass
class Measurement:
    seconds: float
    peak_mb: float


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE_MB


class measure:  # noqa: N801 - used as ``with measure() as m:``
    """Wall time of the block and the peak resident memory it added (sampled every 20 ms)."""

    def __enter__(self) -> Measurement:
        self.result = Measurement(0.0, 0.0)
        self._base = self._peak = rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        self._start = time.perf_counter()
        return self.result

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self._peak = max(self._peak, rss_mb())

    def __exit__(self, *exc) -> None:
        self.result.seconds = time.perf_counter() - self._start
        self._stop.set()
        self._thread.join()
        self.result.peak_mb = max(self._peak, rss_mb()) - self._base


def isolated(fn, *args):
    """Run ``fn(*args)`` in a forked child, measured there; returns (Measurement, result).

    A child process starts without the garbage of earlier steps, so peak_mb is
    what this step needs, not what the process kept from the previous one.
    """
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_run_child, args=(send, fn, args))
    child.start()
    send.close()
    try:
        outcome = receive.recv()
    except EOFError:
        outcome = RuntimeError(f"{fn.__name__} died without a result")
    child.join()
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def _run_child(send, fn, args) -> None:
    try:
        with measure() as measured:
            value = fn(*args)
        send.send((measured, value))
    except BaseException:  # report anything, even SystemExit, to the parent
        send.send(RuntimeError(traceback.format_exc()))
    finally:
        send.close()


def scratch_url(given: str | None, name: str) -> str:
    """The database a benchmark may wipe: ``given``, or a new SQLite file named ``name``."""
    if given:
        return given
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{OUT_DIR / f'{name}.sqlite3'}"


def fresh_scratch(given: str | None, name: str) -> str:
    """``scratch_url``, wiped and migrated to the newest schema."""
    from app import migrate

    url = scratch_url(given, name)
    wipe(url)
    migrate.upgrade(url)
    return url


def sibling_database(url: str | None, suffix: str) -> str | None:
    """A second PostgreSQL scratch database beside ``url``, created when missing (None
    when ``url`` is: scratch_url then gives a second SQLite file)."""
    if url is None:
        return None
    parsed = make_url(url)
    name = f"{parsed.database}_{suffix}"
    engine = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar() is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def wipe(url: str) -> None:
    """Empty a scratch database. Refuses any database whose name does not contain "bench"."""
    parsed = make_url(url)
    name = parsed.database or ""
    if "bench" not in Path(name).name:
        raise SystemExit(f"refusing to wipe {parsed.render_as_string(hide_password=True)}: "
                         "a benchmark database needs 'bench' in its name")
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
        return
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def open_database(url: str):
    """The application's engine and sessions for ``url``, with the event hooks the app installs."""
    from app.db import Database
    from app.events.bus import install_session_hooks

    db = Database(url)
    install_session_hooks(db.Session)
    return db


def settle(url: str) -> None:
    """On PostgreSQL, what autovacuum does after a large load or a schema change (statistics,
    visibility map), so pages are measured as production reads them, not in the minutes after."""
    if not url.startswith("postgresql"):
        return
    db = open_database(url)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    db.engine.dispose()
