"""``flask --app wsgi import KIND FILE [--dry-run] [--accept-valid-rows] [--json]``;
``flask --app wsgi import iati FILE.xml [--programme CODE] [--code-prefix TEXT]`` for IATI activity files.

Exit codes: 0 the file is in the ledger: imported now, already imported (the same
file before: status ``already_imported``) or every row already there unchanged
(``up_to_date``), so a script may re-run an unchanged import; with --dry-run: it
would be imported without errors. Non-zero means rows or the file were refused:
2 nothing was imported (the file refused, rows rejected, or a dry run found errors);
3 only the valid rows were imported; 1 an unexpected error. The message and the rows' reasons are
said in ``--lang`` (default: the shell's language, LANG); the status words stay as they are.
"""
from __future__ import annotations

import getpass
import json
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import format_number, gettext

from app.db import get_session
from app.events.bus import set_actor
from app.web import language_option, speaking
from importers.kinds import KINDS
from importers.services.queries import row_summary, rows_query, shown_reason
from importers.services.record import ACCEPT_VALID_ROWS, ALL_OR_NOTHING
from importers.services.uploads import import_path

EXIT_CODES = {"imported": 0, "already_imported": 0, "up_to_date": 0, "failed": 1, "refused": 2, "rejected": 2,
              "partially_imported": 3}
SHOWN_ERRORS = 10


def exit_code(result: dict) -> int:
    if result["status"] == "checked":
        return 2 if result["counts"]["errors"] else 0
    return EXIT_CODES.get(result["status"], 1)


@click.command("import")
@click.argument("kind", type=click.Choice(sorted(KINDS)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option("--dry-run", is_flag=True, help="Check and report every row; write nothing at all.")
@click.option("--accept-valid-rows", is_flag=True, help="Import the valid rows even when others have errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the full result, every row included, as JSON.")
@click.option("--programme", help="iati: the programme (code) that receives the file's new activities.")
@click.option("--code-prefix", help="iati: put this before each activity code taken from the iati-identifier.")
@language_option("Language of the messages")
@with_appcontext
def import_command(kind, file, dry_run, accept_valid_rows, as_json, programme, code_prefix, lang):
    """Import a spreadsheet (xlsx or csv) of KIND: programmes, spending, activities, budgets or rates;
    or an IATI activity file (xml) of kind iati."""
    options = {"programme": programme, "code_prefix": code_prefix}
    given = [f"--{name.replace('_', '-')}" for name, value in options.items()
             if value and name not in KINDS[kind].option_names]
    if given:
        raise click.UsageError(f"{', '.join(given)} only applies to the kind iati")
    actor = f"cli:{getpass.getuser()}"
    set_actor(actor)
    with speaking(lang):
        result = import_path(kind, file, Path(file).name,
                             mode=ACCEPT_VALID_ROWS if accept_valid_rows else ALL_OR_NOTHING, dry_run=dry_run,
                             uploaded_by=actor, commit=not dry_run, with_rows=as_json or dry_run, options=options)
        if as_json:
            click.echo(json.dumps(result, indent=2, default=str))
        else:
            click.echo(f"{result['status']}: {result['message']}")
            _show_errors(result)
    raise SystemExit(exit_code(result))


def _show_errors(result: dict) -> None:
    if not result["counts"]["errors"]:
        return
    if "rows" in result:
        rows = [r for r in result["rows"] if r["outcome"] == "error"][:SHOWN_ERRORS]
    else:
        rows = [row_summary(r) for r in get_session().scalars(
            rows_query(result["id"], outcome="error").limit(SHOWN_ERRORS))]
    for row in rows:
        reason = shown_reason(row["reason"], row["findings"], gettext)
        click.echo("  " + gettext("row %(row)s: %(column)s %(reason)s", row=row["row"], column=row["column"] or "",
                                  reason=reason).rstrip(), err=True)
    if result["counts"]["errors"] > SHOWN_ERRORS:
        more = format_number(result["counts"]["errors"] - SHOWN_ERRORS)
        click.echo("  " + gettext("… and %(more)s more (use --json)", more=more), err=True)
