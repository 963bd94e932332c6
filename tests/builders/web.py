"""Driving the browser pages in tests: seed data in committed units of work,
sign in through the login form, read the database the way a later request would.

Each request then runs in its own app context and session, as in production.
Test modules import the fixture: ``from tests.builders.web import web  # noqa: F401``.
"""
from __future__ import annotations

import re
from datetime import date
from unittest.mock import patch

import pytest
from flask import g
from werkzeug.security import generate_password_hash

from app.auth.models import ApiToken, User
from app.auth.roles import Role
from app.auth.services import create_user
from app.db import get_session
from app.events.bus import Actor
from app.events.dispatcher import dispatch
from tests.builders import programmes as b
from tests.builders.users import PASSWORD

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
#: scrypt costs ~0.15 s a hash on the 2-core machine; the pages under test only need
#: *a* valid hash of PASSWORD, so test users get a cheap one (login still checks it for real)
_CHEAP_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def _cheap_password(user, password: str) -> None:
    assert password == PASSWORD
    user.password_hash = _CHEAP_HASH


class WebWorld:
    def __init__(self, app, client):
        self.app = app
        self.client = client
        self._users = 0

    def seed(self, build, actor: str = "seed@vlaanderen.test"):
        """Run ``build(session)`` in its own app context and commit it (inside the
        test's outer transaction, which is rolled back after the test)."""
        with self.app.app_context():
            g.event_actor = Actor(actor, "seed")
            session = get_session()
            result = build(session)
            session.commit()
            return result

    def query(self, fetch):
        with self.app.app_context():
            return fetch(get_session())

    def dispatch(self):
        """Run the event handlers, as the scheduler would (the totals projection)."""
        return dispatch(self.app.extensions["aidledger.db"].Session)

    def user(self, role: Role, programme_id: int | None = None, email: str | None = None,
             locale: str = "en", active: bool = True) -> str:
        """A new user with one role; a unique address unless ``email`` is given."""
        self._users += 1
        scope = f"-p{programme_id}" if programme_id else ""
        address = email or f"{role.value}{scope}-{self._users}@vlaanderen.test"

        def build(session):
            with patch.object(User, "set_password", _cheap_password):
                user = create_user(session, address, role.value.replace("_", " ").title(), PASSWORD,
                                   [(role, programme_id)], locale=locale)
            user.active = active
            return user.email

        return self.seed(build)

    def token(self, email: str) -> str:
        def build(session):
            from app.auth.services import get_user_by_email

            token, secret = ApiToken.issue(get_user_by_email(session, email), "tests")
            session.add(token)
            return secret

        return self.seed(build)

    def sign_in(self, email: str, client=None, password: str = PASSWORD):
        client = client or self.client
        response = client.post("/login", data={"email": email, "password": password})
        assert response.status_code == 302, f"sign-in of {email} failed: {response.status_code}"
        return client

    def signed_in(self, role: Role, programme_id: int | None = None, **kwargs):
        """A fresh client signed in as a new user with ``role``."""
        client = self.app.test_client()
        client.user_email = self.user(role, programme_id, **kwargs)
        return self.sign_in(client.user_email, client)


def csrf_token_from(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "no CSRF field in the page"
    return match.group(1)


def seed_portfolio(session) -> dict:
    """Malawi with a budget, a commitment, two disbursements and a refund; Mozambique empty."""
    malawi = b.malawi_agriculture_programme(session)
    mozambique = b.mozambique_health_programme(session)
    tradeline = b.tradeline_market_access(session, malawi)
    b.disburse(session, tradeline, date(2019, 3, 1), "1600000.00", "C-2019-001", kind="commitment")
    b.disburse(session, tradeline, date(2019, 5, 2), "400000.10", "B-2019-0101")
    b.disburse(session, tradeline, date(2020, 9, 2), "350000.20", "B-2020-0202")
    b.disburse(session, tradeline, date(2020, 12, 2), "10000.05", "R-2020-0001", kind="refund")
    return {"malawi": malawi.id, "mozambique": mozambique.id, "activity": tradeline.id}


@pytest.fixture
def web(app, client):
    return WebWorld(app, client)
