"""The REST API: flask-smorest, bearer tokens, one JSON error shape, pagination.

Packages build their endpoints on :class:`Blueprint` from here (strict JSON
bodies, capped pagination) and register them with :func:`register_blueprint`.
The contract for clients is written down in docs/api.md.
"""
from __future__ import annotations

from http import HTTPStatus

import marshmallow as ma
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow import resolver as default_schema_name
from apispec.ext.marshmallow.common import resolve_schema_cls, resolve_schema_instance
from flask import Flask, Response, g, request
from flask_smorest import Api, Page, abort  # noqa: F401 - re-exported for packages
from flask_smorest import Blueprint as SmorestBlueprint
from werkzeug.exceptions import Forbidden, Unauthorized

from app.api.fields import Money
from app.api.parser import JsonBodyParser
from app.api.query import UnknownParametersAnswer422, refuse_unknown_query_parameters
from app.web.errors import _render

API_PREFIX = "/api/v1"
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

MISSING_TOKEN = "Send an API token: Authorization: Bearer <token> (the API does not use browser sessions)."
UNUSABLE_TOKEN = "The bearer token is unknown, expired or revoked, or its user is deactivated."

API_DESCRIPTION = (
    "Bearer tokens only (`Authorization: Bearer al_…`; `flask --app wsgi users token EMAIL`). "
    "Lists are paged with `page` and `page_size` (default 50, at most 200); the "
    "`X-Pagination` header carries total, total_pages, page, next_page. Money is a JSON "
    "string with two decimals (\"1234.50\"); floats are refused. A query parameter or body field an "
    "operation does not document answers 422 naming it. Every error answers "
    '`{"error": {"status", "code", "message", "details"}}`. See docs/api.md.'
)


PAGINATION_HEADER_COMPONENT = "PaginationJson"
PAGINATION_HEADER = {
    "description": "Pagination metadata as a JSON object: total, total_pages, first_page, last_page, page, "
                   "previous_page and next_page (integers; the last two only when such a page exists).",
    "schema": {"type": "string", "pattern": r"^\{.*\}$",
               "example": '{"total": 120, "total_pages": 3, "first_page": 1, "last_page": 3, "page": 2, '
                          '"previous_page": 1, "next_page": 3}'},
}


class Blueprint(SmorestBlueprint):
    """flask-smorest Blueprint with our body parser and pagination limits."""

    ARGUMENTS_PARSER = JsonBodyParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {**SmorestBlueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
                                             "multipart": "multipart/form-data"}
    DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": DEFAULT_PAGE_SIZE, "max_page_size": MAX_PAGE_SIZE}

    def arguments(self, schema, *, location="json", required=None, **kwargs):
        """A JSON body whose every field is optional may be left out, and the document says so."""
        if required is None:
            required = location != "json" or any(f.required for f in resolve_schema_instance(schema).fields.values())
        return super().arguments(schema, location=location, required=required, **kwargs)

    def _document_pagination_metadata(self, spec, resp_doc):
        """The header carries the metadata as JSON text: a string, as every header is."""
        resp_doc.setdefault("headers", {})[self.PAGINATION_HEADER_NAME] = PAGINATION_HEADER_COMPONENT

    def errors(self, *status_codes: int):
        """Document error answers of an endpoint (they all have the ErrorSchema body)."""

        def decorator(func):
            for code in status_codes:
                func = self.alt_response(code, response=HTTPStatus(code).name)(func)
            return func

        return decorator


class ErrorDetailSchema(ma.Schema):
    status = ma.fields.Integer(metadata={"description": "HTTP status code"})
    code = ma.fields.String(metadata={"description": "Stable snake_case name, e.g. unprocessable_entity"})
    message = ma.fields.String(metadata={"description": "Human-readable explanation"})
    details = ma.fields.Dict(metadata={
        "description": "Messages per location and field, e.g. {\"json\": {\"amount\": [\"…\"]}}; {} when none"})


class ErrorSchema(ma.Schema):
    """The one error body of the API (documentation; app.web.errors renders it)."""

    error = ma.fields.Nested(ErrorDetailSchema)


class AidledgerApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        _adopt_abort_arguments(error)
        if request.path.startswith("/api/"):
            _explain_access_errors(error)
        response = _render(error)
        if isinstance(response, Response):
            for name, value in _extra_headers(error).items():
                response.headers[name] = value
        return response


