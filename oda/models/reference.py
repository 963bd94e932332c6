"""Reference sets and the OECD DAC/CRS code lists, as loaded from official files or
from the curated subset the project ships.

Every load that changes something is a ``ReferenceSet``: its id is the reference-data
version. Code rows are updated in place and remember the set that last changed them;
what changed is in the ``ReferenceDataLoaded`` event of that set.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.db import Base, UTCDateTime, utcnow


class ReferenceSet(Base):
    """One load of one list that changed something; ``id`` is the version number."""

    __tablename__ = "oda_reference_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_name: Mapped[str] = mapped_column(String(40), index=True)
    #: "official" (a file as published) or "curated" (the subset shipped with the project)
    origin: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    loaded_by: Mapped[str] = mapped_column(String(120))
    counts: Mapped[dict] = mapped_column(JSON, default=dict)


class CodeListMixin:
    """Columns every code list shares: the code, its names, category and validity."""

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(300))
    name_fr: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="active")
    activation_date: Mapped[date | None] = mapped_column(Date)
    withdrawal_date: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @declared_attr
    def reference_set_id(cls) -> Mapped[int | None]:  # noqa: N805 - declared_attr
        return mapped_column(ForeignKey("oda_reference_sets.id"))


class PurposeCode(CodeListMixin, Base):
    """5-digit CRS purpose codes; ``category`` is the 3-digit sector."""

    __tablename__ = "oda_purpose_codes"


class SectorCategory(CodeListMixin, Base):
    __tablename__ = "oda_sector_categories"


class AidType(CodeListMixin, Base):
    """Type of aid (A01 … H06); ``category`` is the letter (A … H)."""

    __tablename__ = "oda_aid_types"


class FlowType(CodeListMixin, Base):
    __tablename__ = "oda_flow_types"


class FinanceType(CodeListMixin, Base):
    __tablename__ = "oda_finance_types"


class Channel(CodeListMixin, Base):
    """Channel of delivery codes; ``category`` is the parent channel (e.g. 41000)."""

    __tablename__ = "oda_channels"

    acronym: Mapped[str | None] = mapped_column(String(60))


class BiMultiCode(CodeListMixin, Base):
    """Bi/multi (IATI: CollaborationType): 1 bilateral, 2 multilateral, …"""

    __tablename__ = "oda_bi_multi_codes"


class PolicyMarker(CodeListMixin, Base):
    """The 12 DAC policy markers; ``max_score`` is the top of the marker's scale."""

    __tablename__ = "oda_policy_markers"

    activity_field: Mapped[str | None] = mapped_column(String(40))
    max_score: Mapped[int | None] = mapped_column(SmallInteger)


class PolicySignificance(CodeListMixin, Base):
    """Scores of the marker scales: 0 not targeted … 2 principal; 3 (desertification), 4 (RMNCH)."""

    __tablename__ = "oda_policy_significance"

    applies_to: Mapped[str | None] = mapped_column(String(120))
    sort_order: Mapped[int | None] = mapped_column(Integer)
