from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, Money


class ActivityYearTotal(Base):
    """Projection kept by the ``activity_totals`` event handler: what an activity
    committed and disbursed (net of refunds) per year in EUR, and how many of its
    transactions had no EUR value because the year's exchange rate was missing.

    The programme page stacks its chart and sorts its activities by these figures;
    the portfolio's missing-rate alert reads ``unconverted``. Rebuilt from the event
    store by ``flask events replay activity_totals``.
    """

    __tablename__ = "activity_year_totals"

    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    committed: Mapped[Decimal] = mapped_column("committed_minor", Money(), default=Decimal("0"))
    disbursed: Mapped[Decimal] = mapped_column("disbursed_minor", Money(), default=Decimal("0"))
    unconverted: Mapped[int] = mapped_column(Integer, default=0)

    #: the few rows with transactions lacking an EUR value, found without reading the others
    __table_args__ = (Index("ix_activity_year_totals_unconverted", "activity_id",
                            sqlite_where=text("unconverted > 0"), postgresql_where=text("unconverted > 0")),)
