"""The Users and roles pages: an administrator creates users (first password or a one-time
invitation link), gives roles and programme scopes, deactivates; every change is an event and a
role change or a deactivation signs the user out everywhere."""
import re

import pytest
from sqlalchemy import select

from app.auth.models import User, UserInvitation
from app.auth.roles import Role
from app.events.models import Event
from tests.builders.web import seed_portfolio, web  # noqa: F401

NEW_PASSWORD = "een-sterk-wachtwoord"


def _events(web, *types):
    return web.query(lambda s: [(e.type, e.payload) for e in s.scalars(
        select(Event).where(Event.type.in_(types)).order_by(Event.id))])


def _user(web, email):
    return web.query(lambda s: s.scalar(select(User).where(User.email == email)))


def test_only_the_administrator_sees_the_page(web):
    for role in (Role.PROGRAMME_MANAGER, Role.FINANCE, Role.ODA_OFFICER, Role.VIEWER):
        assert web.signed_in(role).get("/users").status_code == 403
    admin = web.signed_in(Role.ADMIN)
    page = admin.get("/users").get_data(as_text=True)
    assert "Users and roles" in page and admin.user_email in page
    assert 'href="/users"' in admin.get("/").get_data(as_text=True), "the page is in the navigation"


def test_admin_creates_a_programme_manager_with_a_first_password_who_then_signs_in(web):
    ids = web.seed(seed_portfolio)
    admin = web.signed_in(Role.ADMIN)
    page = admin.get("/users/new").get_data(as_text=True)
    assert "MWI-AGRI" in page or "MWI" in page, "the programmes to scope to are listed by code and name"
    response = admin.post("/users/new", data={
        "name": "Els Vermeulen", "email": "Els.Vermeulen@vlaanderen.be", "locale": "nl",
        "role": ["programme_manager"], "programme": [str(ids["malawi"])], "access": "password",
        "password": NEW_PASSWORD})
    assert response.status_code == 302
    user = _user(web, "els.vermeulen@vlaanderen.be")
    assert [(r.role, r.programme_id) for r in user.roles] == [("programme_manager", ids["malawi"])]
    created = _events(web, "UserCreated")[-1][1]
    assert created["roles"] == [{"role": "programme_manager", "programme_id": ids["malawi"]}]
    assert NEW_PASSWORD not in str(created)
    els = web.app.test_client()
    web.sign_in("els.vermeulen@vlaanderen.be", els, password=NEW_PASSWORD)
    assert els.get(f"/programmes/{_code(web, ids['malawi'])}").status_code == 200
    assert els.get(f"/programmes/{_code(web, ids['mozambique'])}").status_code == 404


def _code(web, programme_id):
    from programmes.models import Programme

    return web.query(lambda s: s.get(Programme, programme_id).code)


