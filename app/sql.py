"""The one place for SQL that differs between SQLite and PostgreSQL.

Every package asks here instead of testing the engine itself: locks (advisory locks,
row locks, SQLite's database write lock), the database clock, planner hints and
settings for bulk work, INSERT … ON CONFLICT, date parts, and the JSON and text that
events written with INSERT … SELECT (classification runs, ledger imports) build in the
database, so a million rows cost no Python serialisation (the texts are those
``app.events.payload.jsonable`` writes for the same values). The driver-level bulk
writer (COPY on PostgreSQL) is ``app.bulk.driver_insert``, which ``insert_rows`` uses;
the exact scaled arithmetic ``app.exact``.
"""
from __future__ import annotations

import json
from datetime import datetime

from typing import NamedTuple

from sqlalchemy import (JSON, Date, Engine, Integer, Numeric, String, any_, bindparam, case, cast, extract, func,
                        literal, literal_column, select, text, update)
from sqlalchemy import column as sa_column
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from app.bulk import driver_insert
from app.db import utcnow


def _engine_name(bind: Session | Engine) -> str:
    return (bind.get_bind() if isinstance(bind, Session) else bind).dialect.name


def is_postgres(bind: Session | Engine) -> bool:
    return _engine_name(bind) == "postgresql"


def is_sqlite(bind: Session | Engine) -> bool:
    return _engine_name(bind) == "sqlite"


# --- locks and the clock ------------------------------------------------------------

def transaction_lock(session: Session, key: int, shared: bool = False) -> None:
    """Hold the advisory lock ``key`` until the transaction ends (PostgreSQL; ``shared``
    ones only wait for an exclusive holder). SQLite has one writer at a time: nothing to do."""
    if is_postgres(session):
        lock = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        session.execute(text(f"SELECT {lock}(:k)"), {"k": key})


def lock_row(session: Session, column, *where, skip_locked: bool = False):
    """Lock the row of ``column``'s table that ``where`` picks until the transaction ends,
    and return its ``column`` (None without such a row, or, with ``skip_locked``, while
    another transaction holds it). PostgreSQL: SELECT … FOR UPDATE [SKIP LOCKED]. SQLite
    has no row locks: an UPDATE that changes nothing takes the database's write lock."""
    if is_postgres(session):
        return session.execute(select(column).where(*where).with_for_update(skip_locked=skip_locked)).scalar()
    return session.execute(update(column.table).where(*where).values({column.key: column}).returning(column)
                           .execution_options(synchronize_session=False)).scalar()


def database_now(session: Session) -> datetime:
    """The database server's clock on PostgreSQL; this machine's UTC clock on SQLite."""
    if is_postgres(session):
        return session.scalar(select(func.clock_timestamp()))
    return utcnow()


# --- statements ---------------------------------------------------------------------

def dialect_insert(session: Session, table):
    """INSERT with ON CONFLICT support (``on_conflict_do_nothing``…) for the session's engine."""
    return (postgresql.insert if is_postgres(session) else sqlite.insert)(table)


def insert_rows(session: Session, table, rows: list[dict]) -> None:
    """INSERT ``rows`` (dicts with the same keys) into ``table``, the values converted by
    the columns' own types as an INSERT would, through the one bulk writer
    (``app.bulk.driver_insert``: COPY on PostgreSQL, about 20 times faster than
    executemany for tens of thousands of rows; elsewhere one prepared executemany)."""
    if not rows:
        return
    dialect = session.get_bind().dialect
    names = list(rows[0])
    processors = [_bind_processor(table.c[name].type, dialect) for name in names]
    driver_insert(session, table.name, names,
                  (tuple(process(row[name]) for name, process in zip(names, processors)) for row in rows))


def _bind_processor(column_type, dialect):
    """What the column's type makes of a value for the driver; JSON as its text on
    PostgreSQL too, where SQLAlchemy leaves it to psycopg's adapter, which COPY has not."""
    if dialect.name == "postgresql" and isinstance(column_type, JSON):
        empty = None if column_type.none_as_null else "null"
        return lambda value: empty if value is None else json.dumps(value)
    return column_type.bind_processor(dialect) or _as_is


