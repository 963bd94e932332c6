"""When was an API token last used: shown to its owner, helps spot forgotten tokens."""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import g, request
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from app.auth.current import bearer_secret
from app.auth.models import ApiToken
from app.db import get_session, utcnow

log = logging.getLogger(__name__)

#: write at most once a minute per token, so a busy client does not write on every call
TOUCH_INTERVAL = timedelta(minutes=1)


def record_token_use() -> None:
    """Stamp ``last_used_at`` of the bearer token of this request.

    Bookkeeping, not a change anyone made: no event is published. It commits
    on its own before the view runs, so a view that fails and rolls back does
    not take the stamp with it.
    """
    if g.get("auth_method") != "token" or not request.path.startswith("/api/"):
        return
    secret = bearer_secret()
    session = get_session()
    now = utcnow()
    try:
        row = session.execute(select(ApiToken.id, ApiToken.last_used_at)
                              .where(ApiToken.token_hash == ApiToken.hash(secret))).first()
        if row is not None and (row.last_used_at is None or now - row.last_used_at >= TOUCH_INTERVAL):
            session.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now))
            session.commit()
    except SQLAlchemyError:
        session.rollback()
        log.warning("could not record the use of API token", exc_info=True)
