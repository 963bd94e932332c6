"""/api/v1/exports: queue exports, follow their progress, download the files."""
from __future__ import annotations

from functools import wraps

from flask import Response, g, url_for
from flask.views import MethodView
from sqlalchemy.exc import IntegrityError

from app.api import Blueprint, abort, conflict, paginate_select, unprocessable
from app.api.writes import writing
from app.auth.guards import require
from app.auth.roles import Permission
from app.db import get_session, unit_of_work
from exports.models import ExportRun, RunStatus
from app.errors import ValidationError
from exports.schemas import (CrsDiffSchema, CrsQuerySchema, DiffQuerySchema, IatiOverviewSchema,
                             IatiPublicationWithReportSchema, ReopenSchema, RunCreateSchema, RunQuerySchema, RunSchema,
                             SubmissionSchema, YearSubmissionSchema)
from exports.services import access, iati_publication, revisions, runs, submission
from exports.services.crs import FinalRefused

blp = Blueprint("exports_api", __name__, url_prefix="/exports",
                description="The OECD CRS workbook and the yearly reports, produced in the background")
TAGS = ["Exports"]
RUN_ID = "<id:run_id>"
YEAR = "<int:year>"


def known_year(view):
    """A year outside the reporting years names nothing: 404 before the body or any query."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not runs.FIRST_YEAR <= kwargs["year"] <= runs.LAST_YEAR:
            abort(404, message=f"There is no reporting year {kwargs['year']}.")
        return view(*args, **kwargs)

    return wrapper


def _queue(kind: str, **kwargs) -> tuple:
    """Queue (or find the same open) export; 202 with the run and where to follow it."""
    try:
        with unit_of_work() as session:
            run, _created = access.request_export(session, g.user, kind, trigger="api", **kwargs)
    except access.NotAllowed:
        abort(403, message="Your roles do not allow this export.")
    except FinalRefused as exc:
        conflict(exc.message, "final")
    except runs.ExportError as exc:
        unprocessable(exc.message, exc.field)
    except IntegrityError:
        conflict("The export clashes with one stored meanwhile; try again.")
    return run, 202, {"Location": url_for("exports_api.Run", run_id=run.id)}


def _visible_run_or_404(run_id: int) -> ExportRun:
    run = runs.get_run(get_session(), run_id)
    if run is None or not access.may_see(g.user, run):
        abort(404, message=f"There is no export {run_id} you may see.")
    return run


@blp.route("/crs", tags=TAGS)
class CrsExport(MethodView):
    decorators = [require(Permission.EXPORT_REPORTS)]

    @blp.arguments(CrsQuerySchema, location="query")
    @blp.response(202, RunSchema)
    @blp.errors(403, 409, 422)
    def get(self, args):
        """The CRS workbook of ``year``: queued for the background job (202 + Location).

        Asking again while the same export is queued or running returns that run:
        follow ``status_url`` until ``status`` is ``done``, then fetch ``file_url``.
        """
        return _queue("crs", year=args["year"], final=args["final"])


@blp.route("/runs", tags=TAGS)
class Runs(MethodView):
    decorators = [require(Permission.VIEW_PORTFOLIO)]

    @blp.arguments(RunQuerySchema, location="query")
    @blp.response(200, RunSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Exports you may see, newest first: CRS drafts and finals with their SHA-256, reports."""
        stmt = runs.runs_select(**args).where(access.visible_runs(g.user))
        return paginate_select(get_session(), stmt, pagination_parameters)

    @blp.arguments(RunCreateSchema)
    @blp.response(202, RunSchema)
    @blp.errors(403, 409, 422)
    def post(self, data):
        """Queue an export: ``crs`` (year, required; final), ``oda_summary`` or ``budget_execution`` (year, or
        year_from and year_to: at most 30 years, in order). A field the kind needs left out, or years out of
        order, answer 422 naming the field."""
        kind = data.pop("kind")
        return _queue(kind, **data)