def _as_is(value):
    return value


def without_jit(session: Session) -> None:
    """PostgreSQL, for this transaction: no JIT compilation (for statements the planner
    overestimates, where compiling costs more than it saves)."""
    if is_postgres(session):
        session.execute(text("SET LOCAL jit = off"))


def analyze(session: Session, table_name: str) -> None:
    """Tell PostgreSQL's planner about a table just filled (temporary tables are never
    analysed automatically); SQLite plans without statistics."""
    if is_postgres(session):
        session.execute(text(f"ANALYZE {table_name}"))


def stream_snapshot(session: Session) -> None:
    """A read-only REPEATABLE READ transaction for streaming a large read (PostgreSQL):
    server-side cursors are planned for all their rows, not PostgreSQL's default first tenth."""
    if is_postgres(session):
        session.connection(execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True})
        session.execute(text("SET LOCAL cursor_tuple_fraction = 1.0"))


def without_index(session: Session, column):
    """On SQLite ``column + 0``: the same value, but SQLite will not walk an index to group
    or filter by it (a scan reads a large share of a table several times faster than
    an index's random lookups). PostgreSQL plans this well by itself: the column."""
    return column + literal_column("0") if is_sqlite(session) else column


class YearOf(FunctionElement):
    """The calendar year of a DATE column as an INTEGER. On SQLite (dates stored as ISO
    text) the first four characters: strftime costs twice as much per row."""

    type = Integer()
    name = "year_of"
    inherit_cache = True


@compiles(YearOf, "sqlite")
def _year_sqlite(element, compiler, **kw):
    (value,) = element.clauses
    return compiler.process(cast(func.substr(value, 1, 4), Integer), **kw)


@compiles(YearOf)
def _year_default(element, compiler, **kw):
    (value,) = element.clauses
    return compiler.process(cast(extract("year", value), Integer), **kw)


class FirstDayOf(FunctionElement):
    """1 January of an INTEGER year, comparable with a DATE column on each engine."""

    type = Date()
    name = "first_day_of"
    inherit_cache = True


@compiles(FirstDayOf, "sqlite")
def _first_day_sqlite(element, compiler, **kw):
    (year,) = element.clauses
    return compiler.process(func.printf("%04d-01-01", year), **kw)


@compiles(FirstDayOf)
def _first_day_default(element, compiler, **kw):
    (year,) = element.clauses
    return compiler.process(func.make_date(year, 1, 1), **kw)


#: SQLite's page cache for bulk work; its default (2 MB) makes index updates disk-bound
BULK_CACHE_KB = 128 * 1024
#: PostgreSQL's memory per sort or hash of a bulk statement; its default (4 MB) sorts on disk
BULK_WORK_MEM = "64MB"


def prepare_bulk_work(session: Session) -> None:
    """Engine settings for a transaction that writes or reads rows by the hundred
    thousand. SQLite: a page cache of up to BULK_CACHE_KB (taken as needed, kept by the
    pooled connection). PostgreSQL, for this transaction only: BULK_WORK_MEM, and no JIT
    (its compiling costs more than it saves on these statements)."""
    if is_postgres(session):
        session.connection().exec_driver_sql(f"SET LOCAL work_mem = '{BULK_WORK_MEM}'")
        without_jit(session)
    elif is_sqlite(session):
        session.connection().exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KB}")


def among(session: Session, column, keys: list):
    """``column IN keys`` with one parameter instead of thousands (each of which the
    driver or SQLAlchemy would otherwise expand into the statement's text): an array
    (``= ANY``) on PostgreSQL; on SQLite the keys as one JSON array read by
    ``json_each``, for text and integer keys (other values keep the plain IN list)."""
    keys = list(keys)
    if is_postgres(session):
        return column == any_(bindparam(None, keys, type_=postgresql.ARRAY(column.type)))
    if keys and all(type(key) in (str, int) for key in keys):
        values = select(literal_column("value")).select_from(func.json_each(json.dumps(keys))).scalar_subquery()
        return column.in_(values)
    return column.in_(keys)


