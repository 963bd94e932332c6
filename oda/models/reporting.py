"""Reporting years: the CRS deadline configured per year and when it was last exported."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime


class ReportingYear(Base):
    """Deadline for reporting the flows of ``year``, and the reminder/export bookkeeping."""

    __tablename__ = "oda_reporting_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    deadline: Mapped[date | None] = mapped_column(Date)
    remind_days: Mapped[int] = mapped_column(Integer, default=30)
    last_reminded_on: Mapped[date | None] = mapped_column(Date)
    #: when the last CRS export of the year was generated (from ExportGenerated events)
    last_export_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}
