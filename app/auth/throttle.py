"""Slowing password guessing: per account (the typed e-mail) and per client address.

Every attempt is counted as a failure *before* the password is checked, under a row lock
(PostgreSQL; SQLite serialises writers), so a hundred parallel guesses cannot all slip
through before the first failure is written; a success then takes its count back.
After ``free`` failures each further attempt must wait a delay that doubles (1 s, 2 s, 4 s
… at most ``MAX_DELAY``); after ``lock_after`` the key is locked for ``LOCK``. Failures
are forgotten ``WINDOW`` after the last one. The typed e-mail is the key whether or not the
account exists, so the answers never tell. Failures and locks are events; an
administrator unlocks with ``flask users unlock``.
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.auth.models import LoginThrottle, User
from app.db import utcnow
from app.events import publish

WINDOW = timedelta(minutes=15)
LOCK = timedelta(minutes=15)
MAX_DELAY = timedelta(seconds=60)


class Policy(NamedTuple):
    kind: str
    free: int
    lock_after: int


ACCOUNT = Policy("account", free=3, lock_after=10)
#: many colleagues may sign in from one office address: more room before it slows down
ADDRESS = Policy("address", free=20, lock_after=100)


class Keys(NamedTuple):
    account: str
    address: str


def _account_key(email: str) -> str:
    return f"{ACCOUNT.kind}:{email.strip().lower()}"[:300]


def _address_key(address: str) -> str:
    return f"{ADDRESS.kind}:{address}"[:300]


def keys_for(email: str, address: str) -> Keys:
    return Keys(_account_key(email), _address_key(address))


def delay_after(policy: Policy, failures: int) -> timedelta:
    if failures <= policy.free:
        return timedelta(0)
    return min(MAX_DELAY, timedelta(seconds=2 ** min(failures - policy.free - 1, 16)))


def _locked_row(db: Session, key: str) -> LoginThrottle:
    row = db.scalar(select(LoginThrottle).where(LoginThrottle.key == key).with_for_update())
    if row is not None:
        return row
    try:
        with db.begin_nested():
            row = LoginThrottle(key=key, failures=0)
            db.add(row)
    except IntegrityError:  # a parallel attempt created it first
        row = db.scalar(select(LoginThrottle).where(LoginThrottle.key == key).with_for_update())
    return row


def begin_attempt(db: Session, keys: Keys) -> int | None:
    """Seconds to wait when the attempt is refused; otherwise None, and the attempt is counted."""
    now = utcnow()
    rows = [(_locked_row(db, key), policy) for key, policy in zip(keys, (ACCOUNT, ADDRESS))]
    wait = max((row.not_before for row, _p in rows if row.not_before and row.not_before > now), default=None)
    if wait is not None:
        return max(1, math.ceil((wait - now).total_seconds()))
    for row, policy in rows:
        if row.last_failure_at is None or now - row.last_failure_at > WINDOW:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        row.not_before = now + delay_after(policy, row.failures)
    db.flush()
    return None


def attempt_succeeded(db: Session, keys: Keys) -> None:
    """The right password: the account starts afresh, and the address gets its count back."""
    db.execute(delete(LoginThrottle).where(LoginThrottle.key == keys.account))
    address = db.get(LoginThrottle, keys.address)
    if address is not None:
        address.failures = max(0, address.failures - 1)
        address.not_before = None
    db.flush()


def attempt_failed(db: Session, keys: Keys, user: User | None, address: str) -> None:
    """Record the failure; lock a key that reached its limit."""
    now = utcnow()
    account, client = db.get(LoginThrottle, keys.account), db.get(LoginThrottle, keys.address)
    aggregate_id = str(user.id) if user is not None else "unknown"
    publish(db, "LoginFailed", "Login", aggregate_id, {
        "user_id": user.id if user else None, "address": address,
        "account_failures": account.failures, "address_failures": client.failures})
    for row, policy in ((account, ACCOUNT), (client, ADDRESS)):
        if row.failures >= policy.lock_after and not _locked(row, now):
            row.locked_until = row.not_before = now + LOCK
            publish(db, "LoginLocked", "Login", aggregate_id if policy is ACCOUNT else address, {
                "locked": policy.kind, "user_id": user.id if user else None, "address": address,
                "failures": row.failures, "until": row.locked_until.isoformat()})
    db.flush()


def _locked(row: LoginThrottle, now: datetime) -> bool:
    return row.locked_until is not None and row.locked_until > now


def unlock(db: Session, email: str | None = None, address: str | None = None) -> int:
    """Forget the failures of an account and/or an address (an administrator's decision)."""
    keys = ([_account_key(email)] if email else []) + ([_address_key(address)] if address else [])
    removed = db.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(keys))).rowcount if keys else 0
    if removed:
        publish(db, "LoginUnlocked", "Login", (email or address)[:64], {"email": email, "address": address})
    return removed
