"""Portable SQL pieces for bulk classification on SQLite and PostgreSQL.

The exact scaled arithmetic (``scale_exact``, ``scaled_sql``) is the kernel's
(``app.exact``), shared with the ledger's EUR values.
"""
from __future__ import annotations

from sqlalchemy import BigInteger, Date, Integer, and_, case, cast, extract, func, or_, text, type_coerce
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from app.exact import SCALE, ScaleExact, register_sqlite_functions, scale_exact, scaled_sql  # noqa: F401
from app.sql import is_postgres, prepare_bulk_work


CLASSIFY_LOCK_KEY = 7_141_004


def wait_for_classification(session: Session) -> None:
    """Serialise with a running classification (PostgreSQL; SQLite has one writer anyway),
    so that its bulk statement never overwrites a decision taken meanwhile."""
    if is_postgres(session):
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CLASSIFY_LOCK_KEY})


def dialect_insert(session: Session, table):
    """INSERT with ON CONFLICT support for the session's engine."""
    return (postgresql.insert if is_postgres(session) else sqlite.insert)(table)


def raw(column):
    """A Money/Rate column as the integer it stores (no Decimal conversion in SQL)."""
    return type_coerce(column, BigInteger)


def prepare_connection(session: Session) -> None:
    """The bulk settings (app.sql.prepare_bulk_work) and, on SQLite, the exact scaling function."""
    prepare_bulk_work(session)
    if not is_postgres(session):
        register_sqlite_functions(session.connection().connection.dbapi_connection, None)


def scaled(session: Session, amount, numerator, denominator):
    """``scaled_sql``; the session is not needed any more (kept for callers that pass it)."""
    return scaled_sql(amount, numerator, denominator)


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
