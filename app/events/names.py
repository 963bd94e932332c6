"""What the audit trail shows for a record instead of "Activity 52": its code and title,
asked of the package that owns the record (``record_names``, answered in its ``init_app``),
and the event types present, for the filter by kind of event."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.events.models import Event
from app.hooks import Hook

#: (session, {aggregate_type: {aggregate ids}}) → {(aggregate_type, aggregate id): "MWI-2019-TLC · Market
#: access …"}; a record nobody names keeps its type and id
record_names = Hook("names of audit records", default={})


def names_of(session: Session, events) -> dict[tuple[str, str], str]:
    """The names of the records of ``events`` (one page: one question per record type)."""
    wanted: dict[str, set[str]] = {}
    for event in events:
        wanted.setdefault(event.aggregate_type, set()).add(str(event.aggregate_id))
    return record_names(session, wanted) if wanted else {}


def event_types(session: Session) -> list[str]:
    """The event types in the trail, each once, by seeking the type index once per type (a
    plain DISTINCT would read every event)."""
    table = Event.__tablename__
    found = text(f"""WITH RECURSIVE kinds(type) AS (
        SELECT MIN(type) FROM {table}
        UNION ALL
        SELECT (SELECT MIN(e.type) FROM {table} e WHERE e.type > kinds.type) FROM kinds WHERE kinds.type IS NOT NULL)
        SELECT type FROM kinds WHERE type IS NOT NULL""")
    return list(session.execute(found).scalars())
