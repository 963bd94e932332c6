"""The ODA officer's decisions on single transactions, with their mandatory reason."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, BigId, Rate, UTCDateTime, utcnow


class OverrideAction:
    ACCEPT = "accept"
    REJECT = "reject"
    SET_SHARE = "set_share"
    ALL = (ACCEPT, REJECT, SET_SHARE)


class OverrideState:
    ACTIVE = "active"
    #: the activity or the reference data changed since the decision
    NEEDS_RECONFIRMATION = "needs_reconfirmation"
    SUPERSEDED = "superseded"
    CURRENT = (ACTIVE, NEEDS_RECONFIRMATION)


class Override(Base):
    """A decision that replaces the computed outcome while its inputs stay the same.

    ``basis_hash`` is the inputs hash of the evaluation the officer saw; when a later
    evaluation of the transaction has another hash, the override is flagged.
    """

    __tablename__ = "oda_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("transactions.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(12))
    #: resulting status and share (accept: the computed share, or 100 % when unknown)
    status: Mapped[str] = mapped_column(String(20))
    share: Mapped[Decimal] = mapped_column("share_e10", Rate())
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(120))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    basis_hash: Mapped[str] = mapped_column(String(64))
    basis_evaluation_id: Mapped[int | None] = mapped_column(BigInteger)
    #: the rules' reasons the officer saw, to show what changed when the override is flagged
    basis_reasons: Mapped[list] = mapped_column(JSON, default=list)
    computed_status: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(24), default=OverrideState.ACTIVE)
    flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}
