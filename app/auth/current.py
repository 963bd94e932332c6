"""Who is asking: a logged-in browser session or an API bearer token."""
from __future__ import annotations

import hashlib

from flask import g, request, session
from sqlalchemy import select

from app.auth.models import ApiToken, User
from app.db import get_session, utcnow
from app.events.bus import Actor
from app.web.request_ids import new_correlation_id


def load_current_user() -> None:
    g.user = None
    g.auth_method = None
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        g.user = _user_from_token(header[7:].strip())
        g.auth_method = "token" if g.user else "bad_token"
    elif session.get("user_id") and not request.path.startswith("/api/"):
        # The API takes bearer tokens only, so cookies can never ride a cross-site request there.
        user = get_session().get(User, session["user_id"])
        if user is not None and user.active and session.get("auth_key") == _auth_key(user):
            g.user = user
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


def login_user(user: User) -> None:
    session.clear()
    session["user_id"] = user.id
    session["auth_key"] = _auth_key(user)
    session.permanent = True


def _auth_key(user: User) -> str:
    """Changes when the password changes, which ends every open session of the user."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def logout_user() -> None:
    session.clear()
