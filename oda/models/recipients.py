"""DAC recipients and their place on the DAC List of ODA Recipients, per reporting year."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class Recipient(Base):
    """A DAC recipient code: a country, a regional code (289, 1029 …) or 998 "unspecified"."""

    __tablename__ = "oda_recipients"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    iso3: Mapped[str | None] = mapped_column(String(3))
    name_en: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str | None] = mapped_column(String(200))
    #: "country", "region" or "unspecified" (998)
    kind: Mapped[str] = mapped_column(String(12))
    region: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(10), default="active")
    source: Mapped[str] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reference_set_id: Mapped[int | None] = mapped_column(ForeignKey("oda_reference_sets.id"))


class RecipientEligibility(Base):
    """Whether a recipient is on the DAC List for the reporting years ``year_from``–``year_to``.

    The lists of 2018–2020, 2021–2023 and 2024–2025 differ; graduated countries get a
    row with ``on_list`` false from their graduation year (``year_to`` empty = onwards).
    Official files are complete lists for their years; the curated subset is not.
    """

    __tablename__ = "oda_recipient_eligibility"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_code: Mapped[str] = mapped_column(String(5), index=True)
    year_from: Mapped[int] = mapped_column(Integer)
    year_to: Mapped[int | None] = mapped_column(Integer)
    on_list: Mapped[bool] = mapped_column(Boolean)
    income_group: Mapped[str | None] = mapped_column(String(20))
    list_name: Mapped[str] = mapped_column(String(60))
    #: "official" or "curated"
    origin: Mapped[str] = mapped_column(String(10))
    #: V verified, S secondary source, U unverified (curated facts only)
    confidence: Mapped[str | None] = mapped_column(String(1))
    note: Mapped[str | None] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reference_set_id: Mapped[int | None] = mapped_column(ForeignKey("oda_reference_sets.id"))

    __table_args__ = (UniqueConstraint("recipient_code", "year_from", "origin"),)
