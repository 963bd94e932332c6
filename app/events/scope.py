"""Which events concern a programme, for the audit trail of a programme manager and the
"events of this programme" filter.

By convention every package puts ``programme_id`` in the payload of an event about
something inside a programme (budget lines, activities, transactions, grants);
corrections carry it under ``before`` and ``after``. Events whose aggregate is the
programme itself count too.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.orm import Session

from app.events.models import Event
from app.sql import json_integer_in

PROGRAMME_PATHS = (("programme_id",), ("before", "programme_id"), ("after", "programme_id"))


def _payload_value_in(session: Session, path: tuple[str, ...], ids: list[int]) -> ColumnElement:
    return json_integer_in(session, Event.payload[path if len(path) > 1 else path[0]], ids)


def about_programmes(session: Session, programme_ids: set[int]) -> ColumnElement:
    """A WHERE clause: the event concerns one of ``programme_ids``."""
    ids = sorted(programme_ids)
    if not ids:
        return Event.id.is_(None)  # matches nothing
    return or_(and_(Event.aggregate_type == "Programme", Event.aggregate_id.in_([str(i) for i in ids])),
               *(_payload_value_in(session, path, ids) for path in PROGRAMME_PATHS))


def visible_to(session: Session, programme_ids: set[int] | None, actor: str) -> ColumnElement | None:
    """None for users who see every programme; otherwise their programmes' events and their own."""
    if programme_ids is None:
        return None
    return or_(about_programmes(session, programme_ids), Event.actor == actor)
