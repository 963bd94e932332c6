"""The API's contract: one error shape, bearer tokens only, capped pagination."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import ApiToken, User
from app.auth.roles import Role
from app.db import utcnow
from app.events.models import Event
from programmes.models import Programme
from programmes.services.programmes import create_programme
from tests.builders.api import api, assert_error, pagination  # noqa: F401 - fixture
from tests.builders.programmes import malawi_agriculture_programme
from tests.builders.users import PASSWORD, user_with_role


def _portfolio(session, count: int):
    for n in range(count):
        create_programme(session, code=f"HUM-{n:02d}", name=f"Humanitarian envelope {n}", kind="humanitarian",
                         start_year=2021, end_year=2025, policy_area="development_cooperation")


# --- authentication -------------------------------------------------------------------------

def test_no_token_is_401_with_a_hint_and_a_challenge(api):
    response = api.get("/api/v1/programmes")
    error = assert_error(response, 401, "unauthorized")
    assert "Bearer" in error["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", [
    "Bearer al_not-a-real-token", "Bearer ", "Bearer " + "x" * 5000, "Basic YWRtaW46YWRtaW4=",
    "bearer al_lowercase-scheme", "Bearer ' OR 1=1 --",
])
def test_unusable_authorization_headers_are_401(api, header):
    api.token(Role.ADMIN)
    response = api.get("/api/v1/programmes", headers={"Authorization": header})
    assert_error(response, 401, "unauthorized")


@pytest.mark.parametrize("kind", ["expired", "revoked", "deactivated"])
def test_expired_revoked_and_deactivated_tokens_are_refused(api, kind):
    token = api.token(Role.ADMIN, expires_at=utcnow() - timedelta(seconds=1) if kind == "expired" else None,
                      revoked=kind == "revoked")
    if kind == "deactivated":
        api.seed(lambda s: setattr(s.scalar(select(User)), "active", False))
    error = assert_error(api.get("/api/v1/programmes", token), 401)
    assert "expired or revoked" in error["message"]


def test_a_token_that_has_not_expired_yet_works(api):
    token = api.token(Role.VIEWER, expires_at=utcnow() + timedelta(days=1))
    assert api.get("/api/v1/programmes", token).status_code == 200


def test_a_browser_session_alone_does_not_open_the_api(api):
    api.seed(lambda s: user_with_role(s, Role.ADMIN))
    login = api.client.post("/login", data={"email": "admin@vlaanderen.test", "password": PASSWORD})
    assert login.status_code == 302
    assert api.client.get("/").status_code == 200
    assert_error(api.client.get("/api/v1/programmes"), 401)
    assert_error(api.client.post("/api/v1/activities", json={"code": "X"}), 401)


def test_token_use_is_stamped_without_an_event_and_at_most_once_a_minute(api):
    token = api.token(Role.VIEWER)
    events = api.count(Event)
    assert api.get("/api/v1/programmes", token).status_code == 200
    first = api.query(lambda s: s.scalar(select(ApiToken.last_used_at)))
    assert first is not None and utcnow() - first < timedelta(minutes=1)
    api.get("/api/v1/programmes", token)
    assert api.query(lambda s: s.scalar(select(ApiToken.last_used_at))) == first

    api.seed(lambda s: setattr(s.scalar(select(ApiToken)), "last_used_at", first - timedelta(minutes=5)))
    api.get("/api/v1/programmes", token)
    assert api.query(lambda s: s.scalar(select(ApiToken.last_used_at))) > first - timedelta(minutes=5)
    assert api.count(Event) == events


def test_a_failed_request_still_stamps_the_token(api):
    token = api.token(Role.VIEWER)
    assert_error(api.post("/api/v1/activities", token, {"code": "X"}), 403)
    assert api.query(lambda s: s.scalar(select(ApiToken.last_used_at))) is not None


# --- the error shape ------------------------------------------------------------------------

def test_unknown_path_is_404_json(api):
    assert_error(api.get("/api/v1/no-such-thing", api.token(Role.ADMIN)), 404, "not_found")


def test_wrong_method_is_405_json_with_allow(api):
    response = api.delete("/api/v1/programmes", api.token(Role.ADMIN))
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


def test_forbidden_is_403_json(api):
    token = api.token(Role.VIEWER)
    error = assert_error(api.put("/api/v1/programmes/MWI-CSP3/budget-lines", token,
                                 {"year": 2020, "planned_amount": "1.00"}), 403, "forbidden")
    assert "roles" in error["message"]


def test_malformed_json_is_400(api):
    token = api.token(Role.ADMIN)
    error = assert_error(api.post("/api/v1/activities", token, "{'code': 'X',}"), 400, "bad_request")
    assert error["details"] == {"json": ["Invalid JSON body."]}


@pytest.mark.parametrize("body", [
    '{"version": ' + "9" * 5000 + "}",          # past Python's int-digit limit: ValueError, not JSONDecodeError
    "[" * 100_000 + "]" * 100_000,              # nesting deep enough for RecursionError
    b'{"title": "\xff\xfe"}',                  # not UTF-8
])
def test_json_that_breaks_the_decoder_is_400_not_500(api, body):
    assert_error(api.post("/api/v1/activities", api.token(Role.ADMIN), body), 400, "bad_request")


def test_a_body_that_is_not_json_is_415(api):
    token = api.token(Role.ADMIN)
    response = api.post("/api/v1/activities", token, data="code=X&title=Y",
                        content_type="application/x-www-form-urlencoded")
    assert_error(response, 415, "unsupported_media_type")


def test_an_oversized_body_is_413(api, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 10_000)
    token = api.token(Role.ADMIN)
    error = assert_error(api.post("/api/v1/activities", token, {"title": "x" * 20_000}), 413)
    assert "10000 bytes" in error["message"]
    assert error["details"] == {"limit_bytes": 10_000}


def test_validation_errors_are_422_with_field_details(api):
    token = api.token(Role.ADMIN)
    error = assert_error(api.post("/api/v1/activities", token, {"title": 7, "surprise": True}), 422,
                         "unprocessable_entity")
    fields = error["details"]["json"]
    assert {"code", "programme_code", "title", "surprise"} <= set(fields)
    assert fields["surprise"] == ["Unknown field."]


def test_unexpected_failure_is_500_json_without_internals(api, monkeypatch):
    from programmes.services import queries

    def explode(*_args):
        raise RuntimeError("secret internals: password=hunter2")

    api.seed(malawi_agriculture_programme)
    monkeypatch.setattr(queries, "budget_lines", explode)
    response = api.get("/api/v1/programmes/MWI-CSP3/budget-lines", api.token(Role.ADMIN))
    error = assert_error(response, 500, "internal_server_error")
    assert "hunter2" not in response.get_data(as_text=True)
    assert error["details"] == {}


# --- pagination -----------------------------------------------------------------------------

def test_pagination_header_describes_the_pages(api):
    api.seed(lambda s: _portfolio(s, 5))
    token = api.token(Role.VIEWER)
    response = api.get("/api/v1/programmes?page=2&page_size=2", token)
    assert [p["code"] for p in response.get_json()] == ["HUM-02", "HUM-03"]
    assert pagination(response) == {"total": 5, "total_pages": 3, "first_page": 1, "last_page": 3,
                                    "page": 2, "previous_page": 1, "next_page": 3}


def test_default_page_size_is_fifty(api):
    api.seed(lambda s: _portfolio(s, 55))
    response = api.get("/api/v1/programmes", api.token(Role.VIEWER))
    assert len(response.get_json()) == 50
    assert pagination(response)["next_page"] == 2


@pytest.mark.parametrize("query", ["page_size=201", "page_size=1000000", "page_size=0", "page=0", "page=-1",
                                   "page=abc", "page_size=1.5"])
def test_page_parameters_out_of_bounds_are_422(api, query):
    error = assert_error(api.get(f"/api/v1/programmes?{query}", api.token(Role.VIEWER)), 422)
    assert set(error["details"]["query"]) <= {"page", "page_size"}


def test_a_page_far_past_the_end_is_empty_not_an_error(api):
    api.seed(lambda s: _portfolio(s, 2))
    response = api.get("/api/v1/programmes?page=" + "9" * 30, api.token(Role.VIEWER))
    assert response.status_code == 200
    assert response.get_json() == []
    assert pagination(response)["total"] == 2


# --- unknown query parameters ----------------------------------------------------------------

@pytest.mark.parametrize("query, unknown", [
    ("page_sise=2", ["page_sise"]),  # a typo would silently give 50 a page
    ("programe=HUM-01&kind=humanitarian", ["programe"]),
    ("page=1&Page=2", ["Page"]),
    ("x" * 300 + "=1", ["x" * 40]),
])
def test_an_unknown_query_parameter_is_422_naming_it(api, query, unknown):
    api.seed(lambda s: _portfolio(s, 3))
    error = assert_error(api.get(f"/api/v1/programmes?{query}", api.token(Role.VIEWER)), 422)
    assert sorted(error["details"]["query"]) == unknown
    assert "page_size" in error["message"]


def test_an_operation_without_query_parameters_refuses_any(api):
    api.seed(lambda s: _portfolio(s, 1))
    token = api.token(Role.VIEWER)
    assert api.get("/api/v1/programmes/HUM-00", token).status_code == 200
    error = assert_error(api.get("/api/v1/programmes/HUM-00?expand=all", token), 422)
    assert list(error["details"]["query"]) == ["expand"]


def test_documented_query_parameters_pass_and_a_missing_token_is_401_first(api):
    api.seed(lambda s: _portfolio(s, 3))
    response = api.get("/api/v1/programmes?page=1&page_size=2&kind=humanitarian", api.token(Role.VIEWER))
    assert response.status_code == 200 and len(response.get_json()) == 2
    assert_error(api.get("/api/v1/programmes?nonsense=1"), 401)


def test_every_operation_documents_the_422_of_an_unknown_parameter(api):
    spec = api.get("/api/openapi.json").get_json()
    missing = [f"{method.upper()} {path}" for path, item in spec["paths"].items() for method, operation
               in item.items() if method != "parameters" and "422" not in operation["responses"]]
    assert not missing
    assert "does not document answers 422" in spec["info"]["description"]


# --- the OpenAPI document -------------------------------------------------------------------

def test_openapi_document_is_public_and_lists_every_endpoint(api):
    response = api.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    assert spec["security"] == [{"bearerAuth": []}]
    expected = {
        "/api/v1/programmes": {"get"}, "/api/v1/programmes/{code}": {"get"},
        "/api/v1/programmes/{code}/budget-lines": {"get", "put"},
        "/api/v1/activities": {"get", "post"}, "/api/v1/activities/{activity_id}": {"get", "patch"},
        "/api/v1/transactions": {"get", "post"}, "/api/v1/transactions/{transaction_id}": {"get", "patch"},
        "/api/v1/events": {"get"}, "/api/v1/scheduler/runs": {"get"}, "/api/v1/scheduler/runs/{run_id}": {"get"},
        "/api/v1/auth/me": {"get"}, "/api/v1/auth/tokens": {"get"}, "/api/v1/auth/tokens/{token_id}": {"delete"},
    }
    for path, methods in expected.items():
        assert methods <= set(spec["paths"][path]), path


def test_openapi_document_describes_money_errors_and_pagination(api):
    spec = api.get("/api/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    amount = schemas["TransactionCreate"]["properties"]["amount"]
    assert amount["type"] == "string" and amount["example"] == "1234.50"
    assert schemas["Error"]["properties"]["error"]["$ref"] == "#/components/schemas/ErrorDetail"
    assert set(schemas["ErrorDetail"]["properties"]) == {"status", "code", "message", "details"}
    listing = spec["paths"]["/api/v1/transactions"]["get"]
    assert {"page", "page_size"} <= {p["name"] for p in listing["parameters"]}
    assert "X-Pagination" in listing["responses"]["200"]["headers"]
    patch = spec["paths"]["/api/v1/activities/{activity_id}"]["patch"]["responses"]
    assert {"403", "404", "409", "422"} <= set(patch)


def test_nothing_changes_when_requests_fail(api):
    api.seed(malawi_agriculture_programme)
    token = api.token(Role.ADMIN)
    before = api.counts(Programme, Event)
    api.post("/api/v1/activities", token, "{broken")
    api.post("/api/v1/activities", token, {"code": "X", "title": "T", "programme_code": "NOPE"})
    api.put("/api/v1/programmes/MWI-CSP3/budget-lines", token, {"year": 2020, "planned_amount": 1.5})
    assert api.counts(Programme, Event) == before


def test_schemas_of_two_packages_with_one_class_name_get_distinct_names():
    from marshmallow import Schema

    from app.api import package_aware_schema_names

    oda_reason = type("ReasonSchema", (Schema,), {"__module__": "oda.schemas"})
    grants_reason = type("ReasonSchema", (Schema,), {"__module__": "grants.schemas.api"})
    name_of = package_aware_schema_names()
    assert [name_of(oda_reason), name_of(grants_reason), name_of(oda_reason()), name_of(grants_reason)] == [
        "Reason", "GrantsReason", "Reason", "GrantsReason"]
