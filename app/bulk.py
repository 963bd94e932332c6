"""Writing and reading many rows at once, inside the session's transaction: the one
place for COPY, driver-level inserts and chunking.

SQLAlchemy's executemany processes every parameter of every row in Python; for the
large sets of imports and events that costs more than the
database's own work. Here rows are plain tuples of what the columns store (money as
integer cents; on SQLite dates and datetimes as text, see ``sqlite_value``): COPY on
PostgreSQL, one prepared executemany per chunk on SQLite.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from datetime import date, datetime
from itertools import islice
from typing import Callable, Iterable, Iterator, Sequence

CHUNK = 5000


@contextmanager
def collector_paused():
    """Bulk work without Python's cyclic garbage collector, which it restores after.

    A large import allocates several objects per row and keeps the chunk's rows alive
    until they are written, so the collector's full passes come again and again and walk
    every object of the process to free almost nothing (the rows are freed by reference
    counting): about a quarter of a 100,000-row import's time. Cycles made meanwhile are
    collected by the next pass after the work."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def select_in(session, stmt_for: Callable, keys: Iterable, size: int = CHUNK) -> list:
    """Run ``stmt_for(chunk_of_keys)`` per chunk of keys and gather the rows: IN-lookups
    that stay within every engine's parameter limits."""
    keys = list(keys)
    found = []
    for chunk in chunks(keys, size):
        found.extend(session.execute(stmt_for(list(chunk))).all())
    return found


def driver_insert(session, table_name: str, columns: Sequence[str], rows: Iterable[tuple],
                  size: int = CHUNK) -> None:
    """INSERT ``rows`` into ``table_name`` (``columns`` in order) on the session's connection."""
    connection = session.connection()
    quote = connection.dialect.identifier_preparer.quote
    target = f"{quote(table_name)} ({', '.join(quote(c) for c in columns)})"
    if connection.dialect.name == "postgresql":
        _copy(connection, target, rows)
        return
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {target} VALUES ({', '.join([marker] * len(columns))})"
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        connection.exec_driver_sql(sql, chunk)


def reserve_ids(session, table_name: str, count: int) -> list[int]:
    """``count`` primary keys for rows about to be inserted with ``driver_insert``, so
    nothing has to be read back. PostgreSQL: the table's sequence (safe beside other
    writers). SQLite: above the highest id, after a no-op write has taken the
    database's write lock, which this transaction then holds until it ends."""
    if count <= 0:
        return []
    connection = session.connection()
    table = connection.dialect.identifier_preparer.quote(table_name)
    if connection.dialect.name == "postgresql":
        return list(connection.exec_driver_sql(
            f"SELECT nextval(pg_get_serial_sequence('{table_name}', 'id')) FROM generate_series(1, %(n)s)",
            {"n": count}).scalars())
    connection.exec_driver_sql(f"UPDATE {table} SET id = id WHERE 0")
    highest = connection.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table}").scalar()
    return list(range(highest + 1, highest + 1 + count))


def _copy(connection, target: str, rows: Iterable[tuple]) -> None:
    """psycopg's COPY FROM STDIN: one stream instead of a statement per row."""
    cursor = connection.connection.driver_connection.cursor()
    try:
        with cursor.copy(f"COPY {target} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    finally:
        cursor.close()


def is_sqlite(session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def sqlite_value(value):
    """Dates and datetimes as SQLAlchemy's SQLite types store them (text)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def stored_values(session) -> callable:
    """What to pass for a date or datetime on this engine: text on SQLite, the value elsewhere."""
    return sqlite_value if is_sqlite(session) else (lambda value: value)
