"""SQL pieces of bulk classification: its lock, money columns as integers, the connection
settings. What differs between the engines is the kernel's (``app.sql``), and so is the
exact scaled arithmetic (``scale_exact``, ``scaled_sql``: ``app.exact``), shared with the
ledger's EUR values.
"""
from __future__ import annotations

from sqlalchemy import BigInteger, type_coerce
from sqlalchemy.orm import Session

from app.exact import register_sqlite_functions
from app.sql import is_sqlite, prepare_bulk_work, transaction_lock

CLASSIFY_LOCK_KEY = 7_141_004


def wait_for_classification(session: Session) -> None:
    """Serialise with a running classification (PostgreSQL; SQLite has one writer anyway),
    so that its bulk statement never overwrites a decision taken meanwhile."""
    transaction_lock(session, CLASSIFY_LOCK_KEY)


def raw(column):
    """A Money/Rate column as the integer it stores (no Decimal conversion in SQL)."""
    return type_coerce(column, BigInteger)


def prepare_connection(session: Session) -> None:
    """The bulk settings (app.sql.prepare_bulk_work) and, on SQLite, the exact scaling function."""
    prepare_bulk_work(session)
    if is_sqlite(session):
        register_sqlite_functions(session.connection().connection.dbapi_connection, None)
