"""Walks every route of the application, including routes other packages add later.

For every endpoint: a guard is declared (``require`` or ``public``); anonymous
users are sent to the login page (HTML) or get 401 JSON (API); and each role gets
200 or 403 from every parameter-free GET page exactly as the permission table
says, and never a server error from any GET route.
"""
from __future__ import annotations

import re
import uuid
from datetime import date
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from werkzeug.routing import IntegerConverter, Rule

from app.auth.guards import GUARDED_ENDPOINT_ATTR, PUBLIC_ENDPOINT_ATTR
from app.auth.roles import ROLE_PERMISSIONS, SCOPED_ROLES, Permission, Role
from app.routing import BigIdConverter, YearConverter
from tests.builders.web import seed_portfolio, web  # noqa: F401

#: Endpoints served without a guard on purpose, with the reason.
UNGUARDED = {
    "static": "stylesheet and other static files; no data",
    "api-docs.openapi_json": "OpenAPI document: describes the API, holds no data",
    "api-docs.openapi_redoc": "API documentation page",
    "api-docs.openapi_swagger_ui": "API documentation page",
    "api-docs.openapi_rapidoc": "API documentation page",
}
#: Parameter-free GET routes that answer something else than 200 to a permitted
#: user, by design (endpoint -> expected status). Keep it short and explained.
EXPECTED_STATUS: dict[str, int] = {}
SKIPPED_METHODS = {"HEAD", "OPTIONS"}
ROLES = (Role.ADMIN, Role.PROGRAMME_MANAGER, Role.FINANCE, Role.ODA_OFFICER, Role.VIEWER)
CANDIDATE_VALUES = ("NOPE-404", "NOPE", "ZZZ", "0")


def _routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        for method in sorted(rule.methods - SKIPPED_METHODS):
            yield rule, method


def _is_static(app, rule: Rule) -> bool:
    view = app.view_functions[rule.endpoint]
    return rule.endpoint == "static" or (
        rule.endpoint.endswith(".static") and getattr(view, "__name__", "") == "send_static_file")


def _method_function(view, method: str):
    view_class = getattr(view, "view_class", None)
    return getattr(view_class, method.lower(), None) if view_class is not None else None


def guards_of(app, rule: Rule, method: str) -> list:
    """Every permission the request must pass: the view's own guard (for a
    MethodView the class ``decorators``) plus a guard on the method itself."""
    view = app.view_functions[rule.endpoint]
    found = [getattr(view, GUARDED_ENDPOINT_ATTR)] if hasattr(view, GUARDED_ENDPOINT_ATTR) else []
    method_function = _method_function(view, method)
    if method_function is not None and hasattr(method_function, GUARDED_ENDPOINT_ATTR):
        found.append(getattr(method_function, GUARDED_ENDPOINT_ATTR))
    return found


def is_public(app, rule: Rule, method: str) -> bool:
    view = app.view_functions[rule.endpoint]
    method_function = _method_function(view, method)
    return bool(getattr(view, PUBLIC_ENDPOINT_ATTR, False)
                or getattr(method_function, PUBLIC_ENDPOINT_ATTR, False))


def _value_for(converter) -> object:
    name = type(converter).__name__
    if isinstance(converter, YearConverter):
        return 2024
    if isinstance(converter, IntegerConverter):
        return 987_654
    if name == "FloatConverter":
        return 1.5
    if name == "UUIDConverter":
        return uuid.uuid4()
    if hasattr(converter, "items"):  # AnyConverter
        return sorted(converter.items)[0]
    for candidate in CANDIDATE_VALUES:
        if re.fullmatch(converter.regex, candidate):
            return candidate
    raise AssertionError(f"no test value for converter {converter!r}")


def url_of(rule: Rule) -> str:
    """The rule's path with a value for each argument that matches its converter but names nothing."""
    values = {name: _value_for(rule._converters[name]) for name in rule.arguments}
    _domain, path = rule.build(values, append_unknown=False)
    return path


def _is_api(rule: Rule) -> bool:
    return rule.rule.startswith("/api/")


def _needs_query_arguments(rule: Rule, response) -> bool:
    """An API list that requires query arguments (e.g. a year) answers 422 naming them:
    the request passed the guard, which is what the walk checks."""
    if not _is_api(rule) or response.status_code != 422:
        return False
    details = (response.get_json(silent=True) or {}).get("error", {}).get("details", {})
    return set(details) == {"query"}


