"""The shared kernel's own scheduled jobs."""
from __future__ import annotations

from app.db import get_db
from app.events import dispatcher
from app.scheduler.registry import scheduled_job


@scheduled_job(id="dispatch_events", trigger="interval", seconds=10, misfire_grace_time=30)
def dispatch_events(session) -> dict:
    """Deliver new events to every handler (projections, alerts) from its checkpoint."""
    # The dispatcher commits per handler batch in sessions of its own.
    return dispatcher.dispatch(get_db().Session).as_counts()
