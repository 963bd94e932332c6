"""Export runs, the files they produced, and the CRS identifiers handed out.

A run is queued (browser, API, annual job) or created already running (CLI); the
export job claims queued runs, updates ``progress`` as it writes, and stores the
file in ``exports_files`` with its SHA-256, so a submitted workbook can be proven
later and every draft stays listed and downloadable.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, utcnow


class RunStatus:
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    ALL = (QUEUED, RUNNING, DONE, FAILED)
    OPEN = (QUEUED, RUNNING)


class ExportKind:
    CRS = "crs"
    ODA_SUMMARY = "oda_summary"
    BUDGET_EXECUTION = "budget_execution"
    ALL = (CRS, ODA_SUMMARY, BUDGET_EXECUTION)


class ExportRun(Base):
    """One export: what was asked, by whom, how far it got, and the file's fingerprint."""

    __tablename__ = "exports_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    #: the reporting year (CRS) or the last year of a range (reports)
    year: Mapped[int | None] = mapped_column(Integer)
    #: further parameters: {"year_from", "year_to"} or {"programme_id"}
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    final: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default=RunStatus.QUEUED)
    #: 0–100, written by the job while it works; ``stage`` says what it is doing
    progress: Mapped[int] = mapped_column(Integer, default=0)
    stage: Mapped[str | None] = mapped_column(String(60))
    #: "browser", "api", "cli" or "schedule"
    trigger: Mapped[str] = mapped_column(String(10))
    requested_by: Mapped[str] = mapped_column(String(120))
    #: the requester's language ("en" or "nl"): the sheets for the officer are written in it (the
    #: CRS sheet, what the OECD reads, is the same in every language)
    language: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: last sign of life while running (a run silent for long was interrupted)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    file_name: Mapped[str | None] = mapped_column(String(120))
    sha256: Mapped[str | None] = mapped_column(String(64))
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    #: when the requester was told the file is ready (the page shows it once)
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_exports_runs_status_requested", "status", "requested_at"),
        Index("ix_exports_runs_kind_year", "kind", "year"),
    )

    @property
    def is_open(self) -> bool:
        return self.status in RunStatus.OPEN


class ExportFile(Base):
    """The bytes of a finished export, kept apart so listing runs never loads them."""

    __tablename__ = "exports_files"

    run_id: Mapped[int] = mapped_column(
        ForeignKey("exports_runs.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    content_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class CrsIdentifier(Base):
    """The CRS identification number of an activity, handed out once and never changed.

    10 digits: the year of the activity's original commitment, then a six-digit
    sequence within that year (``2019000001``).
    """

    __tablename__ = "exports_crs_identifiers"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="RESTRICT"), primary_key=True, autoincrement=False)
    crs_id: Mapped[str] = mapped_column(String(10), unique=True)
    commitment_year: Mapped[int] = mapped_column(Integer)
    #: the original commitment the number was derived from: the activity's commitment
    #: date, else its first booked commitment, else its first transaction (humanitarian aid)
    commitment_date: Mapped[date] = mapped_column(Date)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: the reporting year of the export that first needed it
    assigned_for_year: Mapped[int] = mapped_column(Integer)


class Submission(Base):
    """A final CRS workbook of a year, submitted: the year is locked until it is reopened.

    One row per final export; the year is submitted while its latest row is not reopened.
    ``revision`` counts the finals of the year before this one (0: the first submission).
    """

    __tablename__ = "exports_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[int] = mapped_column(ForeignKey("exports_runs.id", ondelete="RESTRICT"), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer, default=0)
    #: the reference-data version the year's figures were classified with when submitted
    reference_version: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_by: Mapped[str] = mapped_column(String(120))
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reopened_by: Mapped[str | None] = mapped_column(String(120))
    reopen_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_exports_submissions_year", "year", "id"),)

    @property
    def is_locked(self) -> bool:
        return self.reopened_at is None


class IatiKind:
    ACTIVITIES = "activities"
    ORGANISATION = "organisation"
    ALL = (ACTIVITIES, ORGANISATION)


class IatiPublication(Base):
    """One attempt to publish the IATI files: both files validated together, one report.

    ``published`` only when the validation found no error in either file; a refused
    attempt is kept with its report so the IATI tab shows what to fix, and the public
    URLs keep serving the last published files.
    """

    __tablename__ = "exports_iati_publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the reporting organisation's identifier the files name (the public URLs name it)
    organisation_ref: Mapped[str] = mapped_column(String(120))
    activity_count: Mapped[int] = mapped_column(Integer, default=0)
    transaction_count: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    warning_count: Mapped[int] = mapped_column(Integer, default=0)
    #: {"checked", "errors", "warnings", "truncated", "findings": [{severity, rule_id, message, identifier, path,
    #: link}]}: both files' findings, the first MAX_FINDINGS of them; ``message`` is Aidledger's own sentence as a
    #: message of ``app.messages`` ({"id", "params"}), the ruleset's or libxml2's as its text (and any sentence
    #: of a report kept before findings were messages)
    report: Mapped[dict] = mapped_column(JSON, default=dict)
    #: "schedule" (the monthly job), "browser" or "api"
    trigger: Mapped[str] = mapped_column(String(10))
    #: the user's e-mail address, or the scheduled job's id
    triggered_by: Mapped[str] = mapped_column(String(120))

    #: activities first; loaded with the publications in one more query
    files: Mapped[list[IatiFile]] = relationship(order_by="IatiFile.id", lazy="selectin")

    __table_args__ = (Index("ix_exports_iati_publications_public", "organisation_ref", "published", "id"),)


class IatiFile(Base):
    """One file of a publication (activities or organisation) and its fingerprint."""

    __tablename__ = "exports_iati_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("exports_iati_publications.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("exports_iati_contents.sha256", ondelete="RESTRICT"))
    size_bytes: Mapped[int] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("publication_id", "kind"),)


class IatiContent(Base):
    """The bytes of an IATI file, once per SHA-256: a month without changes stores nothing new.

    Kept in the database, not under instance/: the file, its row and its event commit
    together, the web workers that serve the public URL need not share a disk with the
    scheduler that writes it, and the database backup holds everything ever published.
    """

    __tablename__ = "exports_iati_contents"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
