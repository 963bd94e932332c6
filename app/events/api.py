from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema, fields
from sqlalchemy import select

from app.api import Blueprint, paginate_select
from app.auth.guards import require
from app.auth.roles import Permission
from app.db import get_session
from app.events.models import Event
from app.events.queries import filter_events

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
    type = fields.String()
    aggregate_type = fields.String()
    aggregate_id = fields.String()
    actor = fields.String()
    since = fields.DateTime()
    until = fields.DateTime()
    after_id = fields.Integer()


@blp.route("")
class Events(MethodView):
    decorators = [require(Permission.VIEW_AUDIT)]

    @blp.arguments(EventQuerySchema, location="query")
    @blp.response(200, EventSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List events, newest first, filtered by type, aggregate, actor and time."""
        session = get_session()
        stmt = filter_events(select(Event), **args).order_by(Event.id.desc())
        return paginate_select(session, stmt, pagination_parameters)
