"""Submitting a year's CRS: a final export submits the year and locks it; the ODA officer
reopens it with a reason; the next final is a revision of the one before.

The exports package owns the submissions (``exports_submissions``); every other writer
asks ``app.year_lock``, into which ``register`` puts ``year_locks`` at ``init_app``.
"""
from __future__ import annotations

from flask_babel import format_date, gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.roles import Permission
from app.db import utcnow
from app.errors import ValidationError
from app.events import publish
from app.year_lock import register_lock_provider
from exports.models import ExportRun, Submission
from oda.reference.services import reference_version

YEAR_SUBMITTED, YEAR_REOPENED = "YearSubmitted", "YearReopened"
MAX_REASON_CHARS = 1000
SHA_PREFIX = 12


def latest_submission(session: Session, year: int) -> Submission | None:
    """The year's last final export as a submission (reopened or not); None before the first."""
    return session.scalar(select(Submission).where(Submission.year == year).order_by(Submission.id.desc()).limit(1))


def submitted(session: Session, year: int) -> Submission | None:
    """The submission that locks ``year`` (with its export, SHA-256 and reference-data
    version), or None while the year is open (never submitted, or reopened)."""
    found = latest_submission(session, year)
    return found if found is not None and found.is_locked else None


def submissions(session: Session, year: int | None = None) -> list[Submission]:
    """Every submission, newest first (of ``year`` when given)."""
    stmt = select(Submission).order_by(Submission.id.desc())
    if year is not None:
        stmt = stmt.where(Submission.year == year)
    return list(session.scalars(stmt))


def lock_message(found: Submission) -> str:
    """The refusal that names the submission (translated in the reader's language)."""
    return gettext("%(year)s is submitted: final CRS export %(run)s of %(date)s (SHA-256 %(sha)s…). Changes "
                   "that alter its CRS figures are refused until the ODA officer reopens the year.",
                   year=found.year, run=found.run_id, date=format_date(found.submitted_at.date()),
                   sha=found.sha256[:SHA_PREFIX])


def year_locks(session: Session, years: frozenset) -> dict[int, str]:
    """The lock provider: which of ``years`` are submitted, each with its refusal."""
    last = (select(Submission.year, func.max(Submission.id).label("id"))
            .where(Submission.year.in_(sorted(years))).group_by(Submission.year).subquery())
    found = session.scalars(select(Submission).join(last, Submission.id == last.c.id)
                            .where(Submission.reopened_at.is_(None)))
    return {s.year: lock_message(s) for s in found}


def register() -> None:
    register_lock_provider(year_locks)


def record_submission(session: Session, run: ExportRun) -> Submission:
    """A final CRS export submits its year (called in the transaction that stores the file
    and publishes ``ExportGenerated``): ``YearSubmitted`` names the export and its hash."""
    revision = session.scalar(select(func.count()).select_from(Submission).where(Submission.year == run.year))
    found = Submission(year=run.year, run_id=run.id, sha256=run.sha256, revision=revision,
                       reference_version=reference_version(session), submitted_at=utcnow(),
                       submitted_by=run.requested_by[:120])
    session.add(found)
    session.flush()
    publish(session, YEAR_SUBMITTED, "ReportingYear", run.year, {
        "year": run.year, "export_id": run.id, "sha256": run.sha256, "revision": revision,
        "reference_version": found.reference_version, "submitted_by": found.submitted_by})
    return found


def reopen_year(session: Session, year: int, reason: str, user) -> Submission:
    """The ODA officer reopens a submitted year (``YearReopened`` with the reason): changes
    are allowed again and the next final export is a revision."""
    if user is None or not user.can(Permission.REVIEW_ODA):
        raise ValidationError(gettext("Only the ODA officer may reopen a submitted year."), "user")
    text = (reason or "").strip()
    if not text:
        raise ValidationError(gettext("Give the reason for reopening the year."), "reason")
    if len(text) > MAX_REASON_CHARS:
        raise ValidationError(gettext("The reason is longer than %(n)s characters.", n=MAX_REASON_CHARS), "reason")
    found = submitted(session, year)
    if found is None:
        raise ValidationError(gettext("%(year)s is not submitted: there is nothing to reopen.", year=year), "year")
    found.reopened_at, found.reopened_by, found.reopen_reason = utcnow(), user.email[:120], text
    session.flush()
    publish(session, YEAR_REOPENED, "ReportingYear", year, {
        "year": year, "export_id": found.run_id, "sha256": found.sha256, "reason": text,
        "reopened_by": found.reopened_by})
    return found


def previous_final(session: Session, year: int) -> ExportRun | None:
    """The last final export of ``year``: the one a new final revises."""
    found = latest_submission(session, year)
    return None if found is None else session.get(ExportRun, found.run_id)
