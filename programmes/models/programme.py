from __future__ import annotations

from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, Money


class Programme(Base):
    """A country programme, multilateral portfolio, grant scheme or other budget envelope."""

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    partner_country: Mapped[str | None] = mapped_column(String(5))
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    focus_sectors: Mapped[list] = mapped_column(JSON, default=list)
    policy_area: Mapped[str] = mapped_column(String(40))
    description: Mapped[str | None] = mapped_column(String(2000))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    budget_lines: Mapped[list["BudgetLine"]] = relationship(
        back_populates="programme", order_by="(BudgetLine.year, BudgetLine.sector)"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


class BudgetLine(Base):
    """Planned amount of a programme for one year (and optionally one sector)."""

    __tablename__ = "budget_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    #: a 3- or 5-digit DAC sector code, or "" for the programme as a whole
    sector: Mapped[str] = mapped_column(String(5), default="")
    planned_amount: Mapped[Decimal] = mapped_column("planned_amount_minor", Money())
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    programme: Mapped[Programme] = relationship(back_populates="budget_lines")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (UniqueConstraint("programme_id", "year", "sector"),)


class ProgrammeYearTotal(Base):
    """Projection kept by an event handler: planned, committed, disbursed per year (EUR).

    Rebuilt from the event store by ``flask events replay budget_totals``.
    """

    __tablename__ = "programme_year_totals"

    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    planned: Mapped[Decimal] = mapped_column("planned_minor", Money(), default=Decimal("0"))
    committed: Mapped[Decimal] = mapped_column("committed_minor", Money(), default=Decimal("0"))
    disbursed: Mapped[Decimal] = mapped_column("disbursed_minor", Money(), default=Decimal("0"))
