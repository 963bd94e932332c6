"""The ODA officer's decisions on a review group: one decision for an activity-year.

A review group is the open lines of one activity in one year that share the rules'
reasons (``oda.services.review_groups``). A decision on it (accept, reject or a share,
with one reason) applies to the activity-year: every line of that activity dated in
that year, those booked later too, takes the decision's status and share, unless a
line has an override of its own (``oda.models.lines``). ``basis_status`` is what the
rules said when the officer decided; a later evaluation of the activity-year with
another outcome flags the decision for re-confirmation, as overrides are.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, BigId, Rate, UTCDateTime, utcnow


class DecisionState:
    ACTIVE = "active"
    #: the rules' outcome of the activity-year changed since the decision
    NEEDS_RECONFIRMATION = "needs_reconfirmation"
    SUPERSEDED = "superseded"
    UNDONE = "undone"
    CURRENT = (ACTIVE, NEEDS_RECONFIRMATION)


CURRENT_SQL = text("state IN ('active', 'needs_reconfirmation')")


class GroupDecision(Base):
    __tablename__ = "oda_group_decisions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(12))
    #: resulting status and share (accept: the computed share, or 100 % when unknown)
    status: Mapped[str] = mapped_column(String(20))
    share: Mapped[Decimal] = mapped_column("share_e10", Rate())
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(120))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: the group the officer decided on: its reasons and the rules' status then
    basis_explanation_id: Mapped[int] = mapped_column(BigInteger)
    basis_status: Mapped[str] = mapped_column(String(20))
    basis_reasons: Mapped[list] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(24), default=DecisionState.ACTIVE)
    flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}
    #: at most one current decision per activity-year (a second would count its lines twice)
    __table_args__ = (Index("ix_oda_group_decisions_activity_year", "activity_id", "year", "state"),
                      Index("uq_oda_group_decisions_current", "activity_id", "year", unique=True,
                            sqlite_where=CURRENT_SQL, postgresql_where=CURRENT_SQL))
