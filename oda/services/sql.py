"""Portable SQL pieces for bulk classification on SQLite and PostgreSQL.

Amounts are integer minor units and shares/rates integers scaled by 10^10, so
``amount × share`` and ``amount ÷ rate`` are exact integer arithmetic with one
half-to-even rounding (as ``app.db.round_money``). PostgreSQL does it in NUMERIC;
SQLite's 64-bit integers would overflow, so there a deterministic SQL function
written in Python does the same arithmetic.
"""
from __future__ import annotations

from sqlalchemy import BigInteger, Numeric, and_, case, cast, func, literal_column, or_, text, type_coerce
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

SCALE = 10**10
SQLITE_SCALE_FUNCTION = "aidledger_scale"
SQLITE_CACHE_KB = 128 * 1024
POSTGRES_WORK_MEM = "64MB"


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


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


def prepare_connection(session: Session) -> None:
    """SQLite: the exact-arithmetic function, and a page cache large enough that bulk
    index maintenance is not disk-bound (the default is 2 MB). PostgreSQL: memory for
    the hash joins over the work set, for this transaction only (the default is 4 MB)."""
    if is_postgres(session):
        session.execute(text(f"SET LOCAL work_mem = '{POSTGRES_WORK_MEM}'"))
        return
    dbapi = session.connection().connection.dbapi_connection
    dbapi.create_function(SQLITE_SCALE_FUNCTION, 3, scale_exact, deterministic=True)
    dbapi.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KB}")



def scaled(session: Session, amount, numerator, denominator):
    """round_half_even(amount × numerator ÷ denominator) as a BIGINT expression."""
    if not is_postgres(session):
        exact = getattr(func, SQLITE_SCALE_FUNCTION)(amount, numerator, denominator)
        return case((numerator == denominator, amount), (numerator == 0, 0), else_=exact)
    product = func.abs(cast(amount, Numeric)) * cast(numerator, Numeric)
    den = cast(denominator, Numeric)
    quotient = func.div(product, den)
    remainder = product - quotient * den
    round_up = or_(remainder * 2 > den, and_(remainder * 2 == den, func.mod(quotient, 2) == 1))
    exact = case((round_up, quotient + 1), else_=quotient) * func.sign(amount)
    return case((numerator == denominator, amount), (numerator == 0, 0), else_=cast(exact, BigInteger))


def json_object(session: Session, pairs: dict):
    """A JSON object built in SQL from {key: expression}; keys are our own constants."""
    args = []
    for key, value in pairs.items():
        args += [literal_column(f"'{key}'"), value]
    return func.json_build_object(*args) if is_postgres(session) else func.json_object(*args)


def json_values_agg(session: Session, value):
    """Aggregate plain values (numbers, text) into one JSON array per group."""
    return func.json_agg(value) if is_postgres(session) else func.json_group_array(value)
