"""The caller's own identity and API tokens.

Tokens are issued on the command line (``flask --app wsgi users token EMAIL``),
not over the API: a stolen token must not be able to mint fresh ones that
outlive its own revocation. Over the API a user can see and revoke their tokens.
"""
from __future__ import annotations

from flask import g
from flask.views import MethodView
from marshmallow import Schema, fields
from sqlalchemy import select

from app.api import Blueprint, abort, paginate_select
from app.auth.current import bearer_secret
from app.auth.guards import require
from app.auth.models import ApiToken
from app.db import get_session, unit_of_work
from app.events import publish

blp = Blueprint("auth_api", __name__, url_prefix="/auth", description="Who am I, and my API tokens")


class RoleAssignmentSchema(Schema):
    role = fields.String()
    programme_id = fields.Integer(allow_none=True)


class CurrentUserSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    locale = fields.String()
    roles = fields.List(fields.Nested(RoleAssignmentSchema))


class ApiTokenSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    prefix = fields.String(metadata={"description": "The first characters of the secret, to recognise it"})
    created_at = fields.DateTime()
    expires_at = fields.DateTime(allow_none=True)
    last_used_at = fields.DateTime(allow_none=True)
    revoked = fields.Boolean()
    current = fields.Method("_is_current", metadata={"description": "The token of this request"})

    def _is_current(self, token) -> bool:
        return token.token_hash == ApiToken.hash(bearer_secret() or "")


@blp.route("/me")
class Me(MethodView):
    decorators = [require(None)]

    @blp.response(200, CurrentUserSchema)
    def get(self):
        """The user this token belongs to, with their roles."""
        return g.user


@blp.route("/tokens")
class Tokens(MethodView):
    decorators = [require(None)]

    @blp.response(200, ApiTokenSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """My API tokens, newest first (secrets are never shown again)."""
        stmt = select(ApiToken).where(ApiToken.user_id == g.user.id).order_by(ApiToken.id.desc())
        return paginate_select(get_session(), stmt, pagination_parameters)


@blp.route("/tokens/<id:token_id>")
class TokenDetail(MethodView):
    decorators = [require(None)]

    @blp.response(204)
    def delete(self, token_id):
        """Revoke one of my tokens (also the one of this request). Revoking twice is harmless."""
        with unit_of_work() as session:
            token = session.get(ApiToken, token_id)
            if token is None or token.user_id != g.user.id:
                abort(404, message=f"You have no API token {token_id}.")
            if not token.revoked:
                token.revoked = True
                session.flush()
                publish(session, "ApiTokenRevoked", "ApiToken", token.id,
                        {"user_id": token.user_id, "name": token.name})
