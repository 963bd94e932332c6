"""``flask --app wsgi export …``: the CRS workbook and the yearly reports from the command line."""
from __future__ import annotations

import getpass
from pathlib import Path

import click
from flask.cli import AppGroup

from app.db import get_db, get_session, unit_of_work
from app.events.bus import set_actor
from exports.models import ExportKind, RunStatus
from exports.services import runs
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


def _run(kind: str, year: int | None, out: str, final: bool = False, params: dict | None = None):
    """Record the run, produce the file (progress on stderr), copy it to ``out``."""
    actor = _actor()
    set_actor(actor)
    try:
        with unit_of_work() as session:
            if final:
                check_final(session, year)
            run = runs.new_run(session, kind, year, requested_by=actor, trigger="cli", final=final, params=params,
                               status=RunStatus.RUNNING)
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
def export_crs(year, out, final):
    """The OECD CRS workbook of YEAR (sheets CRS, Not ODA, Needs review, Summary, Metadata)."""
    run = _run(ExportKind.CRS, year, _out_path(out), final=final)
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
def export_oda_summary(year_from, year_to, out):
    """ODA by policy area (with the chart) and climate finance, YEAR_FROM–YEAR_TO."""
    _run(ExportKind.ODA_SUMMARY, year_to, _out_path(out), params={"year_from": year_from, "year_to": year_to})


@export_cli.command("budget-execution")
@click.option("--from", "year_from", type=int, required=True, help="First year.")
@click.option("--to", "year_to", type=int, help="Last year (default: the first).")
@click.option("--out", required=True, help="The .xlsx file to write.")
def export_budget_execution(year_from, year_to, out):
    """Planned vs committed vs disbursed per programme and year, by partner country."""
    year_to = year_to or year_from
    _run(ExportKind.BUDGET_EXECUTION, year_to, _out_path(out), params={"year_from": year_from, "year_to": year_to})


@export_cli.command("drafts")
@click.option("--year", type=int, help="Only this reporting year.")
def list_drafts(year):
    """The CRS drafts kept, with their SHA-256."""
    rows = runs.crs_drafts(get_session(), year)
    if not rows:
        click.echo("no CRS drafts yet")
    for run in rows:
        click.echo(f"{run.id:>6}  {run.year}  {run.finished_at:%Y-%m-%d %H:%M}  {run.sha256}  {run.requested_by}")
