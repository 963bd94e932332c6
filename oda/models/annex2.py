"""Annex 2 of the DAC Directives: ODA-eligible international organisations and the
share of a core contribution to each that counts as ODA, per reporting year."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, Rate, UTCDateTime, utcnow


class Annex2Coefficient(Base):
    """The ODA coefficient of core contributions to one organisation (channel) in one year."""

    __tablename__ = "oda_annex2_coefficients"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_code: Mapped[str] = mapped_column(String(5), index=True)
    year: Mapped[int] = mapped_column(Integer)
    #: share as a fraction (0.6 = 60 %); empty when the DAC lists it as "not assessed"
    coefficient: Mapped[Decimal | None] = mapped_column("coefficient_e10", Rate())
    #: how core contributions are reported: B02 (multilateral) or B01 (NGOs, PPPs, networks)
    core_aid_type: Mapped[str | None] = mapped_column(String(4))
    acronym: Mapped[str | None] = mapped_column(String(60))
    name_en: Mapped[str] = mapped_column(String(300))
    origin: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reference_set_id: Mapped[int | None] = mapped_column(ForeignKey("oda_reference_sets.id"))

    __table_args__ = (UniqueConstraint("channel_code", "year", "origin"),)