#: on every answer, page or API, whoever asks (HSTS only in production: see the test below)
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.I)


def _security_problem(response) -> str | None:
    for name, value in SECURITY_HEADERS.items():
        if response.headers.get(name) != value:
            return f"{name}: {response.headers.get(name)!r}"
    policy = response.headers.get("Content-Security-Policy", "")
    if "frame-ancestors 'none'" not in policy or "default-src" not in policy or "unsafe-inline" in policy:
        return f"Content-Security-Policy: {policy!r}"
    if response.mimetype == "text/html":
        html = response.get_data(as_text=True)
        found = INLINE_SCRIPT.search(html) or INLINE_STYLE.search(html)
        if found:
            return f"inline script or style the policy would block: {found.group(0)!r}"
    return None


def _allowed(role: Role, guards: list) -> bool:
    return all(g == "authenticated" or Permission(g) in ROLE_PERMISSIONS[role] for g in guards)


# --- every endpoint declares who may use it -------------------------------------------------


def test_every_route_is_guarded_or_listed_as_open(app):
    unguarded = [
        f"{method} {rule.rule} ({rule.endpoint})"
        for rule, method in _routes(app)
        if rule.endpoint not in UNGUARDED and not _is_static(app, rule)
        and not guards_of(app, rule, method) and not is_public(app, rule, method)
    ]
    assert not unguarded, "routes without @require/@public:\n" + "\n".join(unguarded)


def test_the_walk_sees_the_pages_of_this_issue(app):
    """Guards against a walk that silently walks nothing."""
    endpoints = {rule.endpoint for rule, _m in _routes(app)}
    assert {"web.home", "auth.login", "auth.logout", "events.audit", "programmes.detail",
            "programmes.save_budget_line", "events_api.Events", "programmes.activity",
            "programmes.save_activity", "scheduler_pages.job_runs"} <= endpoints


def test_only_login_language_the_invitation_link_and_the_iati_files_are_public_html_routes(app):
    """The invitation page is public because the new user has no password yet: it answers
    404 unless its path holds an unused, unexpired one-time secret (tests/app/auth/test_views_users.py).
    The published IATI files are public by purpose: the IATI Registry and anyone else fetch them
    without an account; the route serves only files whose validation had no error, read-only
    (tests/exports/iati/test_publish_pages.py)."""
    public_html = {rule.endpoint for rule, method in _routes(app)
                   if is_public(app, rule, method) and not _is_api(rule) and not _is_static(app, rule)}
    assert public_html == {"auth.login", "auth.language", "users.invitation", "iati_public.published_file"}, (
        "a new page open to anonymous visitors: review it, then add it here")


# --- anonymous visitors ---------------------------------------------------------------------


def test_anonymous_requests_are_sent_to_login_or_get_401(app, client):
    failures = []
    for rule, method in _routes(app):
        if rule.endpoint in UNGUARDED or _is_static(app, rule) or is_public(app, rule, method):
            continue
        url = url_of(rule)
        kwargs = {"json": {}} if _is_api(rule) and method != "GET" else {}
        response = client.open(url, method=method, **kwargs)
        problem = _anonymous_problem(rule, url, response) or _security_problem(response)
        if problem:
            failures.append(f"{method} {url} ({rule.endpoint}): {problem}")
    assert not failures, "\n".join(failures)


def _anonymous_problem(rule: Rule, url: str, response) -> str | None:
    if _is_api(rule):
        body = response.get_json(silent=True) or {}
        if response.status_code != 401 or body.get("error", {}).get("status") != 401:
            return f"expected 401 JSON, got {response.status_code}"
        if "Bearer" not in response.headers.get("WWW-Authenticate", ""):
            return "401 without a WWW-Authenticate: Bearer header"
        return None
    if response.status_code != 302:
        return f"expected a redirect to login, got {response.status_code}"
    location = urlsplit(response.location)
    if location.path != "/login":
        return f"redirected to {response.location}, not to the login page"
    return None


def test_public_and_static_routes_answer_anonymous_users_without_error(app, client):
    failures = []
    for rule, method in _routes(app):
        if not (rule.endpoint in UNGUARDED or _is_static(app, rule) or is_public(app, rule, method)):
            continue
        url = "/static/aidledger.css" if rule.endpoint == "static" else url_of(rule)
        response = client.open(url, method=method)
        if response.status_code >= 500:
            failures.append(f"{method} {url}: {response.status_code}")
    assert not failures, "\n".join(failures)


