from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, BigId, Money, UTCDateTime, utcnow
from programmes.models.activity import Activity


class Transaction(Base):
    """A commitment, disbursement or refund on an activity, as booked in a source.

    Amounts are as booked: a refund is a positive amount that reduces what was
    disbursed; a decreased commitment is a negative commitment.
    """

    __tablename__ = "transactions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"))
    kind: Mapped[str] = mapped_column(String(20))
    date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column("amount_minor", Money())
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    #: EUR equivalent at the year's current rate (revalued when it changes); None while no rate exists
    amount_eur: Mapped[Decimal | None] = mapped_column("amount_eur_minor", Money())
    source: Mapped[str] = mapped_column(String(20), default="ledger")
    document_number: Mapped[str] = mapped_column(String(60))
    description: Mapped[str | None] = mapped_column(String(500))
    budget_article: Mapped[str | None] = mapped_column(String(40))
    import_batch_id: Mapped[int | None] = mapped_column(Integer, index=True)
    #: the row of that batch's file the line came from (its row result when it was plainly new)
    import_row: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    activity: Mapped[Activity] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("source", "document_number"),
        Index("ix_transactions_date", "date"),
        # lookups by activity, and each activity's first commitment and first date from the index alone
        Index("ix_transactions_activity_kind_date", "activity_id", "kind", "date"),
    )

    @property
    def year(self) -> int:
        return self.date.year
