"""Export runs: queueing, claiming by the job, progress, the stored file, listing drafts."""
from __future__ import annotations

import hashlib
from datetime import date, timedelta

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from app.db import utcnow
from app.errors import ValidationError
from app.web import LANGUAGES
from exports.models import ExportFile, ExportKind, ExportRun, RunStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_YEAR, LAST_YEAR = 1990, 2100
MAX_RANGE_YEARS = 30
TRIGGERS = ("browser", "api", "cli", "schedule")
MAX_ERROR_CHARS = 1000


class ExportError(ValidationError):
    """An export cannot be made as asked (bad parameters, refused final)."""


def check_year(year, field: str = "year") -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise ExportError(f"not a year: {year!r}", field) from None
    if isinstance(year, bool) or not FIRST_YEAR <= value <= LAST_YEAR:
        raise ExportError(f"the year must be between {FIRST_YEAR} and {LAST_YEAR}", field)
    return value


def check_range(year_from, year_to) -> tuple[int, int]:
    first, last = check_year(year_from, "year_from"), check_year(year_to, "year_to")
    if last < first:
        raise ExportError("the last year is before the first", "year_to")
    if last - first + 1 > MAX_RANGE_YEARS:
        raise ExportError(f"at most {MAX_RANGE_YEARS} years at a time", "year_to")
    return first, last


def normalised_params(kind: str, year: int | None, params: dict | None, final: bool) -> tuple[int | None, dict]:
    """(year, params) checked for the kind of export; raises ExportError."""
    params = dict(params or {})
    if kind not in ExportKind.ALL:
        raise ExportError(f"unknown export {kind!r}; choose one of {', '.join(ExportKind.ALL)}", "kind")
    if final and kind != ExportKind.CRS:
        raise ExportError("only the CRS workbook has a final version", "final")
    if kind == ExportKind.CRS:
        return check_year(year), {}
    first, last = check_range(params.get("year_from", year), params.get("year_to", year))
    clean = {"year_from": first, "year_to": last}
    if kind == ExportKind.BUDGET_EXECUTION:
        ids = params.get("programme_ids")
        clean["programme_ids"] = None if ids is None else sorted({int(i) for i in ids})
    return last, clean


def file_name(run: ExportRun) -> str:
    if run.kind == ExportKind.CRS:
        return f"crs-{run.year}-{'final' if run.final else 'draft'}-{run.id}.xlsx"
    p = run.params or {}
    span = f"{p.get('year_from')}-{p.get('year_to')}"
    return f"{run.kind.replace('_', '-')}-{span}-{run.id}.xlsx"


def new_run(session: Session, kind: str, year: int | None, *, requested_by: str, trigger: str,
            final: bool = False, params: dict | None = None, status: str = RunStatus.QUEUED,
            language: str = "en") -> ExportRun:
    """A run asked for by ``requested_by`` (``trigger``: how); ``language``: theirs, the language
    of the sheets written for the officer."""
    if trigger not in TRIGGERS:
        raise ExportError(f"unknown trigger {trigger!r}", "trigger")
    if language not in LANGUAGES:
        raise ExportError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}", "language")
    year, params = normalised_params(kind, year, params, final)
    run = ExportRun(kind=kind, year=year, params=params, final=bool(final), status=status, progress=0,
                    trigger=trigger, requested_by=requested_by[:120], language=language, requested_at=utcnow(),
                    counts={},
                    started_at=utcnow() if status == RunStatus.RUNNING else None,
                    updated_at=utcnow() if status == RunStatus.RUNNING else None)
    session.add(run)
    session.flush()
    run.file_name = file_name(run)
    return run


def open_run_like(session: Session, kind: str, year: int | None, final: bool, params: dict,
                  requested_by: str, language: str = "en") -> ExportRun | None:
    """The same export, asked by the same person in the same language, still queued or running
    (no duplicate work)."""
    candidates = session.scalars(select(ExportRun).where(
        ExportRun.kind == kind, ExportRun.year == year, ExportRun.final == bool(final),
        ExportRun.requested_by == requested_by, ExportRun.language == language,
        ExportRun.status.in_(RunStatus.OPEN)))
    return next((run for run in candidates if (run.params or {}) == params), None)


def claim_next(session: Session) -> ExportRun | None:
    """Take the oldest queued run and mark it running, so no other worker takes it.

    The UPDATE only succeeds while the row is still queued: a second worker that
    read the same row updates nothing and tries the next one.
    """
    ids = session.scalars(select(ExportRun.id).where(ExportRun.status == RunStatus.QUEUED)
                          .order_by(ExportRun.requested_at, ExportRun.id).limit(5)).all()
    for run_id in ids:
        result = session.execute(
            update(ExportRun).where(and_(ExportRun.id == run_id, ExportRun.status == RunStatus.QUEUED))
            .values(status=RunStatus.RUNNING, started_at=utcnow(), updated_at=utcnow(), progress=0,
                    stage="starting")
            .execution_options(synchronize_session=False))
        if result.rowcount == 1:
            return session.get(ExportRun, run_id, populate_existing=True)
    return None


