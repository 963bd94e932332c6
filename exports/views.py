"""Report pages (tables with charts) and the export queue with progress and "ready" notices."""
from __future__ import annotations

from flask import (Blueprint, Response, abort, current_app, flash, g, jsonify, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _

from app.auth.guards import require, visible_programme_ids
from app.auth.roles import Permission
from app.db import get_session, unit_of_work
from app.web.years import chosen_year
from exports.models import ExportKind, ExportRun, RunStatus
from exports.reports.budget_execution import budget_execution
from exports.reports.workbooks import country_name
from exports.reports.charts import stacked_chart
from exports.reports.oda_summary import (CLIMATE_ROWS, RioCoefficients, climate_finance, climate_label,
                                         oda_by_policy_area, policy_areas)
from exports.reports.workbooks import area_label
from exports.services import access, runs
from exports.services.crs import FinalRefused
from programmes.services.queries import default_year

bp = Blueprint("exports", __name__, url_prefix="/exports", template_folder="templates", static_folder="static")
DEFAULT_SPAN = 5


def _year_arg(name: str, default: int | None) -> int | None:
    value = request.args.get(name, "").strip()
    if not value:
        return default
    try:
        return runs.check_year(value, name)
    except runs.ExportError:
        abort(400, description=_("Choose a year between %(a)s and %(b)s.", a=runs.FIRST_YEAR, b=runs.LAST_YEAR))


def _year_range(default_span: int = DEFAULT_SPAN, last: int | None = None) -> tuple[int, int]:
    last = last or _year_arg("to", runs.today().year - 1)
    first = _year_arg("from", last - default_span + 1)
    try:
        return runs.check_range(first, last)
    except runs.ExportError as exc:
        abort(400, description=exc.message)


def run_state_text(run: ExportRun) -> str:
    """What a run is doing, in the reader's language: "in de wachtrij · 0 %", "bezig · Samenvatting · 60 %",
    "klaar", "mislukt: …" (statuses and stages are English words listed in dynamic_messages.py)."""
    if run.status == RunStatus.DONE:
        return _("ready")
    if run.status == RunStatus.FAILED:
        return _("failed: %(error)s", error=run.error or "")
    parts = [_(run.status), *([_(run.stage)] if run.stage else []), f"{run.progress} %"]
    return " · ".join(parts)


@bp.app_template_global("run_state_text")
def _run_state_text(run: ExportRun) -> str:
    return run_state_text(run)


@bp.app_context_processor
def _ready_notices():
    """Exports of the signed-in user that finished since they last looked (the "ready" notice)."""
    user = g.get("user")
    if user is None or not request.blueprint or not request.blueprint.startswith("exports"):
        return {}
    return {"ready_exports": runs.unseen_ready(get_session(), user.email)}


@bp.route("/reports")
@require(Permission.EXPORT_REPORTS)
def reports():
    first, last = _year_range()
    session = get_session()
    years = oda_by_policy_area(session, first, last)
    coefficients = RioCoefficients.from_config(current_app.config)
    climate = climate_finance(session, first, last, coefficients)
    chart = stacked_chart([str(y.year) for y in years],
                          [("development", [y.development for y in years]), ("other", [y.other for y in years])],
                          [y.development_share for y in years])
    climate_chart = stacked_chart([str(c.year) for c in climate], [
        ("principal", [c.get("total", "principal_counted") for c in climate]),
        ("significant", [c.get("total", "significant_counted") for c in climate])])
    return render_template("exports/reports.html", first=first, last=last, years=years, chart=chart,
                           areas=policy_areas(years)[1:], area_label=area_label, climate=climate,
                           climate_chart=climate_chart, climate_rows=CLIMATE_ROWS, climate_label=climate_label,
                           coefficients=coefficients,
                           drafts=runs.crs_drafts(session)[:10], default_crs_year=last)


@bp.route("/budget")
@require(Permission.VIEW_PORTFOLIO)
def budget():
    visible = visible_programme_ids()
    last = chosen_year(_year_arg("to", None), lambda: default_year(get_session(), visible, runs.today()))
    first, last = _year_range(default_span=1, last=last)
    report = budget_execution(get_session(), first, last, visible)
    return render_template("exports/budget.html", report=report, first=first, last=last, country_name=country_name)


@bp.route("/")
@require(Permission.VIEW_PORTFOLIO)
def queue():
    session = get_session()
    visible = runs.runs_select().where(access.visible_runs(g.user)).limit(50)
    items = list(session.scalars(visible))
    return render_template("exports/queue.html", runs=items, any_open=any(r.is_open for r in items),
                           may_export_oda=access.may_request(g.user, ExportKind.CRS),
                           may_see_iati=g.user.can(Permission.VIEW_ODA_STATUS))


@bp.route("/", methods=["POST"])
@require(Permission.VIEW_PORTFOLIO)
def request_export():
    """Queue an export from a form (kind, year or year_from/year_to, final)."""
    form = request.form
    kind = form.get("kind", "")
    try:
        numbers = {name: runs.check_year(form[name], name) for name in ("year", "year_from", "year_to")
                   if form.get(name, "").strip()}
        with unit_of_work() as session:
            run, created = access.request_export(session, g.user, kind, trigger="browser",
                                                 final=form.get("final") == "1", **numbers)
            run_id = run.id
    except access.NotAllowed:
        abort(403)
    except FinalRefused as exc:
        flash(_("No final version yet: %(reasons)s.", reasons="; ".join(exc.reasons)), "error")
        return redirect(url_for("exports.queue"))
    except runs.ExportError as exc:
        flash(exc.message, "error")
        return redirect(url_for("exports.queue"))
    flash(_("Export queued: you can follow its progress below.") if created
          else _("This export is already being made."), "info")
    return redirect(url_for("exports.queue", _anchor=f"run-{run_id}"))


def _visible_run_or_404(run_id: int) -> ExportRun:
    run = runs.get_run(get_session(), run_id)
    if run is None or not access.may_see(g.user, run):
        abort(404)
    return run


@bp.route("/runs/<id:run_id>/status")
@require(Permission.VIEW_PORTFOLIO)
def run_status(run_id: int):
    """Progress for the queue page's polling script."""
    run = _visible_run_or_404(run_id)
    return jsonify({"id": run.id, "status": run.status, "progress": run.progress, "stage": run.stage,
                    "text": run_state_text(run), "sha256": run.sha256, "error": run.error,
                    "download_url": url_for("exports.download", run_id=run.id) if run.status == RunStatus.DONE
                    else None})


@bp.route("/runs/<id:run_id>/download")
@require(Permission.VIEW_PORTFOLIO)
def download(run_id: int):
    run = _visible_run_or_404(run_id)
    if run.status != RunStatus.DONE:
        abort(409, description=_("This export is not ready."))
    with unit_of_work() as session:
        run = session.get(ExportRun, run_id)
        content = runs.file_content(session, run)
        if run.requested_by == g.user.email:
            runs.mark_seen(session, run)
    return Response(content, mimetype=runs.XLSX, headers={
        "Content-Disposition": f'attachment; filename="{run.file_name}"', "X-Content-SHA256": run.sha256})


@bp.route("/runs/<id:run_id>/dismiss", methods=["POST"])
@require(Permission.VIEW_PORTFOLIO)
def dismiss(run_id: int):
    """Hide the "ready" notice of one of your exports."""
    run = _visible_run_or_404(run_id)
    if run.requested_by == g.user.email:
        with unit_of_work() as session:
            runs.mark_seen(session, session.get(ExportRun, run_id))
    return redirect(url_for("exports.queue"))
