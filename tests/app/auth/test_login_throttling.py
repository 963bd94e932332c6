"""Password guessing is slowed per account and per address, locked, recorded, and unlocked by an administrator."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth import models as auth_models
from app.auth import throttle
from app.auth.models import LoginThrottle
from app.auth.roles import Role
from app.db import utcnow
from app.events.models import Event
from tests.builders.users import PASSWORD
from tests.builders.web import web  # noqa: F401

GUESSES = ("Brugge2024!", "Gent-2025", "lente2026", "Vlaanderen1")
TOO_MANY = "Too many sign-in attempts."
#: a CSRF token carries the second it was made in
CSRF_VALUE = re.compile(r'name="csrf_token" value="[^"]+"')


@pytest.fixture(autouse=True)
def stopped_clock(monkeypatch):
    """The throttle's clock stands still (``let_time_pass`` moves the delays instead), so the
    answers depend on the rules, not on how fast this machine hashes a password."""
    now = utcnow()
    monkeypatch.setattr(throttle, "utcnow", lambda: now)


def guess(client, email, password="raden-maar", address="192.0.2.10"):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def let_time_pass(web):
    """The delays run out: move every throttle's next allowed attempt into the past."""
    def rewind(session):
        rows = session.scalars(select(LoginThrottle)).all()
        for row in rows:
            if row.not_before is not None and row.locked_until is None:
                row.not_before -= timedelta(minutes=2)
    web.seed(rewind)


def test_repeated_wrong_passwords_slow_down_and_then_the_right_one_waits_too(web):
    email = web.user(Role.FINANCE, email="lies.maes@vlaanderen.test")
    answers = [guess(web.client, email, password).status_code for password in GUESSES[:3]]
    assert answers == [401, 401, 401]
    assert guess(web.client, email, GUESSES[3]).status_code == 401  # the fourth attempt starts the delay
    refused = guess(web.client, email, PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert TOO_MANY in refused.get_data(as_text=True)
    assert web.client.get("/").status_code == 302, "the right password did not sign in during the delay"
    let_time_pass(web)
    assert guess(web.client, email, PASSWORD).status_code == 302


def test_the_delay_doubles(web):
    email = web.user(Role.FINANCE)
    waits = []
    for _ in range(10):
        response = guess(web.client, email)
        if response.status_code == 429:
            waits.append(int(response.headers["Retry-After"]))
            let_time_pass(web)
    assert waits == [1, 2, 4], "after three free failures each refused attempt says how long to wait"


def _fail_until_locked(web, email, address="192.0.2.10"):
    for _ in range(40):
        response = guess(web.client, email, address=address)
        if response.status_code == 429 and web.query(
                lambda s: s.scalar(select(LoginThrottle.locked_until).where(LoginThrottle.key == f"account:{email}"))):
            return
        let_time_pass(web)
    raise AssertionError("never locked")


def test_ten_failures_lock_the_account_and_are_recorded(web):
    email = web.user(Role.ADMIN, email="wout.peeters@vlaanderen.test")
    _fail_until_locked(web, email)
    let_time_pass(web)  # the lock is not a delay: it does not run out in two minutes
    assert guess(web.client, email, PASSWORD).status_code == 429
    events = web.query(lambda s: s.scalars(select(Event).where(Event.type.in_(["LoginFailed", "LoginLocked"]))
                                           .order_by(Event.id)).all())
    assert [e.type for e in events].count("LoginFailed") == 10
    locked = [e for e in events if e.type == "LoginLocked"]
    assert len(locked) == 1 and locked[0].payload["locked"] == "account" and locked[0].payload["failures"] == 10
    assert PASSWORD not in str([e.payload for e in events]) and "raden-maar" not in str([e.payload for e in events])


def test_an_administrator_unlocks_an_account(app, web):
    email = web.user(Role.ADMIN, email="wout.peeters@vlaanderen.test")
    _fail_until_locked(web, email)
    result = app.test_cli_runner().invoke(args=["users", "unlock", email])
    assert result.exit_code == 0, result.output
    assert guess(web.client, email, PASSWORD).status_code == 302
    unlocked = web.query(lambda s: s.scalar(select(Event).where(Event.type == "LoginUnlocked")))
    assert unlocked.payload["email"] == email


def test_an_unknown_address_is_throttled_exactly_like_a_real_one(web):
    real = web.user(Role.VIEWER, email="an.smets@vlaanderen.test")
    answers = {}
    for email in (real, "niemand@vlaanderen.test"):
        statuses = []
        for _ in range(5):
            response = guess(web.client, email, address="198.51.100.7" if email == real else "198.51.100.8")
            page = CSRF_VALUE.sub("", response.get_data(as_text=True).replace(email, "EMAIL"))
            statuses.append((response.status_code, response.headers.get("Retry-After"), page))
        answers[email] = statuses
    assert answers[real] == answers["niemand@vlaanderen.test"]


def test_one_address_guessing_many_accounts_is_slowed(web):
    answers = [guess(web.client, f"gok{n}@vlaanderen.test", address="203.0.113.5").status_code for n in range(25)]
    assert answers[:20] == [401] * 20 and 429 in answers[20:]
    assert guess(web.client, "gok99@vlaanderen.test", address="203.0.113.6").status_code == 401


def test_every_path_hashes_one_password_of_the_real_kind(web, monkeypatch):
    """Timing: an unknown address, a wrong password and a deactivated account cost the same hash."""
    real_kind = auth_models.generate_password_hash("x").split("$")[0]
    calls = []
    original = auth_models.check_password_hash
    monkeypatch.setattr(auth_models, "check_password_hash",
                        lambda pwhash, password: calls.append(pwhash.split("$")[0]) or original(pwhash, password))

    def set_real_hash(email):
        def build(session):
            user = session.scalar(select(auth_models.User).where(auth_models.User.email == email))
            user.password_hash = auth_models.generate_password_hash(PASSWORD)
        web.seed(build)

    known, inactive = web.user(Role.VIEWER), web.user(Role.VIEWER, active=False)
    for email in (known, inactive):
        set_real_hash(email)
    for email, password in (("niemand@vlaanderen.test", PASSWORD), (known, "verkeerd-wachtwoord"),
                            (inactive, PASSWORD)):
        calls.clear()
        assert guess(web.client, email, password, address=f"192.0.2.{len(email)}").status_code == 401
        assert calls == [real_kind], email


