"""Server-side browser sessions: the cookie carries a random key, the database says whether it still counts.

A session ends on logout, after ``AIDLEDGER_SESSION_IDLE_SECONDS`` without a request, after
``AIDLEDGER_SESSION_SECONDS`` in all, and for every session of a user whose password, active
flag or roles change (a flush hook, so every path that changes them ends the sessions:
the CLI, a service, a test builder).
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from app.auth.models import RoleAssignment, User, UserSession
from app.db import utcnow

#: last_seen_at is written at most this often, so a busy page does not write on every request
TOUCH_INTERVAL = timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(db: Session, user: User) -> str:
    """A new session for ``user``; returns the key for the cookie (only its hash is stored)."""
    key = secrets.token_urlsafe(32)
    db.add(UserSession(user_id=user.id, key_hash=_hash(key)))
    db.flush()
    return key


def session_user(db: Session, key: str, idle: timedelta, lifetime: timedelta) -> User | None:
    """The user of a live session, or None (and the session is ended if it just ran out)."""
    row = db.scalar(select(UserSession).where(UserSession.key_hash == _hash(key), UserSession.ended_at.is_(None)))
    if row is None:
        return None
    now = utcnow()
    reason = "idle" if now - row.last_seen_at > idle else "expired" if now - row.created_at > lifetime else None
    user = db.get(User, row.user_id)
    if reason is None and not user.active:
        reason = "deactivated"
    if reason is not None:
        row.ended_at, row.ended_because = now, reason
        return None
    if now - row.last_seen_at >= TOUCH_INTERVAL:
        row.last_seen_at = now
    return user


def end_session(db: Session, key: str, reason: str = "logout") -> None:
    db.execute(update(UserSession).where(UserSession.key_hash == _hash(key), UserSession.ended_at.is_(None))
               .values(ended_at=utcnow(), ended_because=reason))


def _end_sessions_of(connection, user_ids: set[int], reason: str) -> None:
    connection.execute(update(UserSession).where(UserSession.user_id.in_(sorted(user_ids)),
                                                 UserSession.ended_at.is_(None))
                       .values(ended_at=utcnow(), ended_because=reason))


def _changed(obj, *attributes: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in attributes)


def _users_whose_sessions_end(db: Session) -> dict[str, set[int]]:
    ending: dict[str, set[int]] = {"password": set(), "deactivated": set(), "roles": set()}
    for obj in db.dirty:
        if isinstance(obj, User) and obj.id is not None:
            if _changed(obj, "password_hash"):
                ending["password"].add(obj.id)
            if _changed(obj, "active") and not obj.active:
                ending["deactivated"].add(obj.id)
            if _changed(obj, "roles"):
                ending["roles"].add(obj.id)
        elif isinstance(obj, RoleAssignment) and _changed(obj, "role", "programme_id"):
            ending["roles"].add(obj.user_id)
    for obj in list(db.new) + list(db.deleted):
        if isinstance(obj, RoleAssignment):
            user_id = obj.user_id if obj.user_id is not None else getattr(obj.user, "id", None)
            if user_id is not None:
                ending["roles"].add(user_id)
    return ending


def install_session_end_hooks(session_factory) -> None:
    @event.listens_for(session_factory, "before_flush")
    def end_sessions_on_account_changes(db, _flush_context, _instances):
        for reason, user_ids in _users_whose_sessions_end(db).items():
            if user_ids:
                _end_sessions_of(db.connection(), user_ids, reason)
