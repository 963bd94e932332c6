"""On SQLite, a page that only reads does not queue for the write lock: while finance's import
holds it (another connection in a write transaction), the overview, the review queue and Year
close still answer; a read-only request that has to write (the sign-in's touch of the session)
still writes, once the lock is free.

These tests run an app on a database file of their own: the suite's shared connection holds
one long transaction, which is exactly what they need to be free of."""
import sqlite3
import uuid
from datetime import timedelta

import pytest
from flask import g
from sqlalchemy import select, update

from app import create_app, migrate
from app.auth.models import UserSession
from app.auth.roles import Role
from app.auth.services import create_user
from app.auth.sessions import TOUCH_INTERVAL
from app.db import get_db, unit_of_work, utcnow
from app.events.bus import Actor

OFFICER, PASSWORD = "oda.officer@vlaanderen.test", "Lilongwe-2024-review"


@pytest.fixture
def own_app(database_url, tmp_path):
    if not database_url.startswith("sqlite"):
        pytest.skip("on PostgreSQL readers never wait for a writer")
    path = tmp_path / "aidledger.sqlite3"
    migrate.upgrade(f"sqlite:///{path}")
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "SECRET_KEY": uuid.uuid4().hex, "SERVER_NAME": "aidledger.test"})
    with app.app_context():
        g.event_actor = Actor("setup@vlaanderen.test", "setup")
        with unit_of_work() as session:
            create_user(session, OFFICER, "ODA officer", PASSWORD, [(Role.ODA_OFFICER, None)])
    app.database_path = str(path)
    yield app
    get_db(app).engine.dispose()


def _signed_in(app):
    client = app.test_client()
    assert client.post("/login", data={"email": OFFICER, "password": PASSWORD}).status_code == 302
    return client


def _hold_write_lock(path: str) -> sqlite3.Connection:
    """What a long import does: a write transaction of another connection, not committed yet."""
    writer = sqlite3.connect(path, timeout=5, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    return writer


def test_pages_answer_while_an_import_holds_the_write_lock(own_app):
    officer = _signed_in(own_app)
    writer = _hold_write_lock(own_app.database_path)
    try:
        for page in ("/", "/oda/reviews", "/oda/year-close?year=2024"):
            assert officer.get(page).status_code == 200, page
        assert writer.in_transaction  # the lock was held throughout
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_read_only_request_still_writes_the_sign_in_touch(own_app):
    officer = _signed_in(own_app)
    stale = utcnow() - TOUCH_INTERVAL - timedelta(seconds=5)
    with own_app.app_context(), unit_of_work() as session:
        session.execute(update(UserSession).values(last_seen_at=stale))
    assert officer.get("/").status_code == 200
    with own_app.app_context(), unit_of_work() as session:
        assert all(seen > stale for seen in session.scalars(select(UserSession.last_seen_at)))
