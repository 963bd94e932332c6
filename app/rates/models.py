from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, Rate


class ExchangeRate(Base):
    """Annual average rate of a currency: units per USD (as the DAC/IMF publish) and per EUR."""

    __tablename__ = "exchange_rates"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    units_per_usd: Mapped[Decimal] = mapped_column("units_per_usd_e10", Rate())
    units_per_eur: Mapped[Decimal | None] = mapped_column("units_per_eur_e10", Rate())
    source: Mapped[str] = mapped_column(String(200))
    #: who set it (app.rates.services.RateOrigin): officer (the DAC's rate), imf, curated
    origin: Mapped[str] = mapped_column(String(20), server_default="officer", nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (UniqueConstraint("year", "currency"),)