# --- every role ------------------------------------------------------------------------------


@pytest.fixture
def portfolio(web):
    ids = web.seed(seed_portfolio)
    web.dispatch()
    return ids


def _client_for(web, role: Role, programme_id: int):
    scope = programme_id if role in SCOPED_ROLES else None
    email = web.user(role, scope)
    return web.sign_in(email, web.app.test_client()), web.token(email)


def _get(client, token, rule: Rule, url: str):
    if _is_api(rule):
        return client.get(url, headers={"Authorization": f"Bearer {token}"})
    return client.get(url)


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
def test_each_role_gets_exactly_what_the_permission_table_allows(app, web, portfolio, role):
    client, token = _client_for(web, role, portfolio["malawi"])
    failures, walked = [], 0
    for rule, method in _routes(app):
        if method != "GET" or rule.arguments or rule.endpoint in UNGUARDED or _is_static(app, rule):
            continue
        if is_public(app, rule, method):
            continue
        walked += 1
        allowed = _allowed(role, guards_of(app, rule, method))
        expected = EXPECTED_STATUS.get(rule.endpoint, 200) if allowed else 403
        response = _get(client, token, rule, url_of(rule))
        if response.status_code != expected and not (allowed and _needs_query_arguments(rule, response)):
            failures.append(f"GET {rule.rule} ({rule.endpoint}): expected {expected}, got {response.status_code}")
        elif _security_problem(response):
            failures.append(f"GET {rule.rule} ({rule.endpoint}): {_security_problem(response)}")
    assert walked >= 4
    assert not failures, f"as {role.value}:\n" + "\n".join(failures)


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
def test_no_get_route_fails_for_any_role_with_unknown_ids(app, web, portfolio, role):
    """Routes with parameters, called with values that name nothing: 403/404/422, never 500."""
    client, token = _client_for(web, role, portfolio["malawi"])
    failures = []
    for rule, method in _routes(app):
        if method != "GET" or not rule.arguments or _is_static(app, rule):
            continue
        url = url_of(rule)
        response = _get(client, token, rule, url)
        if response.status_code >= 500 or response.status_code == 401:
            failures.append(f"GET {url} ({rule.endpoint}): {response.status_code}")
    assert not failures, f"as {role.value}:\n" + "\n".join(failures)


#: one past what an INTEGER column holds on PostgreSQL, and one past SQLite's 64-bit integers
HUGE_IDS = (2**31, 2**63)


def _huge_ids(converter) -> tuple[int, ...]:
    return HUGE_IDS[1:] if isinstance(converter, BigIdConverter) else HUGE_IDS


def test_huge_ids_answer_404_on_every_route_and_method(app, web, portfolio):
    """An id no column can hold names nothing: 404, never a 500 from the database driver."""
    email = web.user(Role.ADMIN)
    client, token = web.sign_in(email, web.app.test_client()), web.token(email)
    failures, walked = [], 0
    for rule, method in _routes(app):
        id_arguments = [name for name in rule.arguments if isinstance(rule._converters[name], IntegerConverter)]
        if not id_arguments:
            continue
        for huge in _huge_ids(rule._converters[id_arguments[0]]):
            values = {name: _value_for(rule._converters[name]) for name in rule.arguments}
            values.update(dict.fromkeys(id_arguments, huge))
            url = rule.build(values, append_unknown=False)[1]
            headers = {"Authorization": f"Bearer {token}"} if _is_api(rule) else {}
            response = client.open(url, method=method, headers=headers, **({"json": {}} if method != "GET" else {}))
            walked += 1
            if response.status_code != 404:
                failures.append(f"{method} {url} ({rule.endpoint}): {response.status_code}")
    assert walked >= 60
    assert not failures, "\n".join(failures)


def test_pages_with_records_carry_the_headers_and_no_inline_code(web, portfolio):
    """The pages the walk reaches only with ids: a programme with its chart, an activity, the portfolio."""
    client = web.signed_in(Role.ADMIN)
    for url in ("/", "/programmes/MWI-CSP3", "/activities/MWI-2019-TLC", "/login"):
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert _security_problem(response) is None, (url, _security_problem(response))


