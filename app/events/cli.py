from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from app.db import get_db, get_session
from app.events import dispatcher

events_cli = AppGroup("events", help="Deliver, replay and inspect events.")


@events_cli.command("dispatch")
@click.option("--handler", "only", multiple=True, help="Only this handler (repeatable).")
def dispatch_cmd(only):
    """Deliver new events to every handler from its checkpoint."""
    result = dispatcher.dispatch(get_db().Session, only=list(only) or None)
    click.echo(json.dumps(result.as_counts()))
    if result.failed:
        raise SystemExit(1)


@events_cli.command("replay")
@click.argument("handler", default="budget_totals")
def replay_cmd(handler):
    """Rebuild a handler's projection from the whole event store."""
    result = dispatcher.replay(get_db().Session, handler)
    click.echo(f"{handler}: replayed {result.total} events")


@events_cli.command("status")
def status_cmd():
    """Each handler's checkpoint, lag and open failures."""
    click.echo(json.dumps(dispatcher.status(get_session()), indent=2, default=str))
