"""``flask --app wsgi reference …`` and ``flask --app wsgi oda …``."""
from __future__ import annotations

import json
import re

import click
from flask.cli import AppGroup

from app.db import unit_of_work
from app.events.bus import set_actor
from app.web import language_option

reference_cli = AppGroup("reference", help="OECD DAC/CRS reference data: code lists, DAC List, Annex 2, rates.")
oda_cli = AppGroup("oda", help="ODA classification.")


def _years(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    match = re.fullmatch(r"\s*(\d{4})\s*(?:-|–|\.\.)\s*(\d{4})\s*|\s*(\d{4})\s*", value)
    if not match:
        raise click.BadParameter("give a year or a range such as 2024-2025", param_hint="--list-years")
    first, last = (int(match.group(3)),) * 2 if match.group(3) else (int(match.group(1)), int(match.group(2)))
    if last < first or not (1990 <= first <= 2100):
        raise click.BadParameter("the range must run forward, between 1990 and 2100", param_hint="--list-years")
    return first, last


@reference_cli.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=True, file_okay=True))
@click.option("--list-years", help="Reporting years of a DAC List loaded without its workbook, e.g. 2024-2025.")
def load_cmd(path, list_years):
    """Load official files: IATI code-list XML, DAC CSV/XLS, IMF rates (a file or a folder).

    The curated subset shipped with Aidledger is loaded first: it covers the years and
    organisations the official files do not; the official files take precedence."""
    from oda.reference.services import LoadError, load_reference_path

    set_actor("cli:reference-load")
    try:
        with unit_of_work() as session:
            report = load_reference_path(session, path, _years(list_years))
    except LoadError as exc:
        raise click.ClickException(f"nothing was loaded: {exc}") from None
    click.echo("curated subset shipped with Aidledger (fills what the official files do not cover):")
    _print_report(report.curated)
    click.echo(f"official files from {path}:")
    _print_report(report)


@reference_cli.command("load-curated")
def load_curated_cmd():
    """Load the curated subset shipped with the application (never overwrites official data)."""
    from oda.reference.services import load_curated

    set_actor("cli:reference-load")
    with unit_of_work() as session:
        report = load_curated(session)
    _print_report(report)


@reference_cli.command("status")
def status_cmd():
    """What is loaded: rows per list, latest version, when and from where."""
    from app.db import get_session
    from oda.reference.services import loaded_lists

    for item in loaded_lists(get_session()):
        latest = item["latest"]
        when = f"version {latest.id}, {latest.origin}, {latest.loaded_at:%Y-%m-%d %H:%M} UTC, {latest.source}" \
            if latest else "never loaded"
        click.echo(f"{item['name']:<24} {item['rows']:>6} rows  {when}")


def _print_report(report) -> None:
    for name, reason in report.skipped:
        click.echo(f"skipped {name}: {reason}")
    for result in report.results:
        counts = result.counts()
        state = f"version {result.reference_set_id}" if result.changed else "unchanged"
        click.echo(f"{result.list_name:<24} {state:<12} inserted {counts['inserted']}, updated {counts['updated']}, "
                   f"unchanged {counts['unchanged']}, kept official {counts['kept_official']}")


@oda_cli.command("classify")
@click.option("--year", type=click.IntRange(1990, 2100), help="Only flows of this reporting year.")
@click.option("--all", "everything", is_flag=True, help="Reclassify everything, not only pending work.")
def classify_cmd(year, everything):
    """Classify pending transactions (or --all), in bulk; prints the counts."""
    from oda.services.classify import classify

    set_actor("cli:oda-classify")
    with unit_of_work() as session:
        counts = classify(session, year=year, everything=everything)
    click.echo(json.dumps(counts))


@oda_cli.command("deadline")
@click.argument("year", type=click.IntRange(1990, 2100))
@click.argument("deadline", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--remind-days", type=click.IntRange(1, 365), default=30, show_default=True)
def deadline_cmd(year, deadline, remind_days):
    """Set the reporting deadline of YEAR's flows (YYYY-MM-DD)."""
    from app.errors import ValidationError
    from oda.services.deadlines import set_deadline

    set_actor("cli:oda-deadline")
    try:
        with unit_of_work() as session:
            set_deadline(session, year, deadline.date(), remind_days)
    except ValidationError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"reporting deadline for {year} flows: {deadline:%Y-%m-%d} (reminders {remind_days} days ahead)")


@oda_cli.command("year-status")
@click.option("--year", "year_text", help="Reporting year (default: the current one, last calendar year).")
@click.option("--json", "as_json", is_flag=True, help="JSON (schema in docs/oda.md) instead of a table.")
@language_option("Language of the table")
def year_status_cmd(year_text, as_json, lang):
    """What blocks the final CRS file of a year, with totals and progress.

    Exit status: 0 when nothing blocks the final file, 1 while something does, 2 for a bad year."""
    from app.db import get_session
    from app.web import speaking
    from app.errors import ValidationError
    from oda.schemas import YearStatusSchema
    from oda.services.rates_check import current_reporting_year
    from oda.services.year_status import checked_year, year_status
    from oda.year_close import status_data

    try:
        year = checked_year(year_text if year_text is not None else current_reporting_year())
    except ValidationError as exc:
        raise click.BadParameter(exc.message, param_hint="--year") from None
    status = year_status(get_session(), year)
    with speaking(lang):
        data = status_data(status)
        click.echo(json.dumps(YearStatusSchema().dump(data), indent=2) if as_json else _status_table(data))
    click.get_current_context().exit(0 if status.ready else 1)


def _status_table(data: dict) -> str:
    from flask_babel import gettext as _

    from app.web.filters import money, number, percent

    totals, progress = data["totals"], data["progress"]
    lines = [_("Year close %(year)s", year=data["year"]), ""]
    width = max(len(item["title"]) for item in data["items"]) + 2
    for item in data["items"]:
        mark = _("BLOCKS") if item["blocks"] else (_("note") if item["count"] else _("ok"))
        lines.append(f"{mark:<8} {item['title']:<{width}} {number(item['count']):>8}  "
                     f"{item['fix'] if item['count'] else ''}")
        lines += [f"{'':<8}   {example['label']}" for example in item["examples"]]
    lines += ["", f"{_('ODA')}: {money(totals['oda'])}   {_('Not ODA')}: {money(totals['not_oda'])}   "
                  f"{_('Open')}: {money(totals['open'])}",
              f"{_('Lines decided')}: {percent(progress['lines_share'])} "
              "(" + _("%(done)s of %(all)s lines", done=number(progress["lines_decided"]),
                      all=number(progress["lines"])) + ")",
              f"{_('Amount decided')}: {percent(progress['amount_share'])}", "",
              _("Nothing blocks the final CRS file of %(year)s.", year=data["year"]) if data["ready"] else
              _("The final CRS file of %(year)s is blocked by: %(kinds)s.", year=data["year"],
                kinds=", ".join(item["title"] for item in data["items"] if item["blocks"]))]
    return "\n".join(lines)
