"""Signing in and out: wrong passwords, disabled users, redirects, CSRF, cookies."""
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.auth.roles import Role
from app.config import load_config
from app.events.models import Event
from tests.builders.users import PASSWORD
from tests.builders.web import csrf_token_from, web  # noqa: F401


def _path(location: str) -> str:
    parts = urlsplit(location)
    assert parts.netloc in ("", "aidledger.test"), f"redirect leaves the site: {location}"
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_login_page_is_a_labelled_form_with_a_csrf_field(client):
    response = client.get("/login")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<label for="email">' in html and '<label for="password">' in html
    assert 'name="csrf_token"' in html
    assert 'href="/static/aidledger.css"' in html


def test_right_password_signs_in_and_opens_the_programmes(web):
    email = web.user(Role.VIEWER)
    response = web.client.post("/login", data={"email": email.upper(), "password": PASSWORD})
    assert response.status_code == 302 and _path(response.location) == "/"
    home = web.client.get("/")
    assert home.status_code == 200
    assert "Viewer" in home.get_data(as_text=True), "the signed-in user is named in the header"


@pytest.mark.parametrize("password", ["wrong password!", "", PASSWORD.upper(), "x" * 100_000])
def test_wrong_password_is_refused_with_one_vague_message(web, password):
    email = web.user(Role.VIEWER)
    response = web.client.post("/login", data={"email": email, "password": password})
    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Unknown e-mail address or wrong password." in html
    assert f'value="{email}"' in html, "the address is kept so the user can retry"
    assert web.client.get("/").status_code == 302


def test_unknown_address_gets_the_same_answer_as_a_wrong_password(client):
    response = client.post("/login", data={"email": "nobody@vlaanderen.test", "password": PASSWORD})
    assert response.status_code == 401
    assert "Unknown e-mail address or wrong password." in response.get_data(as_text=True)


def test_hostile_login_input_is_refused_cleanly(client):
    response = client.post("/login", data={"email": "a@b.c' OR 1=1 --" + "x" * 10_000, "password": "<script>"})
    assert response.status_code == 401
    assert "<script>" not in response.get_data(as_text=True)


def test_inactive_user_cannot_sign_in_even_with_the_right_password(web):
    email = web.user(Role.ADMIN, active=False)
    response = web.client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 401
    assert web.client.get("/").status_code == 302


def test_deactivating_a_user_ends_their_open_session(web):
    email = web.user(Role.VIEWER)
    web.sign_in(email)
    assert web.client.get("/").status_code == 200

    def deactivate(session):
        session.scalar(select(User).where(User.email == email)).active = False

    web.seed(deactivate)
    response = web.client.get("/")
    assert response.status_code == 302 and _path(response.location).startswith("/login")


def test_anonymous_visit_is_sent_to_login_and_back_afterwards(web):
    email = web.user(Role.ODA_OFFICER)
    response = web.client.get("/audit?type=BudgetLineChanged")
    assert response.status_code == 302
    login_url = _path(response.location)
    assert login_url.startswith("/login?next=")
    back = web.client.post(login_url, data={"email": email, "password": PASSWORD})
    assert _path(back.location) == "/audit?type=BudgetLineChanged"


@pytest.mark.parametrize("target", [
    "https://evil.example/phish",
    "//evil.example/phish",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "javascript:alert(1)",
    "http:/evil.example",
    "evil.example",
    "/" + "a" * 5000,
])
def test_next_never_leads_off_the_site(web, target):
    email = web.user(Role.VIEWER)
    response = web.client.post("/login", query_string={"next": target},
                               data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    assert _path(response.location) == "/"


def test_signed_in_user_visiting_login_goes_on(web):
    web.sign_in(web.user(Role.VIEWER))
    response = web.client.get("/login?next=/audit")
    assert response.status_code == 302 and _path(response.location) == "/audit"


def test_logout_ends_the_session(web):
    web.sign_in(web.user(Role.FINANCE))
    response = web.client.post("/logout")
    assert response.status_code == 302 and _path(response.location) == "/login"
    assert web.client.get("/").status_code == 302


def test_logout_is_not_possible_by_a_simple_link(web):
    web.sign_in(web.user(Role.FINANCE))
    assert web.client.get("/logout").status_code == 405
    assert web.client.get("/").status_code == 200


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def test_login_without_csrf_token_is_refused_when_csrf_is_on(web, csrf_on):
    email = web.user(Role.VIEWER)
    response = web.client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 400
    assert "This form has expired or did not come from Aidledger" in response.get_data(as_text=True)
    assert web.client.get("/").status_code == 302


def test_login_with_forged_csrf_token_is_refused(web, csrf_on):
    email = web.user(Role.VIEWER)
    web.client.get("/login")
    response = web.client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": "forged"})
    assert response.status_code == 400


def test_login_with_the_pages_csrf_token_works_when_csrf_is_on(web, csrf_on):
    email = web.user(Role.VIEWER)
    token = csrf_token_from(web.client.get("/login").get_data(as_text=True))
    response = web.client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_logout_without_csrf_token_is_refused_when_csrf_is_on(web, csrf_on):
    email = web.user(Role.VIEWER)
    token = csrf_token_from(web.client.get("/login").get_data(as_text=True))
    web.client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert web.client.post("/logout").status_code == 400
    assert web.client.get("/").status_code == 200


def _session_cookie(response) -> str:
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert cookies, "no session cookie set"
    return cookies[0]


def test_session_cookie_is_httponly_and_samesite_lax(web):
    email = web.user(Role.VIEWER)
    cookie = _session_cookie(web.client.post("/login", data={"email": email, "password": PASSWORD}))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_config_makes_the_session_cookie_secure(monkeypatch):
    monkeypatch.setenv("AIDLEDGER_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-production-secret-from-the-environment")
    config = load_config()
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_refuses_to_start_without_a_secret(monkeypatch):
    monkeypatch.setenv("AIDLEDGER_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError):
        load_config()


def test_secure_flag_reaches_the_cookie(web, app, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    email = web.user(Role.VIEWER)
    cookie = _session_cookie(web.client.post("/login", data={"email": email, "password": PASSWORD}))
    assert "Secure" in cookie


def test_choosing_dutch_is_remembered_on_the_user_and_kept_out_of_the_audit_trail(web):
    email = web.user(Role.VIEWER)
    web.sign_in(email)
    events_before = web.query(lambda s: s.scalar(select(func.count()).select_from(Event)))
    response = web.client.post("/language", data={"locale": "nl", "next": "/?year=2020"})
    assert _path(response.location) == "/?year=2020"
    assert web.query(lambda s: s.scalar(select(User.locale).where(User.email == email))) == "nl"
    assert web.query(lambda s: s.scalar(select(func.count()).select_from(Event))) == events_before, \
        "a language preference is not an audit entry"
    assert '<html lang="nl-BE">' in web.client.get("/").get_data(as_text=True)


def test_anonymous_language_choice_lives_in_the_session(client):
    client.post("/language", data={"locale": "nl", "next": "https://evil.example"})
    assert '<html lang="nl-BE">' in client.get("/login").get_data(as_text=True)


def test_unknown_language_is_ignored(web):
    email = web.user(Role.VIEWER)
    web.sign_in(email)
    response = web.client.post("/language", data={"locale": "xx"})
    assert response.status_code == 302
    assert web.query(lambda s: s.scalar(select(User.locale).where(User.email == email))) == "en"