def set_progress(session: Session, run_id: int, fraction: float, stage: str) -> None:
    percent = max(0, min(99, int(fraction * 100)))
    session.execute(update(ExportRun).where(ExportRun.id == run_id, ExportRun.status == RunStatus.RUNNING)
                    .values(progress=percent, stage=stage[:60], updated_at=utcnow())
                    .execution_options(synchronize_session=False))


def store_file(session: Session, run: ExportRun, content: bytes, counts: dict) -> ExportRun:
    """Keep the file with its SHA-256 and mark the run done."""
    run.sha256 = hashlib.sha256(content).hexdigest()
    run.size_bytes = len(content)
    run.counts = dict(counts)
    run.status, run.progress, run.stage, run.finished_at = RunStatus.DONE, 100, "ready", utcnow()
    session.add(ExportFile(run_id=run.id, content_type=XLSX, content=content))
    session.flush()
    return run


def mark_failed(session: Session, run_id: int, error: str) -> None:
    session.execute(update(ExportRun).where(ExportRun.id == run_id).values(
        status=RunStatus.FAILED, finished_at=utcnow(), error=error[:MAX_ERROR_CHARS], stage="failed")
        .execution_options(synchronize_session=False))


def fail_abandoned(session: Session, minutes: int) -> int:
    """Runs that stopped giving signs of life (the process died) are marked failed."""
    limit = utcnow() - timedelta(minutes=minutes)
    result = session.execute(update(ExportRun).where(
        ExportRun.status == RunStatus.RUNNING, func.coalesce(ExportRun.updated_at, ExportRun.started_at) < limit)
        .values(status=RunStatus.FAILED, finished_at=utcnow(), stage="failed",
                error=f"interrupted: no progress for {minutes} minutes (the export process stopped)")
        .execution_options(synchronize_session=False))
    return result.rowcount or 0


def get_run(session: Session, run_id: int) -> ExportRun | None:
    return session.get(ExportRun, run_id)


def file_content(session: Session, run: ExportRun) -> bytes | None:
    stored = session.get(ExportFile, run.id)
    return None if stored is None else stored.content


def mark_seen(session: Session, run: ExportRun) -> None:
    if run.seen_at is None and run.status in (RunStatus.DONE, RunStatus.FAILED):
        run.seen_at = utcnow()
        session.flush()


def runs_select(kind: str | None = None, year: int | None = None, final: bool | None = None,
                status: str | None = None, requested_by: str | None = None):
    stmt = select(ExportRun).order_by(ExportRun.requested_at.desc(), ExportRun.id.desc())
    if kind:
        stmt = stmt.where(ExportRun.kind == kind)
    if year is not None:
        stmt = stmt.where(ExportRun.year == year)
    if final is not None:
        stmt = stmt.where(ExportRun.final == final)
    if status:
        stmt = stmt.where(ExportRun.status == status)
    if requested_by:
        stmt = stmt.where(ExportRun.requested_by == requested_by)
    return stmt


def list_runs(session: Session, limit: int = 50, **filters) -> list[ExportRun]:
    return list(session.scalars(runs_select(**filters).limit(limit)))


def crs_drafts(session: Session, year: int | None = None) -> list[ExportRun]:
    """Every CRS draft made (kept, with its SHA-256), newest first."""
    return list_runs(session, limit=500, kind=ExportKind.CRS, year=year, final=False, status=RunStatus.DONE)


def unseen_ready(session: Session, requested_by: str) -> list[ExportRun]:
    """The requester's finished exports not yet shown to them: the "ready" notification."""
    return list(session.scalars(select(ExportRun).where(
        ExportRun.requested_by == requested_by, ExportRun.status.in_((RunStatus.DONE, RunStatus.FAILED)),
        ExportRun.seen_at.is_(None)).order_by(ExportRun.finished_at.desc()).limit(10)))


def scheduled_draft_for(session: Session, year: int) -> ExportRun | None:
    """The annual job's draft for ``year`` if it made (or is making) one already."""
    return session.scalar(select(ExportRun).where(
        ExportRun.kind == ExportKind.CRS, ExportRun.year == year, ExportRun.trigger == "schedule",
        ExportRun.status != RunStatus.FAILED).limit(1))


def today() -> date:
    return utcnow().date()
