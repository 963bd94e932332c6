"""The Job runs page: each scheduled job with its trigger, last run, outcome and next run,
the scheduler's heartbeat, and every recorded run (filtered, paged)."""
from __future__ import annotations

from flask import Blueprint, g, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.guards import require
from app.auth.roles import Permission
from app.db import get_session, utcnow
from app.scheduler.lease import current_lease
from app.scheduler.models import JobRun
from app.scheduler.overview import idle_days, job_overview
from app.scheduler.registry import load_jobs
from app.web.pagination import page_args, paginate
from app.web.reads import render_after_reads

bp = Blueprint("scheduler_pages", __name__, template_folder="templates")

OUTCOMES = {"ok": _l("Succeeded"), "failed": _l("Failed"), "running": _l("Running")}
RUNS_PER_PAGE = 25
#: the days of "nothing to do" counts shown per job
IDLE_DAYS = 14


@bp.route("/jobs")
@require(Permission.VIEW_JOBS)
def job_runs():
    """The jobs that concern the user (administrators: all), with their schedule in words."""
    session = get_session()
    specs = {job_id: spec for job_id, spec in load_jobs().items() if spec.concerns_user(g.user)}
    registered = {job_id: spec.describe_trigger() for job_id, spec in specs.items()}
    jobs = [job for job in job_overview(session, registered) if job.job_id in specs]
    job_id = request.args.get("job") if request.args.get("job") in specs else None
    outcome = request.args.get("outcome") if request.args.get("outcome") in OUTCOMES else None
    shown = [job_id] if job_id else list(specs)
    page, per_page = page_args(request.args, RUNS_PER_PAGE, 100)
    runs = paginate(session, _runs(shown, outcome), page, per_page, count=False)
    lease = current_lease(session)
    return render_after_reads(
        "scheduler/job_runs.html", jobs=jobs, specs=specs, runs=runs, job_id=job_id, outcome=outcome,
        outcomes=OUTCOMES, job_choices=[(j.job_id, j.job_id) for j in jobs], lease=lease,
        idle=idle_days(session, shown, IDLE_DAYS * max(len(shown), 1)) if outcome in (None, "ok") else [],
        scheduler_alive=lease is not None and lease.expires_at > utcnow(),
        params={k: v for k, v in (("job", job_id), ("outcome", outcome)) if v})


def _runs(job_ids: list[str], outcome: str | None):
    stmt = select(JobRun).where(JobRun.job_id.in_(job_ids)).order_by(JobRun.id.desc())
    if outcome:
        stmt = stmt.where(JobRun.outcome == outcome)
    return stmt
