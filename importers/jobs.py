"""Scheduled job: import the large uploads queued by the page and the API."""
from __future__ import annotations

from app.auth.roles import Permission
from app.db import get_db
from app.scheduler.registry import scheduled_job, stop_requested
from importers.services.queue import process_queued


@scheduled_job(id="process_queued_imports", trigger="interval", seconds=10, misfire_grace_time=60,
                concerns=(Permission.RUN_IMPORTS,))
def process_queued_imports(session) -> dict:
    """Import queued uploads one by one (each in its own transaction) and report counts."""
    # Like event dispatching: claim, report progress and import in transactions of its
    # own, so the page sees the progress while the file is read.
    return process_queued(get_db().Session, should_stop=stop_requested)
