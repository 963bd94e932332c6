from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, BigId, Money, UTCDateTime, utcnow


class Tranche(Base):
    """One instalment of a grant's payment schedule."""

    __tablename__ = "grants_tranches"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grants_applications.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    amount: Mapped[Decimal] = mapped_column("amount_minor", Money())
    condition: Mapped[str] = mapped_column(String(30), default="none")
    #: the ledger's document number expected for this payment (finance's booking)
    document_number: Mapped[str | None] = mapped_column(String(60), index=True)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    paid_amount: Mapped[Decimal] = mapped_column("paid_amount_minor", Money(), default=Decimal("0"))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (UniqueConstraint("application_id", "number"),)

    @property
    def unpaid_amount(self) -> Decimal:
        return self.amount - self.paid_amount


class Payment(Base):
    """A disbursement of a grant: booked here by hand or matched from the imported ledger."""

    __tablename__ = "grants_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grants_applications.id"), index=True)
    tranche_id: Mapped[int] = mapped_column(ForeignKey("grants_tranches.id"), index=True)
    transaction_id: Mapped[int] = mapped_column(BigId, ForeignKey("transactions.id"), unique=True)
    amount: Mapped[Decimal] = mapped_column("amount_minor", Money())
    paid_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(10))
    document_number: Mapped[str] = mapped_column(String(60))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    tranche: Mapped[Tranche] = relationship()


class LedgerMismatch(Base):
    """A ledger disbursement carrying a tranche's document number that could not be matched."""

    __tablename__ = "grants_ledger_mismatches"

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(BigId, ForeignKey("transactions.id"), unique=True)
    tranche_id: Mapped[int | None] = mapped_column(ForeignKey("grants_tranches.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("grants_applications.id"), index=True)
    reason: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