def test_hsts_is_sent_in_production_only(app, client, monkeypatch):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    monkeypatch.setitem(app.config, "AIDLEDGER_ENV", "production")
    assert client.get("/login").headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert client.get("/api/v1/auth/me").headers["Strict-Transport-Security"].startswith("max-age=")


def test_programme_manager_is_kept_to_their_own_programme(web, portfolio):
    client, _token = _client_for(web, Role.PROGRAMME_MANAGER, portfolio["malawi"])
    assert client.get("/programmes/MWI-CSP3").status_code == 200
    assert client.get("/programmes/MOZ-CSP4").status_code == 404
    response = client.post("/programmes/MOZ-CSP4/budget-lines",
                           data={"year": "2021", "planned_amount": "1.00", "version": ""})
    assert response.status_code == 404


def _mozambique_records(session) -> dict:
    from tests.builders import programmes as b
    from programmes.models import Programme

    mozambique = session.scalar(select(Programme).where(Programme.code == "MOZ-CSP4"))
    activity = b.cerf_core_contribution(session, mozambique)
    line = b.disburse(session, activity, date(2021, 3, 1), "25000.00", "B-2021-0301")
    session.flush()
    return {"activity": activity.id, "transaction": line.id}


def test_out_of_scope_answers_exactly_like_missing(web, portfolio):
    """A programme manager cannot tell another programme's records from ids that do not exist."""
    records = web.seed(_mozambique_records)
    client, token = _client_for(web, Role.PROGRAMME_MANAGER, portfolio["malawi"])
    bearer = {"Authorization": f"Bearer {token}"}
    pairs = [  # (out of scope, missing)
        ("/api/v1/programmes/MOZ-CSP4", "/api/v1/programmes/NOPE-404"),
        ("/api/v1/programmes/MOZ-CSP4/budget-lines", "/api/v1/programmes/NOPE-404/budget-lines"),
        (f"/api/v1/activities/{records['activity']}", "/api/v1/activities/987654"),
        (f"/api/v1/transactions/{records['transaction']}", "/api/v1/transactions/987654"),
    ]
    for out_of_scope, missing in pairs:
        hidden, absent = client.get(out_of_scope, headers=bearer), client.get(missing, headers=bearer)
        assert hidden.status_code == absent.status_code == 404, out_of_scope
        assert hidden.get_json() == _same_ids(absent.get_json(), missing, out_of_scope), out_of_scope
    patch = client.patch(f"/api/v1/activities/{records['activity']}", json={"version": 1, "title": "Mine now"},
                         headers=bearer)
    assert patch.status_code == 404
    assert client.get("/programmes/MOZ-CSP4").status_code == client.get("/programmes/NOPE-404").status_code == 404


def _same_ids(body: dict, missing_url: str, hidden_url: str) -> dict:
    """The missing answer with the other id in its message (a message may name the id asked for)."""
    import json

    missing_id, hidden_id = missing_url.rstrip("/").split("/")[-1], hidden_url.rstrip("/").split("/")[-1]
    return json.loads(json.dumps(body).replace(missing_id, hidden_id))


@pytest.mark.parametrize("endpoint, method, permissions", [
    ("web.home", "GET", ["authenticated"]),
    ("events.audit", "GET", [Permission.VIEW_AUDIT]),
    ("programmes.detail", "GET", [Permission.VIEW_PORTFOLIO]),
    ("programmes.save_budget_line", "POST", [Permission.EDIT_BUDGET]),
    ("auth.logout", "POST", ["authenticated"]),
    ("programmes.activity", "GET", [Permission.VIEW_PORTFOLIO]),
    ("programmes.save_activity", "POST", [Permission.EDIT_ACTIVITY]),
    ("scheduler_pages.job_runs", "GET", [Permission.VIEW_JOBS]),
])
def test_pages_of_this_issue_declare_the_permission_of_the_table(app, endpoint, method, permissions):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    assert guards_of(app, rule, method) == permissions


def test_every_navigation_entry_opens_an_existing_page(app):
    broken = [item.endpoint for item in app.extensions.get("aidledger.nav", [])
              if item.endpoint not in app.view_functions]
    assert not broken, f"navigation entries without a page: {broken}"


# --- out of scope is missing, on every route -------------------------------------------------

