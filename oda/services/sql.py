"""Portable SQL pieces for bulk classification on SQLite and PostgreSQL.

Amounts are integer minor units and shares/rates integers scaled by 10^10, so
``amount × share`` and ``amount ÷ rate`` are exact integer arithmetic with one
half-to-even rounding (as ``app.db.round_money``). PostgreSQL does it in NUMERIC;
SQLite's 64-bit integers would overflow, so there a deterministic SQL function
written in Python does the same arithmetic.
"""
from __future__ import annotations

import sqlite3

from sqlalchemy import (BigInteger, Date, Engine, Integer, Numeric, and_, case, cast, event, extract, func,
                        or_, text, type_coerce)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from app.sql import is_postgres, prepare_bulk_work

SCALE = 10**10
SQLITE_SCALE_FUNCTION = "aidledger_scale"


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


def scale_exact(a: int | None, n: int | None, d: int | None) -> int | None:
    """round_half_even(a × n ÷ d) in integers; the reference for both engines."""
    if a is None or n is None or d is None:
        return None
    if n == d:
        return a
    quotient, remainder = divmod(abs(a) * n, d)
    if 2 * remainder > d or (2 * remainder == d and quotient % 2):
        quotient += 1
    return quotient if a >= 0 else -quotient


@event.listens_for(Engine, "connect")
def _register_sqlite_functions(dbapi_connection, _record) -> None:
    """Every SQLite connection can compute classified amounts (``ScaleExact``): reads
    derive them from the evaluations, so not only the classifier's connection needs it."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function(SQLITE_SCALE_FUNCTION, 3, scale_exact, deterministic=True)


def prepare_connection(session: Session) -> None:
    """The bulk settings (app.sql.prepare_bulk_work) and, on SQLite, the exact scaling function."""
    prepare_bulk_work(session)
    if not is_postgres(session):
        _register_sqlite_functions(session.connection().connection.dbapi_connection, None)


class ScaleExact(FunctionElement):
    """round_half_even(amount × numerator ÷ denominator) of integers, as a BIGINT; NULL
    when any is NULL. Compiled per engine (``scale_exact`` is the reference)."""

    type = BigInteger()
    name = "scale_exact"
    inherit_cache = True


@compiles(ScaleExact)
@compiles(ScaleExact, "sqlite")
def _scale_sqlite(element, compiler, **kw):
    amount, numerator, denominator = element.clauses
    exact = getattr(func, SQLITE_SCALE_FUNCTION)(amount, numerator, denominator)
    return compiler.process(_short_cut(amount, numerator, denominator, exact), **kw)


@compiles(ScaleExact, "postgresql")
def _scale_postgres(element, compiler, **kw):
    amount, numerator, denominator = element.clauses
    product = func.abs(cast(amount, Numeric)) * cast(numerator, Numeric)
    den = cast(denominator, Numeric)
    quotient = func.div(product, den)
    remainder = product - quotient * den
    round_up = or_(remainder * 2 > den, and_(remainder * 2 == den, func.mod(quotient, 2) == 1))
    exact = cast(case((round_up, quotient + 1), else_=quotient) * func.sign(amount), BigInteger)
    return compiler.process(_short_cut(amount, numerator, denominator, exact), **kw)


def _short_cut(amount, numerator, denominator, exact):
    """A share of 100 % in EUR (most lines) or of 0 needs no arithmetic."""
    return case((numerator == denominator, amount), (numerator == 0, 0), else_=exact)


def scaled_sql(amount, numerator, denominator):
    """round_half_even(amount × numerator ÷ denominator) as a BIGINT expression, any engine."""
    return ScaleExact(amount, numerator, denominator)


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
