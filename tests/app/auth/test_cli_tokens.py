"""``flask users token``: every token expires (90 days unless told), and the expiry is shown."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import ApiToken
from app.auth.roles import Role
from app.db import get_session, utcnow
from tests.builders.api import api  # noqa: F401 - fixture


def issue(app, *args):
    return app.test_cli_runner().invoke(args=["users", "token", *args])


def stored(app, secret: str) -> ApiToken:
    with app.app_context():
        return get_session().scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(secret)))


@pytest.fixture
def finance(api):
    api.token(Role.FINANCE, email="els.wouters@vlaanderen.test")
    return "els.wouters@vlaanderen.test"


def test_a_token_from_the_command_line_expires_after_90_days(app, api, finance):
    result = issue(app, finance, "--name", "budget sync")
    assert result.exit_code == 0, result.stderr
    secret = result.stdout.strip()
    assert secret.startswith("al_") and "\n" not in secret  # stdout is the secret only, for scripts
    expires_at = stored(app, secret).expires_at
    assert abs(expires_at - (utcnow() + timedelta(days=90))) < timedelta(minutes=1)
    assert f"expires {expires_at:%Y-%m-%d}" in result.stderr
    listed = api.get("/api/v1/auth/tokens", secret).get_json()
    assert listed[0]["name"] == "budget sync" and listed[0]["expires_at"].startswith(f"{expires_at:%Y-%m-%d}")


def test_the_lifetime_can_be_chosen(app, api, finance):
    result = issue(app, finance, "--days", "7")
    assert result.exit_code == 0, result.stderr
    expires_at = stored(app, result.stdout.strip()).expires_at
    assert abs(expires_at - (utcnow() + timedelta(days=7))) < timedelta(minutes=1)


@pytest.mark.parametrize("days", ["0", "-5", "3651", "zeven"])
def test_a_token_that_never_or_already_expires_is_refused(app, api, finance, days):
    before = api.count(ApiToken)
    result = issue(app, finance, "--days", days)
    assert result.exit_code != 0 and "days" in result.stderr.lower()
    assert api.count(ApiToken) == before


def test_tokens_are_listed_with_their_expiry(app, api, finance):
    secret = issue(app, finance, "--name", "budget sync").stdout.strip()
    token = stored(app, secret)
    result = app.test_cli_runner().invoke(args=["users", "tokens", finance])
    assert result.exit_code == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if "budget sync" in line)
    assert token.prefix in line and f"{token.expires_at:%Y-%m-%d}" in line
    assert secret not in result.stdout
