"""The shared kernel's own scheduled jobs."""
from __future__ import annotations

from app.db import get_db
from app.events import dispatcher
from app.scheduler.registry import scheduled_job, stop_requested

#: rounds of the dispatcher per run (each handler one batch per round): a run stays short
#: and the next one, 10 s later, carries on where it stopped
DISPATCH_ROUNDS = 20


@scheduled_job(id="dispatch_events", trigger="interval", seconds=10, misfire_grace_time=30)
def dispatch_events(session) -> dict:
    """Deliver new events to every handler (projections, alerts) from its checkpoint."""
    # The dispatcher commits per handler batch in sessions of its own; handlers take turns.
    return dispatcher.dispatch(get_db().Session, max_batches=DISPATCH_ROUNDS,
                               should_stop=stop_requested).as_counts()
