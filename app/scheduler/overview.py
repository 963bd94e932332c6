"""Read side of the scheduler: each job's trigger, last run and next run."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.scheduler.models import JobIdleDay, JobRun, ScheduledJob


@dataclass
class JobOverview:
    job_id: str
    trigger: str
    next_run_at: datetime | None
    last_run: JobRun | None
    #: the last run that found nothing to do (kept as a count, not as a run), when later than ``last_run``
    last_idle_at: datetime | None = None


def job_overview(session: Session, registered: dict[str, str] | None = None) -> list[JobOverview]:
    """Jobs the scheduler process reported (``scheduled_jobs``), plus ``registered``
    ``{job_id: trigger}`` known to this process but not scheduled yet."""
    scheduled = {row.job_id: row for row in session.scalars(select(ScheduledJob))}
    triggers = dict(registered or {})
    triggers.update({job_id: row.trigger for job_id, row in scheduled.items()})
    last_runs = latest_runs(session, list(triggers))
    last_idle = latest_idle(session, list(triggers))
    return [
        JobOverview(job_id, trigger, scheduled[job_id].next_run_at if job_id in scheduled else None,
                    last_runs.get(job_id), _later_idle(last_idle.get(job_id), last_runs.get(job_id)))
        for job_id, trigger in sorted(triggers.items())
    ]


def _later_idle(idle_at: datetime | None, run: JobRun | None) -> datetime | None:
    return idle_at if idle_at is not None and (run is None or idle_at > run.started_at) else None


def latest_idle(session: Session, job_ids: list[str]) -> dict[str, datetime]:
    if not job_ids:
        return {}
    return dict(session.execute(select(JobIdleDay.job_id, func.max(JobIdleDay.last_at))
                                .where(JobIdleDay.job_id.in_(job_ids)).group_by(JobIdleDay.job_id)).all())


def idle_days(session: Session, job_ids: list[str], limit: int) -> list[JobIdleDay]:
    """The counts of runs that found nothing to do, one line per job and day, newest first."""
    return list(session.scalars(select(JobIdleDay).where(JobIdleDay.job_id.in_(job_ids))
                                .order_by(JobIdleDay.day.desc(), JobIdleDay.job_id).limit(limit)))


def latest_runs(session: Session, job_ids: list[str]) -> dict[str, JobRun]:
    if not job_ids:
        return {}
    newest = (
        select(func.max(JobRun.id)).where(JobRun.job_id.in_(job_ids)).group_by(JobRun.job_id)
    ).scalar_subquery()
    return {run.job_id: run for run in session.scalars(select(JobRun).where(JobRun.id.in_(newest)))}
