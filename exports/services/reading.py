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

from dataclasses import dataclass
from typing import Callable

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.db import sqlite_reader
from app.sql import is_sqlite, stream_snapshot

#: page cache of an export's reading connection (SQLite), in KiB; filled only as pages are read
#: (every ledger line looks its evaluation up: with SQLite's default 2 MB cache the
#: evaluations' pages keep being read again; docs/exports.md, "Speed")
READER_CACHE_KB = 32 * 1024


def read_session(session_factory) -> Session:
    bind = session_factory.kw.get("bind")
    if not isinstance(bind, Engine):
        return session_factory()
    if is_sqlite(bind):
        return sessionmaker(bind=sqlite_reader(bind, READER_CACHE_KB))()
    session = session_factory()
    # rows are streamed through server-side cursors, which PostgreSQL plans for the
    # first tenth of the rows by default: 3.1 s instead of 0.3 s for the Not ODA lines
    stream_snapshot(session)
    return session


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
