"""Sessions for the long read that builds an export, without blocking anyone who writes.

On SQLite, ``app.db`` begins every transaction with ``BEGIN IMMEDIATE`` (the write
lock up front). An export that reads for half a minute in such a transaction would
stop every writer meanwhile, its own progress updates included. Its read therefore
runs on a second engine for the same file whose transactions begin DEFERRED and which
may not write (``PRAGMA query_only``): in WAL mode that is one consistent snapshot
that writers do not wait for. On PostgreSQL the read runs REPEATABLE READ, READ ONLY
(one snapshot for the whole read), planned for reading every row. Sessions bound to a connection (the test suite's
savepoint per test) are used as they are.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

_engines: dict[str, Engine] = {}
#: page cache of an export's reading connection (SQLite), in KiB; filled only as pages are read
READER_CACHE_KB = 32 * 1024
_lock = threading.Lock()


def read_session(session_factory) -> Session:
    bind = session_factory.kw.get("bind")
    if not isinstance(bind, Engine):
        return session_factory()
    if bind.dialect.name == "sqlite":
        return sessionmaker(bind=_sqlite_reader(bind))()
    if bind.dialect.name == "postgresql":
        session = session_factory()
        session.connection(execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True})
        # rows are streamed through server-side cursors, which PostgreSQL plans for the
        # first tenth of the rows by default: 3.1 s instead of 0.3 s for the Not ODA lines
        session.execute(text("SET LOCAL cursor_tuple_fraction = 1.0"))
        return session
    return session_factory()


@dataclass(frozen=True)
class Background:
    """Sessions a build may open in background threads: ``read()`` a read session like
    its own, ``write()`` a short write transaction."""

    read: Callable[[], Session]
    write: Callable[[], Session]


def background_sessions(session_factory) -> Background | None:
    """Sessions for background threads, or None when every session shares one connection
    (the test suite), which cannot be used from two threads at once."""
    if not isinstance(session_factory.kw.get("bind"), Engine):
        return None
    return Background(read=lambda: read_session(session_factory), write=session_factory)


def _sqlite_reader(engine: Engine) -> Engine:
    url = engine.url.render_as_string(hide_password=False)
    with _lock:
        reader = _engines.get(url)
        if reader is None:
            # check_same_thread off: a query started by a background thread is read on by
            # the writing thread (one thread at a time; see exports/crs/prefetch.py)
            reader = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
            event.listen(reader, "connect", _reader_pragmas)
            event.listen(reader, "begin", _deferred_begin)
            _engines[url] = reader
    return reader


def _reader_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy, not pysqlite, begins transactions
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # every ledger line looks its evaluation up: with SQLite's default 2 MB cache the
    # evaluations' pages keep being read again (docs/exports.md, "Speed")
    cursor.execute(f"PRAGMA cache_size=-{READER_CACHE_KB}")
    cursor.close()


def _deferred_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN DEFERRED")
