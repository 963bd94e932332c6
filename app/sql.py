"""SQL expressions that build JSON and text the same way on SQLite and PostgreSQL.

For events written with INSERT … SELECT (classification runs, ledger imports): the
payload is built by the database, so a million rows cost no Python serialisation. The
texts are those ``app.events.payload.jsonable`` writes for the same values.
"""
from __future__ import annotations

from sqlalchemy import Numeric, String, any_, bindparam, case, cast, func, literal, literal_column
from sqlalchemy.orm import Session


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


#: SQLite's page cache for bulk work; its default (2 MB) makes index updates disk-bound
BULK_CACHE_KB = 128 * 1024
#: PostgreSQL's memory per sort or hash of a bulk statement; its default (4 MB) sorts on disk
BULK_WORK_MEM = "64MB"


def prepare_bulk_work(session: Session) -> None:
    """Engine settings for a transaction that writes or reads rows by the hundred
    thousand. SQLite: a page cache of up to BULK_CACHE_KB (taken as needed, kept by the
    pooled connection). PostgreSQL, for this transaction only: BULK_WORK_MEM, and no JIT
    (its compiling costs more than it saves on these statements)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SET LOCAL work_mem = '{BULK_WORK_MEM}'")
        connection.exec_driver_sql("SET LOCAL jit = off")
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KB}")


def among(session: Session, column, keys: list):
    """``column IN keys``; on PostgreSQL one array parameter (``= ANY``) instead of
    thousands (each of which psycopg would rewrite into the statement's text)."""
    if is_postgres(session):
        from sqlalchemy.dialects.postgresql import ARRAY

        return column == any_(bindparam(None, list(keys), type_=ARRAY(column.type)))
    return column.in_(list(keys))


def json_object(session: Session, pairs: dict):
    """A JSON object built in SQL from {key: expression}; keys are our own constants."""
    args = []
    for key, value in pairs.items():
        args += [literal_column(f"'{key}'"), value]
    return func.json_build_object(*args) if is_postgres(session) else func.json_object(*args)


def json_values_agg(session: Session, value):
    """Aggregate plain values (numbers, text) into one JSON array per group."""
    return func.json_agg(value) if is_postgres(session) else func.json_group_array(value)


def money_text(session: Session, cents):
    """Integer cents as the Decimal text of the amount: 150000000 → '1500000.00', -5 → '-0.05'."""
    if is_postgres(session):
        return cast(cast(cents, Numeric(20, 2)) / 100, Numeric(20, 2)).cast(String)
    sign = case((cents < 0, literal("-")), else_=literal(""))
    return case((cents.is_not(None), func.printf("%s%d.%02d", sign, func.abs(cents) / 100, func.abs(cents) % 100)))


def date_text(session: Session, day):
    """A DATE column as ISO text (SQLite stores it so already)."""
    return func.to_char(day, "YYYY-MM-DD") if is_postgres(session) else day
