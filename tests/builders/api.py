"""Talking to the API in tests the way a client does: bearer tokens, JSON, one
request per app context (so a request never shares the test's session).

Test modules import the fixture: ``from tests.builders.api import api  # noqa: F401``.
"""
from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from unittest.mock import patch

import pytest
from flask import g
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from app.auth.models import ApiToken, User
from app.auth.roles import Role
from app.db import get_session
from app.events.bus import Actor
from tests.builders.users import PASSWORD, user_with_role


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return generate_password_hash(PASSWORD)


def _reuse_password_hash(user, password: str) -> None:
    """Hashing a password costs ~0.15 s; API tests create many users, all with PASSWORD."""
    assert password == PASSWORD
    user.password_hash = _password_hash()


class ApiWorld:
    """Seeds data in committed units of work and calls the API with tokens."""

    def __init__(self, app, client):
        self.app = app
        self.client = client

    def seed(self, build):
        """Run ``build(session)`` in its own app context and commit it (inside the
        test's outer transaction, which is rolled back after the test)."""
        with self.app.app_context():
            g.event_actor = Actor("seed@aidledger.test", "seed")
            session = get_session()
            result = build(session)
            session.commit()
            return result

    def token(self, role: Role, programme_id: int | None = None, email: str | None = None,
              expires_at: datetime | None = None, revoked: bool = False) -> str:
        def build(session):
            with patch.object(User, "set_password", _reuse_password_hash):
                user = user_with_role(session, role, programme_id, email)
            token, secret = ApiToken.issue(user, "tests", expires_at)
            token.revoked = revoked
            session.add(token)
            return secret

        return self.seed(build)

    def call(self, method: str, url: str, token: str | None = None, body=None, headers=None, **kwargs):
        headers = dict(headers or {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            kwargs["data"] = body if isinstance(body, (str, bytes)) else json.dumps(body)
            kwargs.setdefault("content_type", "application/json")
        return self.client.open(url, method=method, headers=headers, **kwargs)

    def get(self, url, token=None, **kwargs):
        return self.call("GET", url, token, **kwargs)

    def post(self, url, token=None, body=None, **kwargs):
        return self.call("POST", url, token, body, **kwargs)

    def put(self, url, token=None, body=None, **kwargs):
        return self.call("PUT", url, token, body, **kwargs)

    def patch(self, url, token=None, body=None, **kwargs):
        return self.call("PATCH", url, token, body, **kwargs)

    def delete(self, url, token=None, **kwargs):
        return self.call("DELETE", url, token, **kwargs)

    def count(self, model) -> int:
        with self.app.app_context():
            return get_session().scalar(select(func.count()).select_from(model))

    def counts(self, *models) -> dict:
        return {m.__name__: self.count(m) for m in models}

    def query(self, fetch):
        """Read the database the way a later request would: ``fetch(session)``."""
        with self.app.app_context():
            return fetch(get_session())


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The stable error shape; returns the inner ``error`` object."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "code", "message", "details"}
    assert error["status"] == status
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], dict)
    if code is not None:
        assert error["code"] == code
    return error


def pagination(response) -> dict:
    return json.loads(response.headers["X-Pagination"])


@pytest.fixture
def api(app, client):
    return ApiWorld(app, client)
