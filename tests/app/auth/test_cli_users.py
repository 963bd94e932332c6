"""``flask users create``: the first administrator of a new installation, and scoped managers."""
import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.auth.services import get_user_by_email
from app.db import get_session
from app.events.models import Event
from tests.builders import programmes as b
from tests.builders.web import web  # noqa: F401

PASSWORD = "Kortrijk-2026-lente"


def create(app, *args, password=PASSWORD):
    return app.test_cli_runner().invoke(args=["users", "create", *args], input=f"{password}\n{password}\n")


def user(app, email):
    with app.app_context():
        return get_user_by_email(get_session(), email)


def test_the_first_administrator_is_created_with_a_typed_password(app, web):
    result = create(app, "Griet.Janssens@vlaanderen.be", "--name", "Griet Janssens", "--role", "admin",
                    "--locale", "nl")
    assert result.exit_code == 0, result.output
    assert "created griet.janssens@vlaanderen.be: admin" in result.output
    created = user(app, "griet.janssens@vlaanderen.be")
    assert created.check_password(PASSWORD) and created.locale == "nl"
    assert [(r.role, r.programme_id) for r in created.roles] == [("admin", None)]
    with app.app_context():
        payload = get_session().scalar(select(Event.payload).where(Event.type == "UserCreated",
                                                                   Event.aggregate_id == str(created.id)))
    assert PASSWORD not in str(payload) and PASSWORD not in result.output


def test_a_programme_manager_is_limited_to_the_programme_named(app, web):
    malawi = web.seed(b.malawi_agriculture_programme)
    result = create(app, "pieter.peeters@vlaanderen.be", "--name", "Pieter Peeters",
                    "--role", f"programme_manager:{malawi.code}", "--role", "finance")
    assert result.exit_code == 0, result.output
    roles = {(r.role, r.programme_id) for r in user(app, "pieter.peeters@vlaanderen.be").roles}
    assert roles == {("programme_manager", malawi.id), ("finance", None)}


@pytest.mark.parametrize("args, message", [
    (["--role", "emperor"], "unknown role 'emperor'"),
    (["--role", "programme_manager"], "needs a programme"),
    (["--role", "programme_manager:NOPE"], "no programme with code 'NOPE'"),
    (["--role", "admin:MWI-CSP3"], "not limited to a programme"),
])
def test_bad_roles_are_refused_and_nobody_is_created(app, web, args, message):
    result = create(app, "an.onymous@vlaanderen.be", "--name", "An Onymous", *args)
    assert result.exit_code != 0 and message in result.output
    assert user(app, "an.onymous@vlaanderen.be") is None


def test_a_short_password_or_a_taken_address_is_refused(app, web):
    short = create(app, "kort@vlaanderen.be", "--name", "Kort", "--role", "viewer", password="kort")
    assert short.exit_code != 0 and "at least 10 characters" in short.output
    assert create(app, "els@vlaanderen.be", "--name", "Els", "--role", "viewer").exit_code == 0
    again = create(app, "ELS@vlaanderen.be", "--name", "Els again", "--role", "admin")
    assert again.exit_code != 0 and "exists already" in again.output
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(User).where(
            func.lower(User.email).in_(["kort@vlaanderen.be", "els@vlaanderen.be"]))) == 1
