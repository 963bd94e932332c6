from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, Money, UTCDateTime, utcnow
from grants.models.call import Call
from grants.models.person import Person
from grants.models.scheme import Scheme
from programmes.models.organisation import Organisation


class Application(Base):
    """One application, from draft to closed: the aggregate of the grants workflow.

    Money: ``approved_amount`` is what was decided; decreases and withdrawals add
    to ``decreased_amount`` (each is a negative commitment in the ledger), so the
    amount still committed is ``approved_amount - decreased_amount``.
    """

    __tablename__ = "grants_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("grants_schemes.id"), index=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("grants_calls.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("grants_persons.id"), index=True)
    host_organisation: Mapped[str | None] = mapped_column(String(200))
    destination: Mapped[str | None] = mapped_column(String(80))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    recipient_code: Mapped[str | None] = mapped_column(String(5))
    #: CRS attributes recorded by a reviewer, over the scheme's defaults
    crs_overrides: Mapped[dict] = mapped_column(JSON, default=dict)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    amount_requested: Mapped[Decimal] = mapped_column("amount_requested_minor", Money())
    approved_amount: Mapped[Decimal | None] = mapped_column("approved_amount_minor", Money())
    decreased_amount: Mapped[Decimal] = mapped_column("decreased_amount_minor", Money(), default=Decimal("0"))
    paid_amount: Mapped[Decimal] = mapped_column("paid_amount_minor", Money(), default=Decimal("0"))
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id"), index=True)
    commitment_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: who registered and who submitted it (None: the system or the CLI); four-eyes keeps both from deciding
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    scheme: Mapped[Scheme] = relationship(lazy="joined")
    call: Mapped[Call | None] = relationship(lazy="joined")
    person: Mapped[Person | None] = relationship()
    #: the applying organisation (read only here: the programmes package owns organisations)
    organisation: Mapped[Organisation | None] = relationship(viewonly=True)

    __mapper_args__ = {"version_id_col": version}

    @property
    def committed_amount(self) -> Decimal:
        """What is still committed: the approved amount minus decreases and withdrawals."""
        if self.approved_amount is None:
            return Decimal("0.00")
        return self.approved_amount - self.decreased_amount

    @property
    def unpaid_amount(self) -> Decimal:
        return self.committed_amount - self.paid_amount

    @property
    def programme_id(self) -> int:
        return self.scheme.programme_id

    @property
    def is_personal(self) -> bool:
        return self.person_id is not None
