"""The REST API: flask-smorest, bearer tokens, one JSON error shape, pagination."""
from __future__ import annotations

from flask import Flask
from flask_smorest import Api, Blueprint, Page  # noqa: F401 - re-exported for packages
from marshmallow import Schema, fields

from app.web.errors import _render

API_PREFIX = "/api/v1"


class AidledgerApi(Api):
    def handle_http_exception(self, error):
        return _render(error)


class ErrorSchema(Schema):
    class Inner(Schema):
        status = fields.Integer()
        code = fields.String()
        message = fields.String()
        details = fields.Dict()

    error = fields.Nested(Inner)


def init_api(app: Flask) -> Api:
    app.config.setdefault("API_SPEC_OPTIONS", {
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearerAuth": []}],
    })
    api = AidledgerApi(app)
    api.ERROR_SCHEMA = ErrorSchema
    from app.events.api import blp as events_blp
    from app.scheduler.api import blp as scheduler_blp

    for blp in (events_blp, scheduler_blp):
        register_blueprint(api, blp)
    return api


def register_blueprint(api: Api, blp: Blueprint) -> None:
    """API routes authenticate with bearer tokens only, so CSRF does not apply."""
    from app.auth import csrf

    csrf.exempt(blp)
    api.register_blueprint(blp, url_prefix=API_PREFIX + blp.url_prefix if blp.url_prefix else API_PREFIX)


def paginate_select(session, stmt, pagination_parameters):
    """Count and slice a SQLAlchemy select for ``@blp.paginate()`` views."""
    from sqlalchemy import func, select

    pagination_parameters.item_count = session.scalar(
        select(func.count()).select_from(stmt.order_by(None).subquery())
    )
    return session.scalars(
        stmt.offset(pagination_parameters.first_item).limit(pagination_parameters.page_size)
    ).all()
