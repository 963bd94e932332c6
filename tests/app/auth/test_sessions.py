"""Browser sessions live on the server: a copied cookie stops working when the session ends."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import RoleAssignment, User, UserSession
from app.auth.roles import Role
from tests.builders.web import web  # noqa: F401


def copied_cookie_client(web, email):
    """Sign in, then copy the session cookie into a second browser (as a thief would)."""
    original = web.sign_in(email, web.app.test_client())
    thief = web.app.test_client()
    cookie = original.get_cookie("session", domain="aidledger.test")
    thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    assert thief.get("/").status_code == 200
    return original, thief


def _change(web, email, change):
    def build(session):
        change(session, session.scalar(select(User).where(User.email == email)))
    web.seed(build)


def test_logout_ends_the_session_for_a_copied_cookie_too(web):
    email = web.user(Role.FINANCE)
    original, thief = copied_cookie_client(web, email)
    assert original.post("/logout").status_code == 302
    assert thief.get("/").status_code == 302
    ended = web.query(lambda s: s.scalars(select(UserSession)).all())
    assert [row.ended_because for row in ended] == ["logout"]


@pytest.mark.parametrize("change, reason", [
    (lambda s, user: user.set_password("Nieuw-wachtwoord-2026"), "password"),
    (lambda s, user: setattr(user, "active", False), "deactivated"),
    (lambda s, user: user.roles.append(RoleAssignment(role=Role.ADMIN.value)), "roles"),
    (lambda s, user: setattr(user.roles[0], "role", Role.FINANCE.value), "roles"),
], ids=["password", "deactivation", "role-added", "role-changed"])
def test_account_changes_end_every_session_of_the_user(web, change, reason):
    email = web.user(Role.VIEWER)
    _original, thief = copied_cookie_client(web, email)
    other = web.user(Role.VIEWER)
    bystander = web.sign_in(other, web.app.test_client())
    _change(web, email, change)
    assert thief.get("/").status_code == 302
    assert bystander.get("/").status_code == 200, "other users keep their sessions"
    reasons = web.query(lambda s: s.scalars(select(UserSession.ended_because).join(User)
                                            .where(User.email == email)).all())
    assert reasons == [reason]


def test_an_idle_session_ends(web, app):
    email = web.user(Role.VIEWER)
    client = web.sign_in(email, web.app.test_client())

    def idle(session):
        for row in session.scalars(select(UserSession)):
            row.last_seen_at -= timedelta(seconds=app.config["AIDLEDGER_SESSION_IDLE_SECONDS"] + 1)
    web.seed(idle)
    assert client.get("/").status_code == 302
    assert web.query(lambda s: s.scalar(select(UserSession.ended_because))) == "idle"


def test_the_cookie_holds_no_user_id_and_the_database_no_key(web):
    email = web.user(Role.VIEWER)
    client = web.sign_in(email, web.app.test_client())
    with client.session_transaction() as cookie_session:
        assert set(cookie_session) <= {"session_key", "_permanent", "csrf_token", "_flashes", "locale"}
        key = cookie_session["session_key"]
    stored = web.query(lambda s: s.scalars(select(UserSession.key_hash)).all())
    assert len(stored) == 1 and key not in stored[0]
