from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class Report(Base):
    """An interim or final report a grantee owes, with its deadline."""

    __tablename__ = "grants_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grants_applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    due_date: Mapped[date] = mapped_column(Date, index=True)
    received_on: Mapped[date | None] = mapped_column(Date)
    received_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    #: set by the reminders job the first day the report is late
    overdue_since: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    def is_overdue(self, today: date) -> bool:
        return self.received_on is None and self.due_date < today


class Reminder(Base):
    """A reminder shown to the scheme's managers; ``key`` makes each one unique."""

    __tablename__ = "grants_reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    application_id: Mapped[int] = mapped_column(ForeignKey("grants_applications.id"), index=True)
    tranche_id: Mapped[int | None] = mapped_column(ForeignKey("grants_tranches.id"))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("grants_reports.id"))
    due_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
