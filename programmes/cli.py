"""The programmes package's commands: ``flask demo logins``, added to the shared demo
group, and the answer to the programme lookup of ``flask users create``."""
from __future__ import annotations

import click

from app.cli import demo_cli, programme_id_of_code
from app.db import get_session
from programmes.demo.users import DEMO_PASSWORD, demo_logins
from programmes.services.programmes import get_programme_by_code


@demo_cli.command("logins")
def demo_logins_command():
    """Print the demo users (one per role) and their password."""
    rows = demo_logins(get_session())
    if not rows:
        raise click.ClickException("no demo users yet: run `flask --app wsgi demo load` first")
    width = max(len(r["email"]) for r in rows)
    for row in rows:
        state = "" if row["active"] else "  [deactivated]"
        click.echo(f"{row['email']:<{width}}  {', '.join(row['roles'])}  ({row['name']}){state}")
    click.echo(f"password for every demo user: {DEMO_PASSWORD}")


@programme_id_of_code.answer
def programme_id(session, code: str) -> int | None:
    programme = get_programme_by_code(session, code)
    return None if programme is None else programme.id
