from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema, fields
from sqlalchemy import select

from app.api import Blueprint, paginate_select
from app.auth.guards import require
from app.auth.roles import Permission
from app.db import get_session
from app.scheduler.models import JobRun

blp = Blueprint("scheduler_api", __name__, url_prefix="/scheduler", description="Scheduled job runs (read only)")


class JobRunSchema(Schema):
    id = fields.Integer()
    job_id = fields.String()
    started_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    outcome = fields.String()
    counts = fields.Dict()
    error = fields.String(allow_none=True)


class JobRunQuerySchema(Schema):
    job_id = fields.String()
    outcome = fields.String()


@blp.route("/runs")
class JobRuns(MethodView):
    decorators = [require(Permission.VIEW_JOBS)]

    @blp.arguments(JobRunQuerySchema, location="query")
    @blp.response(200, JobRunSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List job runs, newest first."""
        stmt = select(JobRun).order_by(JobRun.id.desc())
        if args.get("job_id"):
            stmt = stmt.where(JobRun.job_id == args["job_id"])
        if args.get("outcome"):
            stmt = stmt.where(JobRun.outcome == args["outcome"])
        return paginate_select(get_session(), stmt, pagination_parameters)
