"""``flask --app wsgi export …``: the CRS workbook and the yearly reports from the command line."""
from __future__ import annotations

import getpass
from pathlib import Path

import click
from flask.cli import AppGroup

from app.db import get_db, get_session, unit_of_work
from app.events.bus import set_actor
from exports.models import ExportKind, RunStatus
from app.api.fields import MAX_INT
from app.auth.services import get_user_by_email
from app.errors import ValidationError
from app.web import language_option, speaking
from exports.services import revisions, runs, submission
from exports.services.crs import FinalRefused, check_final
from exports.services.execute import execute_run

export_cli = AppGroup("export", help="The OECD CRS workbook and the yearly ODA reports (xlsx).")


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _out_path(out: str) -> str:
    path = Path(out)
    if path.suffix.lower() != ".xlsx":
        raise click.BadParameter("the file name must end in .xlsx", param_hint="--out")
    if not path.parent.exists():
        raise click.BadParameter(f"no directory {path.parent}", param_hint="--out")
    return str(path)


def _run(kind: str, year: int | None, out: str, final: bool = False, params: dict | None = None,
         language: str = "en"):
    """Record the run, produce the file (progress on stderr), copy it to ``out``."""
    actor = _actor()
    set_actor(actor)
    try:
        with unit_of_work() as session:
            if final:
                check_final(session, year)
            run = runs.new_run(session, kind, year, requested_by=actor, trigger="cli", final=final, params=params,
                               status=RunStatus.RUNNING, language=language)
            run_id = run.id
    except runs.ExportError as exc:
        raise click.ClickException(exc.message) from None

    def echo(percent: int, stage: str) -> None:
        click.echo(f"  {percent:3d}%  {stage}", err=True)

    try:
        finished = execute_run(get_db().Session, run_id, out_path=out, echo=echo, raise_errors=True)
    except FinalRefused as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"wrote {out} ({finished.size_bytes:,} bytes)")
    click.echo(f"sha256 {finished.sha256}")
    return finished


@export_cli.command("crs")
@click.option("--year", type=int, required=True, help="Reporting year (the flows of that calendar year).")
@click.option("--out", required=True, help="The .xlsx file to write.")
@click.option("--final", is_flag=True, help="The version to submit: refused while reviews are open.")
@language_option("Language of the sheets for the officer; the CRS sheet is the same in every language")
def export_crs(year, out, final, lang):
    """The OECD CRS workbook of YEAR (sheets CRS, Not ODA, Needs review, Summary, Metadata)."""
    run = _run(ExportKind.CRS, year, _out_path(out), final=final, language=lang)
    counts = run.counts
    click.echo(f"{'FINAL' if final else 'draft'} CRS {year}: {counts.get('crs_rows', 0)} CRS rows, "
               f"{counts.get('not_oda_rows', 0)} not-ODA lines, {counts.get('needs_review_rows', 0)} open")
    if counts.get("spending_reconciled") and counts.get("commitments_reconciled"):
        click.echo("reconciliation: CRS + Not ODA = total spending (and commitments), to the cent")
    else:
        click.echo(f"reconciliation: spending {counts.get('spending_check')}; "
                   f"commitments {counts.get('commitments_check')} (see the Summary sheet)")


@export_cli.command("oda-summary")
@click.option("--from", "year_from", type=int, required=True, help="First year.")
@click.option("--to", "year_to", type=int, required=True, help="Last year.")
@click.option("--out", required=True, help="The .xlsx file to write.")
@language_option("Language of the workbook")
def export_oda_summary(year_from, year_to, out, lang):
    """ODA by policy area (with the chart) and climate finance, YEAR_FROM–YEAR_TO."""
    _run(ExportKind.ODA_SUMMARY, year_to, _out_path(out), params={"year_from": year_from, "year_to": year_to},
         language=lang)


@export_cli.command("budget-execution")
@click.option("--from", "year_from", type=int, required=True, help="First year.")
@click.option("--to", "year_to", type=int, help="Last year (default: the first).")
@click.option("--out", required=True, help="The .xlsx file to write.")
@language_option("Language of the workbook")
def export_budget_execution(year_from, year_to, out, lang):
    """Planned vs committed vs disbursed per programme and year, by partner country."""
    year_to = year_to or year_from
    _run(ExportKind.BUDGET_EXECUTION, year_to, _out_path(out), params={"year_from": year_from, "year_to": year_to},
         language=lang)