def test_an_invitation_link_works_once_and_is_never_stored_or_in_an_event(web):
    admin = web.signed_in(Role.ADMIN)
    response = admin.post("/users/new", data={"name": "Jan Peeters", "email": "jan.peeters@vlaanderen.be",
                                              "locale": "en", "role": ["finance"], "access": "invite"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "works once" in html
    link = re.search(r'value="(http[^"]+/invitation/([^"]+))"', html)
    path, secret = "/invitation/" + link.group(2), link.group(2)
    assert secret not in str(_events(web, "UserCreated", "UserInvited"))
    assert web.query(lambda s: s.scalar(select(UserInvitation.token_hash))) != secret
    anonymous = web.app.test_client()
    assert anonymous.get(path).status_code == 200
    refused = anonymous.post(path, data={"password": NEW_PASSWORD, "password_again": "something else"})
    assert refused.status_code == 422 and "differ" in refused.get_data(as_text=True)
    accepted = anonymous.post(path, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert accepted.status_code == 302
    web.sign_in("jan.peeters@vlaanderen.be", web.app.test_client(), password=NEW_PASSWORD)
    again = web.app.test_client().post(path, data={"password": "another-password-1", "password_again":
                                                   "another-password-1"})
    assert again.status_code == 404 and "used or has expired" in again.get_data(as_text=True)
    assert web.app.test_client().get("/invitation/" + "x" * 5000).status_code == 404


@pytest.mark.parametrize("form, message", [
    ({"name": "", "email": "a@b.be", "role": ["viewer"]}, "Give a name"),
    ({"name": "A", "email": "not-an-address", "role": ["viewer"]}, "valid e-mail"),
    ({"name": "A", "email": "a@b.be"}, "at least one role"),
    ({"name": "A", "email": "a@b.be", "role": ["programme_manager"]}, "needs at least one programme"),
    ({"name": "A", "email": "a@b.be", "role": ["superuser"]}, "Unknown role"),
    ({"name": "A", "email": "a@b.be", "role": ["programme_manager"], "programme": ["999999"]}, "no programme"),
    ({"name": "A", "email": "a@b.be", "role": ["viewer"], "access": "password", "password": "short"},
     "at least 10"),
    ({"name": "A" * 5000, "email": "a@b.be", "role": ["viewer"]}, "at most 120"),
])
def test_bad_input_is_refused_with_a_clear_message_and_no_user(web, form, message):
    admin = web.signed_in(Role.ADMIN)
    response = admin.post("/users/new", data={"locale": "en", "access": "invite", **form})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert _user(web, "a@b.be") is None


def test_a_duplicate_address_is_refused(web):
    existing = web.user(Role.VIEWER)
    admin = web.signed_in(Role.ADMIN)
    response = admin.post("/users/new", data={"name": "X", "email": existing.upper(), "locale": "en",
                                              "role": ["viewer"], "access": "invite"})
    assert response.status_code == 422 and "exists already" in response.get_data(as_text=True)


def test_a_role_change_is_an_event_and_signs_the_user_out(web):
    email = web.user(Role.VIEWER)
    victim = web.sign_in(email, web.app.test_client())
    assert victim.get("/").status_code == 200
    admin = web.signed_in(Role.ADMIN)
    user_id = _user(web, email).id
    response = admin.post(f"/users/{user_id}", data={"role": ["finance", "viewer"]})
    assert response.status_code == 302
    assert victim.get("/").status_code == 302, "signed out by the role change"
    changed = _events(web, "UserRolesChanged")[-1][1]
    assert changed["before"] == [{"role": "viewer", "programme_id": None}]
    assert [r["role"] for r in changed["after"]] == ["finance", "viewer"]


def test_deactivation_signs_out_and_refuses_sign_in_then_reactivation(web):
    email = web.user(Role.FINANCE)
    victim = web.sign_in(email, web.app.test_client())
    admin = web.signed_in(Role.ADMIN)
    user_id = _user(web, email).id
    assert admin.post(f"/users/{user_id}/active", data={"active": "0"}).status_code == 302
    assert victim.get("/").status_code == 302
    assert web.app.test_client().post("/login", data={"email": email, "password": "x"}).status_code == 401
    assert admin.post(f"/users/{user_id}/active", data={"active": "1"}).status_code == 302
    assert [t for t, _ in _events(web, "UserDeactivated", "UserReactivated")] == ["UserDeactivated",
                                                                                 "UserReactivated"]


def test_an_admin_cannot_lock_themselves_out(web):
    admin = web.signed_in(Role.ADMIN)
    me = _user(web, admin.user_email)
    refused = admin.post(f"/users/{me.id}", data={"role": ["viewer"]})
    assert refused.status_code == 422 and "your own administrator role" in refused.get_data(as_text=True)
    admin.post(f"/users/{me.id}/active", data={"active": "0"})
    assert _user(web, admin.user_email).active and admin.get("/users").status_code == 200


def test_a_user_page_that_does_not_exist_is_not_found(web):
    assert web.signed_in(Role.ADMIN).get("/users/987654").status_code == 404
