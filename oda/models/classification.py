"""Classification results: one evaluation of the rules per activity, year and
currency (status, share, rate, reasons, versions), stored.

The rules do not depend on a transaction's amount or day, only on its activity,
year and currency, so they run once per such context and a transaction's
classification is its context's stored outcome applied to its amount
(``oda.models.lines``), unless an override of the officer decides.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, BigId, Rate, UTCDateTime, utcnow


class Status:
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    NEEDS_REVIEW = "needs_review"
    ALL = (ELIGIBLE, NOT_ELIGIBLE, NEEDS_REVIEW)


class Explanation(Base):
    """The reasons of every rule, stored once however many evaluations share them
    (activities with the same attributes in the same year read the same reasons)."""

    __tablename__ = "oda_explanations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    #: [{"rule", "result": pass|fail|unknown, "reason", "facts", "share"?}] in rule order
    reasons: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


#: the contexts the rules leave open (``oda.services.review_groups.rules_open``): a partial index
OPEN_CONTEXTS = text("status = 'needs_review' OR units_per_eur_e10 IS NULL")


class Evaluation(Base):
    """What the rules said for an activity's transactions in one year and currency."""

    __tablename__ = "oda_evaluations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20))
    #: the status before the evaluation last changed (empty for a first evaluation)
    previous_status: Mapped[str | None] = mapped_column(String(20))
    #: share of the amount that is ODA (0–1); empty when the rules could not tell
    share: Mapped[Decimal | None] = mapped_column("share_e10", Rate())
    #: units of the currency per EUR in the year (1 for EUR); empty when no rate exists
    units_per_eur: Mapped[Decimal | None] = mapped_column("units_per_eur_e10", Rate())
    explanation_id: Mapped[int] = mapped_column(BigId, ForeignKey("oda_explanations.id"))
    inputs_hash: Mapped[str] = mapped_column(String(64))
    reference_version: Mapped[int] = mapped_column(Integer)
    rules_version: Mapped[str] = mapped_column(String(20))
    evaluated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    run_id: Mapped[int | None] = mapped_column(Integer, index=True)
    #: the context's lines (overridden ones too) when the classification last ran: what
    #: the review counts read (``oda.services.reviews``) instead of deriving every line
    lines: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    #: the amount of those lines in the context's currency (minor units): the grouped review
    #: queue's totals (``oda.services.review_groups``), kept beside ``lines``
    amount_minor: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    explanation: Mapped[Explanation] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("activity_id", "year", "currency"),
                      # covers the year's counts (Year close, progress, CRS candidates) without the rows
                      Index("ix_oda_evaluations_year_status", "year", "status", "activity_id", "lines",
                            "units_per_eur_e10", "share_e10"),
                      Index("ix_oda_evaluations_open", "year", "activity_id", sqlite_where=OPEN_CONTEXTS,
                            postgresql_where=OPEN_CONTEXTS))

    @property
    def reasons(self) -> list[dict]:
        return self.explanation.reasons


class LineChange(Base):
    """When the classification job last saw a line arrive or change in a context whose
    evaluation stayed the same (a new disbursement, a corrected amount): the review
    queue's "changed since the last export" reads it beside the evaluation's time.
    Lines classified together with their evaluation need no row here."""

    __tablename__ = "oda_line_changes"

    transaction_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("transactions.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    run_id: Mapped[int] = mapped_column(Integer)


class PendingTransaction(Base):
    """A transaction waiting to be (re)classified: recorded, refunded or corrected."""

    __tablename__ = "oda_pending_transactions"

    transaction_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("transactions.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    reason: Mapped[str] = mapped_column(String(40))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PendingActivity(Base):
    """An activity whose rules must be evaluated again (the activity or reference data changed)."""

    __tablename__ = "oda_pending_activities"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    reason: Mapped[str] = mapped_column(String(40))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ClassificationRun(Base):
    """One run of the classifier (job, command or request) and what it changed."""

    __tablename__ = "oda_classification_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(120))
    scope: Mapped[dict] = mapped_column(JSON, default=dict)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
