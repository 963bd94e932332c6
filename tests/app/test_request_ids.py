"""X-Request-Id: a client's label for its request, checked, and never the audit trail's correlation id."""
import pytest
from sqlalchemy import select

from app.auth.models import ApiToken
from app.auth.roles import Role
from app.events.models import Event
from tests.builders.api import api, assert_error  # noqa: F401 - fixture


def _revoke_own_token(api, request_id: str):
    token = api.token(Role.FINANCE, email="an.peeters@vlaanderen.test")
    token_id = api.query(lambda s: s.scalar(select(ApiToken.id)))
    return api.delete(f"/api/v1/auth/tokens/{token_id}", token, headers={"X-Request-Id": request_id}), token_id


def _revocations(api) -> list[Event]:
    return api.query(lambda s: s.scalars(select(Event).where(Event.type == "ApiTokenRevoked")).all())


@pytest.mark.parametrize("request_id", [
    "x" * 65,                      # past the 64 characters of the column: a 500 on PostgreSQL before
    "import 13",                   # a space
    "<script>alert(1)</script>",
    "aanvraag-één",                # non-ASCII
    "",
], ids=["too-long", "space", "markup", "non-ascii", "empty"])
def test_an_unusable_request_id_is_refused_and_nothing_is_written(api, request_id):
    response, token_id = _revoke_own_token(api, request_id)
    error = assert_error(response, 400)
    assert "X-Request-Id" in error["message"] and "64" in error["message"]
    assert _revocations(api) == []
    assert api.query(lambda s: s.get(ApiToken, token_id).revoked) is False


def test_the_clients_request_id_is_echoed_but_never_becomes_the_correlation_id(api):
    response, _token_id = _revoke_own_token(api, "import-13")
    assert response.status_code == 204
    assert response.headers["X-Request-Id"] == "import-13"
    [event] = _revocations(api)
    assert event.correlation_id != "import-13"
    assert response.headers["X-Correlation-Id"] == event.correlation_id


def test_without_a_request_id_the_server_still_correlates(api):
    token = api.token(Role.VIEWER)
    response = api.get("/api/v1/auth/me", token)
    assert response.status_code == 200 and "X-Request-Id" not in response.headers
    assert len(response.headers["X-Correlation-Id"]) == 32
