"""Shared commands: schema, demo data, users. Packages add their own groups."""
from __future__ import annotations

import importlib

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app import migrate
from app.db import get_db, unit_of_work
from app.events.bus import set_actor
from app.packages import DOMAIN_PACKAGES

db_cli = AppGroup("db", help="Create or upgrade the database schema.")
demo_cli = AppGroup("demo", help="The Flemish demo portfolio.")
users_cli = AppGroup("users", help="Users and API tokens.")


@db_cli.command("upgrade")
@click.option("--revision", default="head")
def db_upgrade(revision):
    """Create or upgrade the schema of DATABASE_URL (no data is loaded)."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"schema at {revision} on {get_db().engine.url.render_as_string(hide_password=True)}")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision):
    migrate.downgrade(current_app.config["DATABASE_URL"], revision)


@demo_cli.command("load")
def demo_load():
    """Load the demo portfolio; safe to run again (nothing is duplicated)."""
    set_actor("demo-loader")
    summary = {}
    for name in DOMAIN_PACKAGES:
        module = importlib.import_module(name)
        loader = getattr(module, "load_demo", None)
        if loader is None:
            continue
        with unit_of_work() as session:
            summary[name] = loader(session)
    for name, counts in summary.items():
        click.echo(f"{name}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="cli")
def users_token(email, name):
    """Issue an API token for a user and print it once."""
    from sqlalchemy import select

    from app.auth.models import ApiToken, User

    with unit_of_work() as session:
        user = session.scalar(select(User).where(User.email == email.lower()))
        if user is None:
            raise click.ClickException(f"no user {email}")
        token, secret = ApiToken.issue(user, name)
        session.add(token)
    click.echo(secret)


def init_app(app: Flask) -> None:
    from app.events.cli import events_cli
    from app.scheduler.cli import scheduler_cli

    for group in (db_cli, demo_cli, users_cli, events_cli, scheduler_cli):
        app.cli.add_command(group)