#: route arguments that name a record of one programme (``code``: a programme's, or an activity's
#: under /activities/)
SCOPED_ARGUMENTS = {"code", "activity_id", "transaction_id", "application_id", "call_id", "scheme_id",
                    "tranche_id", "report_id", "person_id"}
MISSING_ID = 987_654


def _records_of_other_programmes(session) -> dict:
    """Mozambique's activity and transaction, and a UN promoters scheme (programme GR-UNP) with a
    call, a committed application (tranches, reports) and a trainee's application (a person)."""
    from decimal import Decimal

    from grants.services.reports import add_interim_report
    from grants.services.schedule import schedule_tranche
    from tests.builders import grants as gb

    values = _mozambique_records(session)
    unp = gb.un_promoters_scheme(session)
    call = gb.awareness_call(session, unp)
    assessor, approver = gb.managers(session, unp)
    application = gb.committed(session, gb.vvn_application(session, unp, call), assessor, approver)
    report = add_interim_report(session, application, date(2024, 9, 30))
    tranche = schedule_tranche(session, application, date(2024, 4, 1), Decimal("10000.00"))
    intern = gb.intern_application(session, gb.trainee_scheme(session))
    session.flush()
    return {"programme_code": "MOZ-CSP4", "activity_code": "CERF-CORE", "activity_id": values["activity"],
            "transaction_id": values["transaction"], "application_id": application.id, "call_id": call.id,
            "scheme_id": unp.id, "tranche_id": tranche.id,
            "report_id": report.id, "person_id": intern.person_id}


def _scoped_url(rule: Rule, values: dict) -> str:
    arguments = {}
    for name in rule.arguments:
        if name == "code":
            arguments[name] = values["activity_code" if rule.rule.startswith("/activities/") else "programme_code"]
        else:
            arguments[name] = values[name]
    return rule.build(arguments, append_unknown=False)[1]


def test_every_route_answers_out_of_scope_records_exactly_like_missing_ones(app, web, portfolio):
    """A programme manager of Malawi, on every route and method that names a record of a
    programme: another programme's record gets the answer (status, and for the API the body)
    of a record that does not exist, and the answer carries the security headers."""
    hidden = web.seed(_records_of_other_programmes)
    missing = {**{name: MISSING_ID for name in SCOPED_ARGUMENTS}, "programme_code": "NOPE-404",
               "activity_code": "NOPE-404"}
    client, token = _client_for(web, Role.PROGRAMME_MANAGER, portfolio["malawi"])
    failures, walked = [], 0
    for rule, method in _routes(app):
        if not rule.arguments or not set(rule.arguments) <= SCOPED_ARGUMENTS or _is_static(app, rule):
            continue
        headers = {"Authorization": f"Bearer {token}"} if _is_api(rule) else {}
        body = {"json": {}} if _is_api(rule) and method != "GET" else {}
        answers = [client.open(_scoped_url(rule, values), method=method, headers=headers, **body)
                   for values in (hidden, missing)]
        walked += 1
        problem = _scope_problem(rule, answers, hidden, missing)
        if problem:
            failures.append(f"{method} {rule.rule} ({rule.endpoint}): {problem}")
    assert walked >= 60
    assert not failures, "\n".join(failures)


def _scope_problem(rule: Rule, answers: list, hidden: dict, missing: dict) -> str | None:
    out_of_scope, absent = answers
    if out_of_scope.status_code != absent.status_code:
        return f"out of scope {out_of_scope.status_code}, missing {absent.status_code}"
    if out_of_scope.status_code not in (403, 404, 405, 422):  # 422: the empty body, read before the record
        return f"answered {out_of_scope.status_code}"
    if _is_api(rule) and _scrubbed(out_of_scope, rule, hidden) != _scrubbed(absent, rule, missing):
        return f"bodies differ: {out_of_scope.get_json()} / {absent.get_json()}"
    return _security_problem(out_of_scope)


def _scrubbed(response, rule: Rule, values: dict) -> str:
    """The body without the ids or codes asked for (a message may name them)."""
    text = response.get_data(as_text=True)
    for name in rule.arguments:
        value = values["activity_code" if name == "code" and rule.rule.startswith("/activities/")
                       else "programme_code" if name == "code" else name]
        text = re.sub(rf"\b{re.escape(str(value))}\b", "<asked>", text)
    return text
