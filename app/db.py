"""Engine, sessions, the declarative base and exact column types.

Services take a Session as their first argument and never commit; the caller
(a view, a job, a CLI command) owns the transaction through ``unit_of_work``.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Iterator

from flask import current_app, g, has_app_context, request
from sqlalchemy import BigInteger, DateTime, Integer, MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: integer primary keys that are BIGINT on PostgreSQL and rowid aliases on SQLite
BigId = BigInteger().with_variant(Integer, "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on both engines (SQLite keeps no offset)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


class ScaledDecimal(TypeDecorator):
    """An exact decimal stored as a scaled integer (``value × 10**scale``).

    SQLite stores NUMERIC as binary floating point, so sums drift; integers are
    exact on every engine. A value with more decimals than the scale is refused,
    never rounded silently.
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int):
        super().__init__()
        self.scale = scale

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return to_scaled_int(value, self.scale)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return from_scaled_int(value, self.scale)


def to_scaled_int(value, scale: int) -> int:
    if isinstance(value, float):
        raise TypeError("money and rates must be Decimal, not float")
    try:
        dec = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc
    scaled = dec.scaleb(scale)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than {scale} decimals")
    return int(scaled)


def from_scaled_int(value: int, scale: int) -> Decimal:
    return (Decimal(int(value)).scaleb(-scale)).quantize(Decimal(1).scaleb(-scale))


def Money() -> ScaledDecimal:  # noqa: N802 - reads like a type in column definitions
    """Money in integer minor units (cents); the currency lives in its own column."""
    return ScaledDecimal(2)


def Rate() -> ScaledDecimal:  # noqa: N802
    """Exchange rates and coefficients: ten decimals, exact."""
    return ScaledDecimal(10)


def round_money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


class Database:
    """One engine and session factory per application."""

    def __init__(self, url: str, **engine_options):
        self.url = url
        self.engine = make_engine(url, **engine_options)
        self.Session = sessionmaker(bind=self.engine, expire_on_commit=False)

    def bind_to(self, connection, join_transaction_mode: str = "create_savepoint") -> None:
        """Make every session use ``connection`` (tests: savepoint per test)."""
        self.Session.configure(bind=connection, join_transaction_mode=join_transaction_mode)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"


def make_engine(url: str, **options) -> Engine:
    if url.startswith("sqlite"):
        options.setdefault("connect_args", {"timeout": 30})
        engine = create_engine(url, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    options.setdefault("pool_pre_ping", True)
    return create_engine(url, **options)


def _sqlite_pragmas(dbapi_connection, _record):
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so
    # that SAVEPOINTs work (SQLAlchemy's documented pysqlite recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
    dbapi_connection.create_function("money_cents", 1, _money_cents, deterministic=True)


def _money_cents(text):
    """SQLite has no exact decimal: the cents of an amount written as text ('1234.5'), for
    handlers that sum event payloads in SQL (app.sql.money_cents)."""
    if text is None:
        return None
    return int(Decimal(str(text)).scaleb(2).to_integral_value())


#: a request that only reads (GET, HEAD, OPTIONS) reads SQLite in DEFERRED transactions
_reads_deferred: ContextVar[bool] = ContextVar("aidledger_sqlite_reads_deferred", default=False)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _sqlite_begin(connection):
    # IMMEDIATE takes the write lock up front: a deferred transaction that reads and
    # later writes fails at once ("database is locked") when another connection
    # committed in between, and busy_timeout cannot help it. A page that only reads
    # begins DEFERRED instead: in WAL mode readers then run side by side instead of
    # queueing for the write lock, and a write of such a request goes through
    # ``unit_of_work``, which ends the read first so that the write begins IMMEDIATE.
    connection.exec_driver_sql("BEGIN DEFERRED" if _reads_deferred.get() else "BEGIN IMMEDIATE")


def init_request_transactions(app) -> None:
    """Read-only requests read DEFERRED on SQLite (the sign-in's rare touch of the session
    is written through ``unit_of_work``)."""

    def defer_reads() -> None:
        if request.method in SAFE_METHODS:
            g.reads_deferred = _reads_deferred.set(True)

    def end_deferred_reads(_exc=None) -> None:
        token = g.pop("reads_deferred", None)
        if token is not None:
            _reads_deferred.reset(token)

    app.before_request(defer_reads)
    app.teardown_request(end_deferred_reads)


_readers: dict[str, Engine] = {}
_readers_lock = threading.Lock()


def sqlite_reader(engine: Engine, cache_kb: int) -> Engine:
    """A second engine for the SQLite file of ``engine`` for long reads: its transactions
    begin DEFERRED and may not write (``PRAGMA query_only``), so in WAL mode a read is one
    consistent snapshot that writers do not wait for; ``cache_kb`` of page cache."""
    url = engine.url.render_as_string(hide_password=False)
    with _readers_lock:
        reader = _readers.get(url)
        if reader is None:
            # check_same_thread off: a query started by a background thread is read on by
            # another thread (one thread at a time; see exports/crs/prefetch.py)
            reader = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
            event.listen(reader, "connect", lambda dbapi_connection, _record: _reader_pragmas(dbapi_connection,
                                                                                              cache_kb))
            event.listen(reader, "begin", lambda connection: connection.exec_driver_sql("BEGIN DEFERRED"))
            _readers[url] = reader
    return reader


def _reader_pragmas(dbapi_connection, cache_kb: int) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy, not pysqlite, begins transactions
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute(f"PRAGMA cache_size=-{cache_kb}")
    cursor.close()


def get_db(app=None) -> Database:
    return (app or current_app).extensions["aidledger.db"]


def get_session() -> Session:
    """The session of the current app context (a request, a CLI command, a job)."""
    if "db_session" not in g:
        g.db_session = get_db().Session()
    return g.db_session


def close_session(_exc=None) -> None:
    if has_app_context():
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


@contextmanager
def unit_of_work(session: Session | None = None) -> Iterator[Session]:
    """Commit everything done inside the block, or nothing. In a read-only request on
    SQLite the read transaction ends first, so that the write begins IMMEDIATE."""
    session = session or get_session()
    writing = None
    if _reads_deferred.get():
        session.commit()  # ends the DEFERRED read (nothing to write: the request only read so far)
        writing = _reads_deferred.set(False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        if writing is not None:
            _reads_deferred.reset(writing)