# --- JSON and text built in SQL -------------------------------------------------------

def json_object(session: Session, pairs: dict):
    """A JSON object built in SQL from {key: expression}; keys are our own constants."""
    args = []
    for key, value in pairs.items():
        args += [literal_column(f"'{key}'"), value]
    return func.json_build_object(*args) if is_postgres(session) else func.json_object(*args)


def json_values_agg(session: Session, value):
    """Aggregate plain values (numbers, text) into one JSON array per group."""
    return func.json_agg(value) if is_postgres(session) else func.json_group_array(value)


def json_value(session: Session, column):
    """A JSON column as a JSON value inside ``json_object`` (SQLite would embed its text)."""
    return column if is_postgres(session) else func.json(column)


class JsonFields(NamedTuple):
    """Fields of a JSON column read once per row: ``source`` to join beside the table
    (None where the expressions read the column itself), ``c`` the fields by name."""

    source: object
    c: dict


def json_fields(session: Session, column, types: dict) -> JsonFields:
    """The fields ``types`` ({name: Integer or Text, the type classes}) of ``column``. PostgreSQL parses a ``json``
    value again for every ``->>``; ``json_to_record`` parses it once for all the fields
    (half the time of four ``->>`` over 20,000 event payloads). SQLite's ``json_extract``
    keeps the parsed value for the row."""
    if is_postgres(session):
        record = (func.json_to_record(column).table_valued(*(sa_column(name, kind) for name, kind in types.items()))
                  .render_derived(name="fields", with_types=True).lateral())
        return JsonFields(record, {name: record.c[name] for name in types})
    return JsonFields(None, {name: column[name].as_integer() if kind is Integer else column[name].as_string()
                             for name, kind in types.items()})


def json_from_text(session: Session, value):
    """JSON text bound for a JSON column: cast on PostgreSQL, stored as given on SQLite."""
    return cast(value, JSON) if is_postgres(session) else value


def json_integer_in(session: Session, element, ids: list[int]):
    """``element`` (a JSON path of a JSON column) is one of the integers ``ids``. On
    PostgreSQL compared as text: a payload with a value that is not a number must not
    break a cast."""
    if is_postgres(session):
        return element.as_string().in_([str(i) for i in ids])
    return element.as_integer().in_(ids)


def money_text(session: Session, cents):
    """Integer cents as the Decimal text of the amount: 150000000 → '1500000.00', -5 → '-0.05'."""
    if is_postgres(session):
        return cast(cast(cents, Numeric(20, 2)) / 100, Numeric(20, 2)).cast(String)
    sign = case((cents < 0, literal("-")), else_=literal(""))
    return case((cents.is_not(None), func.printf("%s%d.%02d", sign, func.abs(cents) / 100, func.abs(cents) % 100)))


def date_text(session: Session, day):
    """A DATE column as ISO text (SQLite stores it so already)."""
    return func.to_char(day, "YYYY-MM-DD") if is_postgres(session) else day


def money_cents(session: Session, text):
    """An amount written as decimal text (an event payload's) as integer cents, exactly:
    numeric arithmetic on PostgreSQL, the ``money_cents`` function app.db gives SQLite."""
    from sqlalchemy import BigInteger

    if is_postgres(session):
        return cast(cast(text, Numeric(20, 2)) * 100, BigInteger)
    return func.money_cents(text)


def hold_transaction_lock(session: Session, namespace: int, key: int) -> None:
    """Wait for, then hold until the transaction ends, the lock on ``key``: PostgreSQL's
    advisory lock (two int4 keys). SQLite needs none: every transaction there takes the
    database's write lock when it begins (app.db)."""
    if is_postgres(session):
        from sqlalchemy import text

        session.execute(text("SELECT pg_advisory_xact_lock(:n, :k)"),
                        {"n": namespace, "k": (key % (1 << 32)) - (1 << 31)})
