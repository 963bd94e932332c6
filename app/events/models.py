from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, BigId, UTCDateTime, utcnow


class Event(Base):
    """One thing that happened. Rows are only ever inserted."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    type: Mapped[str] = mapped_column(String(80), index=True)
    aggregate_type: Mapped[str] = mapped_column(String(40))
    aggregate_id: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON)
    actor: Mapped[str] = mapped_column(String(120))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    correlation_id: Mapped[str | None] = mapped_column(String(64), index=True)

    __table_args__ = (Index("ix_events_aggregate", "aggregate_type", "aggregate_id"),)


class HandlerCheckpoint(Base):
    """How far a handler has read the event store."""

    __tablename__ = "event_handler_checkpoints"

    handler: Mapped[str] = mapped_column(String(80), primary_key=True)
    last_event_id: Mapped[int] = mapped_column(BigId, default=0)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class HandlerFailure(Base):
    """An event a handler could not process; retried until it succeeds or is parked."""

    __tablename__ = "event_handler_failures"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    handler: Mapped[str] = mapped_column(String(80), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text)
    first_failed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    parked: Mapped[bool] = mapped_column(default=False)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
