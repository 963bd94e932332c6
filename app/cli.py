"""Shared commands: schema, demo data, users. Packages add their own groups, and their
own commands to these groups (``flask demo logins`` is the programmes package's)."""
from __future__ import annotations

import importlib
import logging
from datetime import timedelta

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app import migrate
from app.auth.roles import Role
from app.auth.models import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS
from app.db import get_db, get_session, unit_of_work, utcnow
from app.events import dispatcher
from app.events.bus import set_actor
from app.hooks import Hook
from app.packages import DOMAIN_PACKAGES

db_cli = AppGroup("db", help="Create or upgrade the database schema.")
demo_cli = AppGroup("demo", help="The Flemish demo portfolio.")
users_cli = AppGroup("users", help="Users and API tokens.")

#: (session, programme code) → the programme's id or None; the programmes package answers,
#: for ``users create --role programme_manager:CODE``
programme_id_of_code = Hook("programme id of a code")


@db_cli.command("upgrade")
@click.option("--revision", default="head")
def db_upgrade(revision):
    """Create or upgrade the schema of DATABASE_URL; at head, load the data the packages
    ship with the application (the curated ODA reference data; idempotent)."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"schema at {revision} on {get_db().engine.url.render_as_string(hide_password=True)}")
    if revision != "head":
        return
    set_actor("cli:db-upgrade")
    for name in DOMAIN_PACKAGES:
        hook = getattr(importlib.import_module(name), "after_upgrade", None)
        if hook is not None:
            with unit_of_work() as session:
                click.echo(f"{name}: {hook(session)}")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision):
    migrate.downgrade(current_app.config["DATABASE_URL"], revision)


@demo_cli.command("load")
def demo_load():
    """Load the demo portfolio; safe to run again (nothing is duplicated)."""
    if current_app.config["AIDLEDGER_ENV"] == "production":
        raise click.ClickException("the demo (with its published password) is not loaded in production")
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
        if any(counts.values()):
            click.echo(f"{name}: added " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        else:
            click.echo(f"{name}: nothing added (the demo data is there already)")
    # The projections (budget totals, …) are built from the events, outside the loaders' transactions.
    result = dispatcher.dispatch(get_db().Session)
    click.echo(f"events dispatched: {result.total}" + (f", failed: {sum(result.failed.values())}"
                                                       if result.failed else ""))


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name, as shown in the application.")
@click.option("--role", "roles", multiple=True, required=True, metavar="ROLE[:PROGRAMME]",
              help="admin, finance, oda_officer, viewer, or programme_manager:PROGRAMME_CODE; repeatable.")
@click.option("--locale", type=click.Choice(["en", "nl"]), default="en", show_default=True)
@click.password_option(help="Asked for (typed twice, not echoed) when not given; at least 10 characters.")
def users_create(email, name, roles, locale, password):
    """Create a user with their roles (the first administrator of a new installation)."""
    from app.auth.services import create_user

    with unit_of_work() as session:
        try:
            user = create_user(session, email, name, password, [_role(session, text) for text in roles], locale)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        summary = f"created {user.email}: {', '.join(sorted(roles))}"
    click.echo(summary)


def _role(session, text: str) -> tuple[Role, int | None]:
    """``admin`` → (ADMIN, None); ``programme_manager:MWI-CSP3`` → (PROGRAMME_MANAGER, that programme's id)."""
    name, _, programme_code = text.partition(":")
    try:
        role = Role(name.strip())
    except ValueError:
        raise click.ClickException(f"unknown role {name!r}: one of {', '.join(r.value for r in Role)}") from None
    if role is not Role.PROGRAMME_MANAGER:
        if programme_code:
            raise click.ClickException(f"the {role.value} role is not limited to a programme")
        return role, None
    if not programme_code:
        raise click.ClickException("a programme manager needs a programme: programme_manager:PROGRAMME_CODE")
    programme_id = programme_id_of_code(session, programme_code.strip())
    if programme_id is None:
        raise click.ClickException(f"no programme with code {programme_code!r}")
    return role, programme_id


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="cli")
@click.option("--days", type=click.IntRange(1, MAX_TOKEN_DAYS), default=DEFAULT_TOKEN_DAYS, show_default=True,
              help=f"Days until the token expires (1 to {MAX_TOKEN_DAYS}); every token expires.")
def users_token(email, name, days):
    """Issue an API token for a user and print it once (the expiry goes to stderr)."""
    from app.auth.models import ApiToken

    with unit_of_work() as session:
        token, secret = ApiToken.issue(_user(session, email), name, utcnow() + timedelta(days=days))
        session.add(token)
        expires_at = token.expires_at
    click.echo(secret)
    click.echo(f"expires {expires_at:%Y-%m-%d %H:%M} UTC", err=True)


@users_cli.command("tokens")
@click.argument("email")
def users_tokens(email):
    """List a user's API tokens with their expiry (never the secrets)."""
    from app.auth.models import ApiToken

    session = get_session()
    tokens = session.scalars(select(ApiToken).where(ApiToken.user_id == _user(session, email).id)
                             .order_by(ApiToken.id)).all()
    for token in tokens:
        state = "revoked" if token.revoked else ("expired" if token.expires_at <= utcnow() else "active")
        used = f"{token.last_used_at:%Y-%m-%d}" if token.last_used_at else "never"
        click.echo(f"{token.id}  {token.prefix}…  {token.name}  created {token.created_at:%Y-%m-%d}  "
                   f"expires {token.expires_at:%Y-%m-%d}  last used {used}  {state}")


@users_cli.command("unlock")
@click.argument("email", required=False)
@click.option("--address", help="A client address locked out for too many failed sign-ins.")
def users_unlock(email, address):
    """Lift the sign-in delay or lock of an account (by e-mail) and/or a client address."""
    from app.auth.throttle import unlock

    if not email and not address:
        raise click.ClickException("name an e-mail address, --address, or both")
    set_actor("cli")
    with unit_of_work() as session:
        removed = unlock(session, email, address)
    click.echo(f"unlocked: {', '.join(x for x in (email, address) if x)}" if removed else "nothing was locked")


def _user(session, email: str):
    from app.auth.services import get_user_by_email

    user = get_user_by_email(session, email)
    if user is None:
        raise click.ClickException(f"no user {email}")
    return user


#: libraries whose INFO lines (Alembic's "Running upgrade …") only --verbose shows
CHATTY_LOGGERS = ("alembic",)


def _set_verbosity(ctx: click.Context, _param, verbose: bool) -> None:
    """Commands print what they have to say; log lines below WARNING only with --verbose
    (given on the group or the command: either one counts)."""
    meta = ctx.find_root().meta
    meta["aidledger.verbose"] = meta.get("aidledger.verbose", False) or verbose
    level = logging.INFO if meta["aidledger.verbose"] else logging.WARNING
    for name in ("", *CHATTY_LOGGERS):
        logging.getLogger(name).setLevel(level)


def add_verbose_option(app: Flask) -> None:
    """Give every command group and command of every package ``--verbose`` (after all registered)."""
    def add(command: click.Command) -> None:
        if not any(param.name == "verbose" for param in command.params):
            command.params.append(click.Option(["--verbose"], is_flag=True, expose_value=False,
                                               callback=_set_verbosity,
                                               help="Also print progress and library log lines."))
        for sub in getattr(command, "commands", {}).values():
            add(sub)

    for command in app.cli.commands.values():
        add(command)


def init_app(app: Flask) -> None:
    from app.events.cli import events_cli
    from app.scheduler.cli import scheduler_cli

    for group in (db_cli, demo_cli, users_cli, events_cli, scheduler_cli):
        app.cli.add_command(group)