@export_cli.command("drafts")
@click.option("--year", type=int, help="Only this reporting year.")
def list_drafts(year):
    """The CRS drafts kept, with their SHA-256."""
    rows = runs.crs_drafts(get_session(), year)
    if not rows:
        click.echo("no CRS drafts yet")
    for run in rows:
        click.echo(f"{run.id:>6}  {run.year}  {run.finished_at:%Y-%m-%d %H:%M}  {run.sha256}  {run.requested_by}")


@export_cli.command("crs-diff")
@click.option("--year", type=int, required=True, help="Reporting year.")
@click.option("--from", "from_id", type=click.IntRange(1, MAX_INT), help="The older final export's id (with --to).")
@click.option("--to", "to_id", type=click.IntRange(1, MAX_INT), help="The newer final export's id (with --from).")
@click.option("--out", required=True, help="The .xlsx file to write (sheet Changes).")
@language_option("Language of the sheet Changes")
def crs_diff_command(year, from_id, to_id, out, lang):
    """Rows added, removed and changed between the two latest finals of YEAR (or two given
    exports), per column with old and new values. Exit 1 when they cannot be compared."""
    path = _out_path(out)
    try:
        diff = revisions.crs_diff(get_session(), runs.check_year(year), from_id, to_id)
    except runs.ExportError as exc:
        raise click.ClickException(exc.message) from None
    with speaking(lang):
        revisions.write_diff(diff, path)
    click.echo(f"CRS {year}: final {diff.old.id} (sha256 {diff.old.sha256[:12]}…) → final {diff.new.id} "
               f"(sha256 {diff.new.sha256[:12]}…): {diff.count('added')} added, {diff.count('removed')} removed, "
               f"{diff.count('changed')} changed")
    click.echo(f"wrote {path}")


@export_cli.command("submissions")
@click.option("--year", type=click.IntRange(runs.FIRST_YEAR, runs.LAST_YEAR), help="Only this reporting year.")
def list_submissions(year):
    """The submitted finals (every file kept with its SHA-256) and whether each year is locked."""
    rows = submission.submissions(get_session(), year)
    if not rows:
        click.echo("no CRS submissions yet")
    for s in rows:
        state = (f"reopened {s.reopened_at:%Y-%m-%d} by {s.reopened_by}: {s.reopen_reason}" if s.reopened_at
                 else "submitted (locked)")
        click.echo(f"{s.year}  export {s.run_id}  revision {s.revision}  {s.submitted_at:%Y-%m-%d %H:%M}  "
                   f"{s.sha256}  reference v{s.reference_version}  {state}")


@export_cli.command("reopen")
@click.option("--year", type=click.IntRange(runs.FIRST_YEAR, runs.LAST_YEAR), required=True,
              help="The submitted year to reopen.")
@click.option("--reason", required=True, help="Why the year is reopened (kept in the event).")
@click.option("--by", "email", required=True, help="The ODA officer reopening it (a user's e-mail).")
def reopen_command(year, reason, email):
    """Reopen a submitted YEAR: changes are allowed again; the next final is a revision."""
    set_actor(f"cli:{email}")
    try:
        with unit_of_work() as session:
            found = submission.reopen_year(session, year, reason, get_user_by_email(session, email))
            run_id = found.run_id
    except ValidationError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"{year} reopened (was final export {run_id}); the next final export is a revision")


@export_cli.command("iati")
@click.option("--programmes", "programme_codes", multiple=True, metavar="CODE",
              help="Only these programmes (repeat the option or separate codes by commas); default: all.")
@click.option("--out", required=True, help="The activity file to write (.xml).")
@click.option("--organisation", help="The organisation file to write (.xml); default: beside --out, "
                                     "its name ending in -organisation.xml.")
@click.option("--json", "as_json", is_flag=True, help="Print the validation report as JSON.")
def export_iati(programme_codes, out, organisation, as_json):
    """The IATI 2.03 activity and organisation files, validated before they are put in place.

    Exit 0: both files written, no validation errors (warnings may be listed); 1: validation
    errors, nothing written; 2: a wrong option or setting."""
    from exports.cli_iati import run_iati_export

    run_iati_export(programme_codes, out, organisation, as_json)
