from __future__ import annotations

from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, Money


class Scheme(Base):
    """A grant scheme and its configuration: workflow rules, CRS defaults, criteria, scales."""

    __tablename__ = "grants_schemes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    description: Mapped[str | None] = mapped_column(Text)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: CRS attributes given to the activity of every grant ({field: code})
    crs_defaults: Mapped[dict] = mapped_column(JSON, default=dict)
    #: [{"code", "label", "max_score"}] scored in each assessment
    criteria: Mapped[list] = mapped_column(JSON, default=list)
    #: [{"code", "label"}] answered yes/no in each assessment
    checklist: Mapped[list] = mapped_column(JSON, default=list)
    four_eyes: Mapped[bool] = mapped_column(Boolean, default=True)
    requires_assessment: Mapped[bool] = mapped_column(Boolean, default=True)
    final_report_required: Mapped[bool] = mapped_column(Boolean, default=True)
    final_report_days: Mapped[int] = mapped_column(Integer, default=60)
    reminder_days: Mapped[int] = mapped_column(Integer, default=14)
    #: internship-style schemes: allowed period in months
    min_months: Mapped[int | None] = mapped_column(Integer)
    max_months: Mapped[int | None] = mapped_column(Integer)
    travel_lump_sum_europe: Mapped[Decimal | None] = mapped_column("travel_europe_minor", Money())
    travel_lump_sum_outside_europe: Mapped[Decimal | None] = mapped_column("travel_outside_europe_minor", Money())
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    allowance_rates: Mapped[list["AllowanceRate"]] = relationship(
        back_populates="scheme", order_by="AllowanceRate.destination")

    __mapper_args__ = {"version_id_col": version}

    @property
    def uses_people(self) -> bool:
        """Applicants are people (interns), whose data are restricted and erasable."""
        return self.kind == "internships"


class AllowanceRate(Base):
    """Monthly living allowance for one destination of an internship-style scheme."""

    __tablename__ = "grants_allowance_rates"

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("grants_schemes.id"), index=True)
    destination: Mapped[str] = mapped_column(String(80))
    in_europe: Mapped[bool] = mapped_column(Boolean)
    monthly_allowance: Mapped[Decimal] = mapped_column("monthly_allowance_minor", Money())
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    scheme: Mapped[Scheme] = relationship(back_populates="allowance_rates")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (UniqueConstraint("scheme_id", "destination"),)