@blp.route(f"/runs/{RUN_ID}", tags=TAGS, endpoint="Run")
class Run(MethodView):
    decorators = [require(Permission.VIEW_PORTFOLIO)]

    @blp.response(200, RunSchema)
    @blp.errors(404)
    def get(self, run_id):
        """Status and progress of one export; its SHA-256 once done."""
        return _visible_run_or_404(run_id)


@blp.route(f"/runs/{RUN_ID}/file", tags=TAGS, endpoint="RunFile")
class RunFile(MethodView):
    decorators = [require(Permission.VIEW_PORTFOLIO)]

    @blp.response(200, content_type=runs.XLSX, description="The xlsx file")
    @blp.errors(404, 409)
    def get(self, run_id):
        """The file of a finished export (409 while it is still being made or when it failed)."""
        run = _visible_run_or_404(run_id)
        if run.status != RunStatus.DONE:
            conflict(f"Export {run_id} is {run.status}; the file exists once it is done.")
        content = runs.file_content(get_session(), run)
        return Response(content, mimetype=runs.XLSX, headers={
            "Content-Disposition": f'attachment; filename="{run.file_name}"', "X-Content-SHA256": run.sha256})


@blp.route(f"/years/{YEAR}/submission", tags=TAGS)
class YearSubmission(MethodView):
    decorators = [known_year, require(Permission.EXPORT_REPORTS)]

    @blp.response(200, YearSubmissionSchema)
    @blp.errors(404)
    def get(self, year):
        """Whether ``year`` is submitted (locked), its submissions and every final file with its SHA-256."""
        session = get_session()
        return {"year": year, "submitted": submission.submitted(session, year) is not None,
                "submissions": submission.submissions(session, year), "finals": revisions.crs_finals(session, year)}


@blp.route(f"/years/{YEAR}/reopen", tags=TAGS)
class YearReopen(MethodView):
    decorators = [known_year, require(Permission.REVIEW_ODA)]

    @blp.arguments(ReopenSchema)
    @blp.response(200, SubmissionSchema)
    @blp.errors(403, 404, 422)
    def post(self, data, year):
        """The ODA officer reopens a submitted year with a reason (``YearReopened``); the next final is a revision."""
        try:
            with unit_of_work() as session:
                found = submission.reopen_year(session, year, data["reason"], g.user)
        except ValidationError as exc:
            unprocessable(exc.message, exc.field)
        return found


@blp.route(f"/years/{YEAR}/diff", tags=TAGS)
class YearDiff(MethodView):
    decorators = [known_year, require(Permission.EXPORT_REPORTS)]

    @blp.arguments(DiffQuerySchema, location="query")
    @blp.response(200, CrsDiffSchema)
    @blp.errors(404, 422)
    def get(self, args, year):
        """CRS rows added, removed and changed between the two latest finals of ``year`` (or ``from``/``to``)."""
        try:
            return revisions.crs_diff(get_session(), year, args.get("from_id"), args.get("to_id"))
        except runs.ExportError as exc:
            unprocessable(exc.message, exc.field)


@blp.route("/iati", tags=TAGS)
class IatiExport(MethodView):

    @require(Permission.VIEW_ODA_STATUS)
    @blp.response(200, IatiOverviewSchema)
    def get(self):
        """The last IATI publications (newest first, with their files and public URLs) and the
        validation report of the last one."""
        publications = iati_publication.recent_publications(get_session(), limit=50)
        return {"latest": publications[0] if publications else None, "publications": publications}

    @require(Permission.EXPORT_REPORTS)
    @blp.response(201, IatiPublicationWithReportSchema)
    @blp.errors(403, 409, 422)
    def post(self):
        """Publish now: build and validate both IATI files, publish them when the validation finds no error.

        409 when it finds errors: the publication and its report are kept (``GET`` shows them) and
        the public URLs keep serving the previous publication.
        """
        with writing() as session:
            publication = iati_publication.publish_iati(session, g.user.email, trigger="api")
        if not publication.published:
            conflict(publication.refusal, "validation")
        return publication.row
