"""The whole Flemish demo (every package's ``load_demo``, events dispatched) on a connection
of its own inside a transaction rolled back at the end: for module-scoped fixtures that need
the demo without leaving it in the shared test database."""
from __future__ import annotations

import importlib
import uuid
from contextlib import contextmanager
from typing import Iterator

from flask import g
from sqlalchemy.engine import Connection

from app.db import Database, get_db
from app.events.bus import Actor
from app.events.dispatcher import dispatch
from app.packages import DOMAIN_PACKAGES


@contextmanager
def own_connection(app, engine) -> Iterator[Connection]:
    """The app's sessions bound to a new connection; all rolled back (and the sessions bound to
    the engine again) when the block ends."""
    conn = engine.connect()
    outer = conn.begin()
    db = get_db(app)
    db.bind_to(conn)
    try:
        yield conn
    finally:
        db.Session.configure(bind=engine, join_transaction_mode="conservative_savepoint")
        outer.rollback()
        conn.close()


@contextmanager
def acting(app, actor: str):
    """An app context whose events are by ``actor``."""
    with app.app_context():
        g.event_actor = Actor(actor, f"{actor}-{uuid.uuid4().hex[:8]}")
        yield


def load_every_demo(db: Database) -> None:
    """What ``flask demo load`` does: each package's demo, committed, then its events dispatched."""
    for name in DOMAIN_PACKAGES:
        loader = getattr(importlib.import_module(name), "load_demo", None)
        if loader is not None:
            session = db.Session()
            loader(session)
            session.commit()
            session.close()
    dispatch(db.Session)


@contextmanager
def session_on(app, conn: Connection, actor: str):
    """A session of the app bound to ``conn`` (a module's demo), in an app context with ``actor``."""
    get_db(app).bind_to(conn)
    with acting(app, actor):
        session = get_db(app).Session()
        try:
            yield session
        finally:
            session.close()
