"""Every API endpoint, of every package, refuses callers without a bearer token."""
import re

import pytest

from app.auth.roles import Role
from tests.builders.api import api, assert_error  # noqa: F401 - fixture
from tests.builders.users import PASSWORD, user_with_role

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def _api_calls(app):
    """(method, url) for every /api/v1 rule, path arguments filled with harmless values."""
    calls = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        url = re.sub(r"<(?:int(?:\([^)]*\))?|id|bigid):[^>]+>", "1", rule.rule)
        url = re.sub(r"<[^>]+>", "X", url)
        calls.extend((method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return calls


def test_there_are_api_endpoints_to_check(app):
    assert len(_api_calls(app)) >= 15


def _not_401(responses) -> list:
    return [(method, url, r.status_code) for method, url, r in responses
            if r.status_code != 401 or r.get_json()["error"]["code"] != "unauthorized"]


def test_every_api_endpoint_answers_401_without_a_token(api, app):
    responses = [(method, url, api.call(method, url, None, {} if method in WRITES else None))
                 for method, url in _api_calls(app)]
    assert _not_401(responses) == []
    assert_error(responses[0][2], 401)


def test_a_logged_in_browser_gets_401_on_every_api_endpoint(api, app):
    api.seed(lambda s: user_with_role(s, Role.ADMIN))
    assert api.client.post("/login", data={"email": "admin@vlaanderen.test", "password": PASSWORD}).status_code == 302
    responses = [(method, url, api.client.open(url, method=method, json={} if method in WRITES else None))
                 for method, url in _api_calls(app)]
    assert _not_401(responses) == []


def test_the_openapi_document_lists_every_api_endpoint(api, app):
    documented = api.get("/api/openapi.json").get_json()["paths"]
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
            assert path in documented, path


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_unknown_api_paths_are_json_for_every_method(api, method):
    assert_error(api.call(method, "/api/v1/../../etc/passwd", api.token(Role.ADMIN)), 404)
