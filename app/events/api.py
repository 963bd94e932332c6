"""The event ledger over the API (read only), limited to what the caller may audit."""
from __future__ import annotations

from datetime import timezone

from flask.views import MethodView
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from app.api import Blueprint, paginate_select
from app.api.fields import MAX_BIGINT, Text
from app.api.scope import programme_scope
from app.auth.guards import require
from app.auth.roles import Permission
from app.db import get_session
from app.events.models import Event
from app.events.queries import filter_events
from app.events.scope import about_programmes

blp = Blueprint("events_api", __name__, url_prefix="/events", description="The event ledger (read only)")


class EventSchema(Schema):
    id = fields.Integer()
    type = fields.String()
    aggregate_type = fields.String()
    aggregate_id = fields.String()
    payload = fields.Dict()
    actor = fields.String()
    occurred_at = fields.DateTime()
    correlation_id = fields.String(allow_none=True)


class EventQuerySchema(Schema):
    type = Text(max_length=80)
    aggregate_type = Text(max_length=40)
    aggregate_id = Text(max_length=64)
    actor = Text(max_length=120)
    #: a time without offset is read as UTC
    since = fields.AwareDateTime(default_timezone=timezone.utc)
    until = fields.AwareDateTime(default_timezone=timezone.utc)
    after_id = fields.Integer(validate=validate.Range(min=0, max=MAX_BIGINT))


@blp.route("")
class Events(MethodView):
    decorators = [require(Permission.VIEW_AUDIT)]

    @blp.arguments(EventQuerySchema, location="query")
    @blp.response(200, EventSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List events, newest first, filtered by type, aggregate, actor and time.

        Programme managers see the events of their programmes only.
        """
        session = get_session()
        stmt = filter_events(select(Event), **args).order_by(Event.id.desc())
        scope = programme_scope(Permission.VIEW_AUDIT)
        if scope is not None:
            stmt = stmt.where(about_programmes(session, scope))
        return paginate_select(session, stmt, pagination_parameters)
