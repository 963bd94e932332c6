"""Exact scaled-integer arithmetic, in Python and in SQL, on SQLite and PostgreSQL.

Amounts are integer minor units and shares/rates integers scaled by 10^10, so
``amount × share`` and ``amount ÷ rate`` are exact integer arithmetic with one
half-to-even rounding (as ``app.db.round_money``). PostgreSQL does it in NUMERIC;
SQLite's 64-bit integers would overflow, so there a deterministic SQL function
written in Python does the same arithmetic. The ledger's EUR values (app.rates) and
the classification's amounts (oda) both use it: one definition of the rounding.
"""
from __future__ import annotations

import sqlite3

from sqlalchemy import BigInteger, Engine, Numeric, and_, case, cast, event, func, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

SCALE = 10**10
SQLITE_SCALE_FUNCTION = "aidledger_scale"


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
def register_sqlite_functions(dbapi_connection, _record) -> None:
    """Every SQLite connection can compute scaled amounts (``ScaleExact``): reads derive
    them in SQL, so not only a bulk writer's connection needs it."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function(SQLITE_SCALE_FUNCTION, 3, scale_exact, deterministic=True)


class ScaleExact(FunctionElement):
    """round_half_even(amount × numerator ÷ denominator) of integers, as a BIGINT; NULL
    when any is NULL. Compiled per engine (``scale_exact`` is the reference)."""

    type = BigInteger()
    name = "scale_exact"
    inherit_cache = True


def scaled_sql(amount, numerator, denominator):
    """round_half_even(amount × numerator ÷ denominator) as a BIGINT expression, any engine."""
    return ScaleExact(amount, numerator, denominator)


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