def _adopt_abort_arguments(error) -> None:
    """``abort(status, message=…, errors=…)`` (flask-smorest/webargs) keeps its
    arguments in ``error.data``; app.web.errors reads ``description`` and
    ``data["messages"]``, so move them there."""
    data = getattr(error, "data", None)
    if not isinstance(data, dict):
        return
    if data.get("message"):
        error.description = str(data["message"])
    if "errors" in data and "messages" not in data:
        data["messages"] = data["errors"]
    if error.code == 422 and not data.get("message"):
        error.description = "The request did not pass validation; see details."


def _explain_access_errors(error) -> None:
    """werkzeug's default texts speak of browsers and passwords; say what an API client should do."""
    if error.code == 401 and error.description == Unauthorized.description:
        error.description = (UNUSABLE_TOKEN if g.get("auth_method") == "bad_token" else MISSING_TOKEN)
    elif error.code == 403 and error.description == Forbidden.description:
        error.description = "Your roles do not allow this, or not for this programme."


def _extra_headers(error) -> dict:
    headers = {}
    data = getattr(error, "data", None)
    if isinstance(data, dict) and isinstance(data.get("headers"), dict):
        headers.update(data["headers"])
    if error.code == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    return headers


def init_api(app: Flask) -> Api:
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": API_DESCRIPTION},
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearerAuth": []}],
    })
    api = AidledgerApi(app, spec_kwargs={"marshmallow_plugin": MarshmallowPlugin(
        schema_name_resolver=package_aware_schema_names()), "extra_plugins": [UnknownParametersAnswer422()]})
    api.register_field(Money, "string", "decimal")
    api.spec.components.header(PAGINATION_HEADER_COMPONENT, PAGINATION_HEADER)
    _make_openapi_document_public(app)

    from app.api.tokens import record_token_use
    from app.auth.api import blp as auth_blp
    from app.events.api import blp as events_blp
    from app.scheduler.api import blp as scheduler_blp

    app.before_request(record_token_use)
    app.before_request(refuse_unknown_query_parameters)
    for blp in (auth_blp, events_blp, scheduler_blp):
        register_blueprint(api, blp)
    return api


def package_aware_schema_names():
    """apispec names a schema after its class (``ReasonSchema`` → ``Reason``). When two
    packages both have a ``ReasonSchema``, the later one is named after its package too
    (``GrantsReason``), instead of apispec's warning and a numbered name."""
    owners: dict[str, type] = {}

    def name_of(schema) -> str:
        name = default_schema_name(schema)
        resolved = resolve_schema_cls(schema)
        cls = resolved[0] if isinstance(resolved, list) else resolved
        if owners.setdefault(name, cls) is not cls:
            name = cls.__module__.split(".")[0].capitalize() + name
            owners.setdefault(name, cls)
        return name

    return name_of


def _make_openapi_document_public(app: Flask) -> None:
    """The OpenAPI document describes the API, not data: anyone may read it."""
    from app.auth.guards import public

    for endpoint, view in list(app.view_functions.items()):
        if endpoint.startswith("api-docs."):
            def open_view(*args, _view=view, **kwargs):
                return _view(*args, **kwargs)

            app.view_functions[endpoint] = public(open_view)


def register_blueprint(api: Api, blp: SmorestBlueprint) -> None:
    """API routes authenticate with bearer tokens only, so CSRF does not apply."""
    from app.auth import csrf

    csrf.exempt(blp)
    api.register_blueprint(blp, url_prefix=API_PREFIX + blp.url_prefix if blp.url_prefix else API_PREFIX)


def paginate_select(session, stmt, pagination_parameters):
    """Count and slice a SQLAlchemy select for ``@blp.paginate()`` views.

    A page past the end answers an empty list without querying, so an absurd
    ``page`` never reaches the database as an out-of-range OFFSET.
    """
    from sqlalchemy import func, select

    pagination_parameters.item_count = session.scalar(
        select(func.count()).select_from(stmt.order_by(None).subquery())
    )
    if pagination_parameters.first_item >= pagination_parameters.item_count:
        return []
    return session.scalars(
        stmt.offset(pagination_parameters.first_item).limit(pagination_parameters.page_size)
    ).all()


def unprocessable(message: str, field: str | None = None, location: str = "json"):
    """Answer 422 naming the input at fault, in the same shape as schema errors."""
    abort(422, message=message, messages={location: {field or "_schema": [message]}})


def conflict(message: str, field: str | None = None):
    abort(409, message=message, messages={"json": {field: [message]}} if field else {})
