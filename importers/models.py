"""Import batches and the result of every row of the uploaded file."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, BigId, UTCDateTime, utcnow
from app.messages import Said, english

#: a batch whose rows were written to the domain tables
WRITTEN_STATUSES = ("imported", "partially_imported", "up_to_date")
#: a batch still waiting for, or inside, the background job
PENDING_STATUSES = ("queued", "running")


class ImportBatch(Base):
    """One uploaded file of one kind: who sent it, what it held, what became of it."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    #: 64 bits: a file of 2 GiB or more is refused, and recorded as refused, on PostgreSQL too
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    file_format: Mapped[str | None] = mapped_column(String(8))
    #: all_or_nothing (default) or accept_valid_rows
    mode: Mapped[str] = mapped_column(String(20), default="all_or_nothing")
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), index=True)
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    progress_rows: Mapped[int] = mapped_column(Integer, default=0)
    imported_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    warning_count: Mapped[int] = mapped_column(Integer, default=0)
    #: why a file was refused or the import stopped (in English), or a one-line summary of the outcome
    message: Mapped[str | None] = mapped_column(Text)
    #: the same as a message (``app.messages``), said in each reader's language (``say``); none for
    #: a summary, worded again from the counts, and for batches recorded before (their text is shown)
    message_data: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    #: stable code of a refusal (zip_bomb, macros, encrypted, corrupt …) or of a failure
    error_code: Mapped[str | None] = mapped_column(String(40))
    #: the header labels of the file as written, for the error-row workbook
    headers: Mapped[list | None] = mapped_column(JSON)
    #: header label -> field, and the columns that were ignored
    columns: Mapped[dict | None] = mapped_column(JSON)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    #: what the uploader chose for this kind, e.g. an IATI file's target programme ({"programme": "MOZ-CSP4"})
    options: Mapped[dict | None] = mapped_column(JSON)
    #: what the file held that the kind does not import, counted ({"transactions": 1711}); the summary says so
    not_imported: Mapped[dict | None] = mapped_column(JSON)

    file: Mapped["ImportFile | None"] = relationship(cascade="all, delete-orphan", uselist=False,
                                                     passive_deletes=True)

    @property
    def written(self) -> bool:
        return self.status in WRITTEN_STATUSES

    @property
    def pending(self) -> bool:
        return self.status in PENDING_STATUSES

    def say(self, message: str) -> None:
        """Set the batch's message: a said one (``app.messages.said``) as its English sentence and
        as the message each reader sees in their language (``queries.batch_message``); text as it is."""
        self.message = english(message)
        self.message_data = message.message if isinstance(message, Said) else None

    def counts(self) -> dict:
        return {"rows": self.total_rows, "imported": self.imported_count, "updated": self.updated_count,
                "unchanged": self.unchanged_count, "errors": self.error_count, "warnings": self.warning_count}


class ImportFile(Base):
    """The bytes of an upload waiting for the background job (removed once processed).

    Kept in the database, not on a disk, so a scheduler on another machine sees it.
    """

    __tablename__ = "import_files"

    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id", ondelete="CASCADE"), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class ImportRow(Base):
    """What happened to one row of the file: outcome, the worst severity, where and why."""

    __tablename__ = "import_rows"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id", ondelete="CASCADE"))
    #: the row number as the spreadsheet shows it (1 = first line of the sheet)
    row_number: Mapped[int] = mapped_column(Integer)
    #: imported, updated, unchanged or error
    outcome: Mapped[str] = mapped_column(String(12))
    #: error, warning or None
    severity: Mapped[str | None] = mapped_column(String(8))
    #: header label of the first finding's column
    column: Mapped[str | None] = mapped_column(String(120))
    reason: Mapped[str | None] = mapped_column(Text)
    #: every finding when there are several: [{severity, column, reason}]
    findings: Mapped[list | None] = mapped_column(JSON(none_as_null=True))
    #: the row's natural key: document number, activity code, programme code …
    key: Mapped[str | None] = mapped_column(String(120))
    entity_id: Mapped[str | None] = mapped_column(String(40))
    #: the cells as read, kept for error rows so they can be returned for fixing
    raw: Mapped[list | None] = mapped_column(JSON(none_as_null=True))

    __table_args__ = (
        Index("ix_import_rows_batch_row", "batch_id", "row_number"),
        Index("ix_import_rows_batch_outcome", "batch_id", "outcome"),
    )
