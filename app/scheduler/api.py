"""Recorded runs of scheduled jobs (read only)."""
from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema, fields
from sqlalchemy import select

from app.api import Blueprint, abort, paginate_select
from app.api.fields import Text
from app.auth.guards import require
from app.auth.roles import Permission
from app.db import get_session
from app.scheduler.models import JobRun
from app.scheduler.overview import job_overview

blp = Blueprint("scheduler_api", __name__, url_prefix="/scheduler", description="Scheduled job runs (read only)")


class JobRunSchema(Schema):
    id = fields.Integer()
    job_id = fields.String()
    started_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    outcome = fields.String()
    counts = fields.Dict()
    error = fields.String(allow_none=True)
    host = fields.String(allow_none=True)


class ScheduledJobSchema(Schema):
    job_id = fields.String()
    trigger = fields.String()
    next_run_at = fields.DateTime(allow_none=True)
    last_run = fields.Nested(JobRunSchema, allow_none=True)


class JobRunQuerySchema(Schema):
    job_id = Text(max_length=80)
    outcome = Text(max_length=20)


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


@blp.route("/runs/<bigid:run_id>")
class JobRunDetail(MethodView):
    decorators = [require(Permission.VIEW_JOBS)]

    @blp.response(200, JobRunSchema)
    def get(self, run_id):
        """One job run with its counts and error."""
        run = get_session().get(JobRun, run_id)
        if run is None:
            abort(404, message=f"There is no job run {run_id}.")
        return run


@blp.route("/jobs")
class ScheduledJobs(MethodView):
    decorators = [require(Permission.VIEW_JOBS)]

    @blp.response(200, ScheduledJobSchema(many=True))
    def get(self):
        """The jobs the scheduler process runs: trigger, next run and last run."""
        return job_overview(get_session())
