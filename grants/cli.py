"""``flask --app wsgi grants …``: open a call, export a call's applications, run the daily jobs."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation

import click
from flask.cli import AppGroup

from app.db import unit_of_work
from app.errors import ValidationError
from app.events.bus import set_actor

grants_cli = AppGroup("grants", help="Grant schemes, calls and applications.")


def _date(_ctx, _param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _amount(_ctx, _param, value):
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError):
        raise click.BadParameter(f"{value!r} is not an amount") from None


@grants_cli.command("open-call")
@click.argument("scheme")
@click.option("--code", required=True, help="Code of the call, e.g. UNP-2025.")
@click.option("--title", required=True)
@click.option("--year", type=int, required=True)
@click.option("--budget", "budget", required=True, callback=_amount, help="Budget ceiling in EUR, e.g. 150000.00")
@click.option("--opens", required=True, callback=_date, help="YYYY-MM-DD")
@click.option("--closes", callback=_date, help="YYYY-MM-DD")
@click.option("--description")
def open_call_cmd(scheme, code, title, year, budget, opens, closes, description):
    """Open a call for applications under SCHEME (its code) with a budget ceiling."""
    from grants.services.calls import open_call
    from grants.services.schemes import get_scheme_by_code

    set_actor("cli:grants")
    try:
        with unit_of_work() as session:
            found = get_scheme_by_code(session, scheme)
            if found is None:
                raise click.ClickException(f"no scheme {scheme!r}")
            call = open_call(session, found, code, title, year, budget, opens, closes, description)
    except ValidationError as exc:
        raise click.ClickException(f"{exc.field or 'call'}: {exc.message}") from None
    click.echo(f"call {call.code} open from {call.opens_on.isoformat()} with a ceiling of EUR {call.budget_ceiling}")


@grants_cli.command("export-applications")
@click.argument("call")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True))
@click.option("--with-personal-data", is_flag=True,
              help="Include interns' names, contact and internship details (restricted data).")
def export_applications_cmd(call, out, with_personal_data):
    """Write the applications of CALL (its code) to an xlsx file."""
    from grants.services.calls import get_call_by_code
    from grants.services.export import export_applications

    with unit_of_work() as session:
        found = get_call_by_code(session, call)
        if found is None:
            raise click.ClickException(f"no call {call!r}")
        count = export_applications(session, found, out, include_personal=with_personal_data)
    click.echo(f"{count} applications of {found.code} written to {out}")


@grants_cli.command("remind")
def remind_cmd():
    """Run the reminders job now (tranche due dates, report deadlines, overdue reports)."""
    from grants.jobs import grant_reminders

    set_actor("cli:grants")
    with unit_of_work() as session:
        click.echo(json.dumps(grant_reminders(session)))


@grants_cli.command("match-ledger")
def match_ledger_cmd():
    """Match imported ledger payments to tranches by document number now."""
    from grants.jobs import match_ledger_payments

    set_actor("cli:grants")
    with unit_of_work() as session:
        click.echo(json.dumps(match_ledger_payments(session)))
