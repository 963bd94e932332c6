from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, Money, UTCDateTime, utcnow


class Assessment(Base):
    """One assessor's checklist answers and scores on an application."""

    __tablename__ = "grants_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grants_applications.id"), index=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    checklist: Mapped[dict] = mapped_column(JSON, default=dict)
    scores: Mapped[dict] = mapped_column(JSON, default=dict)
    total_score: Mapped[int] = mapped_column(Integer, default=0)
    max_score: Mapped[int] = mapped_column(Integer, default=0)
    recommendation: Mapped[str] = mapped_column(String(10))
    recommended_amount: Mapped[Decimal | None] = mapped_column("recommended_amount_minor", Money())
    main_objective: Mapped[str | None] = mapped_column(String(30))
    comment: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Decision(Base):
    """Approval or rejection, with who decided and any budget override."""

    __tablename__ = "grants_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grants_applications.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(10))
    amount: Mapped[Decimal | None] = mapped_column("amount_minor", Money())
    reason: Mapped[str | None] = mapped_column(Text)
    main_objective: Mapped[str | None] = mapped_column(String(30))
    budget_override: Mapped[bool] = mapped_column(Boolean, default=False)
    override_reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CommitmentChange(Base):
    """A decrease, withdrawal or closing balance: a negative commitment with its reason."""

    __tablename__ = "grants_commitment_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grants_applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    #: the amount taken off the commitment (positive); the ledger books it negative
    amount: Mapped[Decimal] = mapped_column("amount_minor", Money())
    reason: Mapped[str] = mapped_column(Text)
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("transactions.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
