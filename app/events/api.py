"""The event ledger over the API (read only), limited to what the caller may audit."""
from __future__ import annotations

from datetime import timezone

from flask.views import MethodView
from marshmallow import Schema, fields, validate
from sqlalchemy import and_, or_, select

from app.api import Blueprint, paginate_select
from app.api.fields import MAX_BIGINT, Text
from app.api.scope import programme_scope
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
    type = Text(max_length=80)
    aggregate_type = Text(max_length=40)
    aggregate_id = Text(max_length=64)
    actor = Text(max_length=120)
    #: a time without offset is read as UTC
    since = fields.AwareDateTime(default_timezone=timezone.utc)
    until = fields.AwareDateTime(default_timezone=timezone.utc)
    after_id = fields.Integer(validate=validate.Range(min=0, max=MAX_BIGINT))


def in_programmes(programme_ids: set[int], dialect: str):
    """Events about these programmes: the programme itself, or a payload naming it
    in ``programme_id`` (transactions also in ``before``/``after``), the convention
    every package follows when an event belongs to a programme."""
    paths = ("programme_id", ("before", "programme_id"), ("after", "programme_id"))
    if dialect == "postgresql":
        # compare as text: a payload with a non-numeric programme_id must not break the cast
        wanted = [str(i) for i in programme_ids]
        named = [Event.payload[path].as_string().in_(wanted) for path in paths]
    else:
        named = [Event.payload[path].as_integer().in_(programme_ids) for path in paths]
    itself = and_(Event.aggregate_type == "Programme", Event.aggregate_id.in_([str(i) for i in programme_ids]))
    return or_(itself, *named)


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
            stmt = stmt.where(in_programmes(scope, session.get_bind().dialect.name))
        return paginate_select(session, stmt, pagination_parameters)
