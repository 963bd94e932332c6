"""Who is asking: a logged-in browser session or an API bearer token."""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app, g, request, session
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app.auth.models import ApiToken, User
from app.auth.sessions import session_user
from app.db import get_session, unit_of_work, utcnow
from app.events.bus import Actor
from app.web.request_ids import new_correlation_id

log = logging.getLogger(__name__)
#: the cookie's name for the key of the server-side session
SESSION_KEY = "session_key"


def bearer_secret() -> str | None:
    """The token of ``Authorization: Bearer <token>``; the scheme is case-insensitive (RFC 9110)."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else None


def load_current_user() -> None:
    g.user = None
    g.auth_method = None
    secret = bearer_secret()
    if secret is not None:
        g.user = _user_from_token(secret)
        g.auth_method = "token" if g.user else "bad_token"
    elif session.get(SESSION_KEY) and not request.path.startswith("/api/"):
        # The API takes bearer tokens only, so cookies can never ride a cross-site request there.
        g.user = _user_from_session(session[SESSION_KEY])
        if g.user is not None:
            g.auth_method = "session"
        else:
            session.clear()
    g.event_actor = Actor(g.user.email if g.user else "anonymous", g.get("correlation_id") or new_correlation_id())


def _user_from_token(secret: str) -> User | None:
    if not secret or len(secret) > 200:
        return None
    db = get_session()
    token = db.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(secret)))
    if token is None or token.revoked or not token.user.active:
        return None
    if token.expires_at is not None and token.expires_at <= utcnow():
        return None
    return token.user


def _user_from_session(key: str) -> User | None:
    """The user of a live server-side session. Touching or ending it commits on its own, before
    the view runs (like a token's last use), so a view that rolls back does not undo it."""
    config = current_app.config
    idle = timedelta(seconds=config["AIDLEDGER_SESSION_IDLE_SECONDS"])
    db = get_session()
    try:
        user = session_user(db, str(key), idle, current_app.permanent_session_lifetime)
        if db.dirty:  # touched or ended (at most once a minute): written as a write, not inside a read
            db.rollback()
            with unit_of_work(db):
                user = session_user(db, str(key), idle, current_app.permanent_session_lifetime)
        else:
            db.commit()
    except SQLAlchemyError:
        db.rollback()
        log.warning("could not read the browser session", exc_info=True)
        return None
    return user


def login_user(session_key: str) -> None:
    """Put the key of a session made by ``app.auth.sessions.start_session`` in the cookie."""
    session.clear()
    session[SESSION_KEY] = session_key
    session.permanent = True


def logout_user() -> None:
    session.clear()
