"""Test database per engine, schema built once by the migrations, a savepoint per test.

SQLite by default; PostgreSQL when AIDLEDGER_TEST_DATABASE_URL is set (``make test``
sets it from DATABASE_URL).
"""
from __future__ import annotations

import os
import uuid

import pytest
from flask import g
from sqlalchemy import create_engine, event, text

from app import create_app, migrate
from app.db import get_db
from app.events.bus import Actor


def _test_database_url(tmp_path_factory) -> str:
    url = os.environ.get("AIDLEDGER_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'aidledger-test.sqlite3'}"


def _reset_postgres(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = _test_database_url(tmp_path_factory)
    if url.startswith("postgresql"):
        _reset_postgres(url)
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app({
        "DATABASE_URL": database_url,
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test-secret-" + uuid.uuid4().hex,
        "SERVER_NAME": "aidledger.test",
    })
    yield app
    get_db(app).engine.dispose()


@pytest.fixture(scope="session")
def engine(app):
    return get_db(app).engine


@pytest.fixture
def connection(app, engine):
    """One connection per test inside a transaction that is rolled back afterwards."""
    conn = engine.connect()
    outer = conn.begin()
    get_db(app).bind_to(conn)
    yield conn
    get_db(app).Session.configure(bind=engine, join_transaction_mode="conservative_savepoint")
    if outer.is_active:
        outer.rollback()
    conn.close()


@pytest.fixture
def app_ctx(app, connection):
    with app.app_context():
        g.event_actor = Actor("tests@aidledger.test", "test-" + uuid.uuid4().hex[:8])
        yield


@pytest.fixture
def session(app_ctx):
    """The app-context session, bound to the test connection (services tested without HTTP)."""
    from app.db import get_session

    return get_session()


@pytest.fixture
def client(app, connection):
    return app.test_client()


@pytest.fixture
def count_queries(engine):
    """``with count_queries() as n: …; assert n() <= 5``"""
    from contextlib import contextmanager

    @contextmanager
    def counter():
        statements = []

        def before(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
                statements.append(statement)

        event.listen(engine, "before_cursor_execute", before)
        try:
            yield lambda: len(statements)
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counter


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")
