"""/activities: list, read, create, and change with optimistic locking."""
from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from app.api import paginate_select, unprocessable
from app.api.writes import check_version, writing
from app.auth.guards import require
from app.auth.roles import Permission
from app.db import get_session
from programmes.api.common import (API_FIELD_NAMES, activity_or_404, blp, check_organisation, only_visible,
                                    programme_named_in_body)
from programmes.models import Activity, Programme
from programmes.schemas import ActivityCreateSchema, ActivityQuerySchema, ActivitySchema, ActivityUpdateSchema
from programmes.services.activities import create_activity, get_activity_by_code, update_activity

TAGS = ["Activities"]
ACTIVITY_ID = "<id:activity_id>"


@blp.route("/activities", tags=TAGS)
class Activities(MethodView):
    decorators = [require(Permission.VIEW_PORTFOLIO)]

    @blp.arguments(ActivityQuerySchema, location="query")
    @blp.response(200, ActivitySchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List activities (of the programmes you may see), by code."""
        stmt = select(Activity).order_by(Activity.code)
        if args.get("programme"):
            stmt = stmt.where(Activity.programme_id.in_(
                select(Programme.id).where(Programme.code == args["programme"]).scalar_subquery()))
        if args.get("code"):
            stmt = stmt.where(Activity.code == args["code"])
        if args.get("status"):
            stmt = stmt.where(Activity.status == args["status"])
        return paginate_select(get_session(), only_visible(stmt, Activity.programme_id), pagination_parameters)

    @require(Permission.EDIT_ACTIVITY)
    @blp.arguments(ActivityCreateSchema)
    @blp.response(201, ActivitySchema)
    @blp.errors(403, 409)
    def post(self, data):
        """Create an activity in a programme you manage."""
        with writing(API_FIELD_NAMES) as session:
            programme = programme_named_in_body(session, data.pop("programme_code"), Permission.EDIT_ACTIVITY)
            check_organisation(session, data.get("organisation_id"))
            activity = create_activity(session, programme_id=programme.id, **data)
        return activity


@blp.route(f"/activities/{ACTIVITY_ID}", tags=TAGS)
class ActivityResource(MethodView):
    decorators = [require(Permission.VIEW_PORTFOLIO)]

    @blp.response(200, ActivitySchema)
    @blp.errors(403, 404)
    def get(self, activity_id):
        """One activity with its CRS attributes and its ``version``."""
        activity = activity_or_404(get_session(), activity_id, Permission.VIEW_PORTFOLIO)
        return activity

    @require(Permission.EDIT_ACTIVITY)
    @blp.arguments(ActivityUpdateSchema)
    @blp.response(200, ActivitySchema)
    @blp.errors(403, 404, 409)
    def patch(self, data, activity_id):
        """Change some attributes. Send the ``version`` you read: if the activity
        changed since, nothing is written and the answer is 409."""
        with writing(API_FIELD_NAMES) as session:
            activity = activity_or_404(session, activity_id, Permission.EDIT_ACTIVITY)
            check_version(activity, data.pop("version"))
            if "programme_code" in data:
                programme = programme_named_in_body(session, data.pop("programme_code"), Permission.EDIT_ACTIVITY)
                data["programme_id"] = programme.id
            if data.get("code", activity.code) != activity.code and get_activity_by_code(session, data["code"]):
                unprocessable(f"Activity {data['code']} exists already.", "code")
            check_organisation(session, data.get("organisation_id"))
            update_activity(session, activity, **data)
            session.expire(activity, ["programme", "organisation"])
        return activity
