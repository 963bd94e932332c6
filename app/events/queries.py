"""Read side of the event store, shared by the audit page and the API."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select

from app.events.models import Event


def filter_events(stmt: Select, type: str | None = None, aggregate_type: str | None = None,
                  aggregate_id: str | None = None, actor: str | None = None,
                  since: datetime | None = None, until: datetime | None = None,
                  after_id: int | None = None) -> Select:
    if type:
        stmt = stmt.where(Event.type == type)
    if aggregate_type:
        stmt = stmt.where(Event.aggregate_type == aggregate_type)
    if aggregate_id:
        stmt = stmt.where(Event.aggregate_id == str(aggregate_id))
    if actor:
        stmt = stmt.where(Event.actor == actor)
    if since:
        stmt = stmt.where(Event.occurred_at >= since)
    if until:
        stmt = stmt.where(Event.occurred_at <= until)
    if after_id:
        stmt = stmt.where(Event.id > after_id)
    return stmt
