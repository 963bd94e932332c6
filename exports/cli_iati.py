"""``flask --app wsgi export iati``: both IATI files, validated, moved into place only when valid.

The files are written in a temporary folder beside ``--out`` and moved into place (an
atomic rename on one file system) only when the validation finds no error, so a
registry fetching ``--out`` never sees an invalid or half-written file.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import click
from flask_babel import gettext as _

from app.db import get_session
from exports.iati.identity import IatiSetupError
from exports.iati.queries import unknown_programmes
from exports.services.iati import build_iati_files

USAGE = 2


def _xml_path(value: str, option: str) -> Path:
    path = Path(value)
    if path.suffix.lower() != ".xml":
        raise click.BadParameter(_("the file name must end in .xml"), param_hint=option)
    if not path.parent.exists():
        raise click.BadParameter(_("no directory %(directory)s", directory=path.parent), param_hint=option)
    return path


def _codes(values) -> list[str]:
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


def run_iati_export(programme_codes, out: str, organisation: str | None, as_json: bool) -> None:
    out_path = _xml_path(out, "--out")
    organisation_path = _xml_path(organisation, "--organisation") if organisation else out_path.with_name(
        f"{out_path.stem}-organisation.xml")
    if organisation_path.resolve() == out_path.resolve():
        raise click.BadParameter(_("the two files need different names"), param_hint="--organisation")
    session = get_session()
    codes = _codes(programme_codes)
    unknown = unknown_programmes(session, codes)
    if unknown:
        raise click.BadParameter(_("no programme %(codes)s", codes=", ".join(unknown)), param_hint="--programmes")
    folder = Path(tempfile.mkdtemp(prefix=".iati-", dir=out_path.parent))
    try:
        try:
            files = build_iati_files(session, folder, codes or None, schema_dir=None)
        except IatiSetupError as exc:
            raise click.UsageError(str(exc)) from None
        report = files.report
        valid = report.ok
        if valid:
            os.replace(files.activities, out_path)
            os.replace(files.organisation, organisation_path)
        _print(files, report, out_path, organisation_path, valid, as_json)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if not valid:
        sys.exit(1)


def _print(files, report, out_path: Path, organisation_path: Path, valid: bool, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({
            "written": valid, "activities_file": str(out_path) if valid else None,
            "organisation_file": str(organisation_path) if valid else None, "activities": files.activity_count,
            "transactions": files.transaction_count, "report": report.as_dict(),
        }, indent=2))
        return
    for finding in report.findings:
        click.echo(_("%(severity)s %(rule)s %(activity)s: %(message)s (%(path)s)",
                     severity=_("error") if finding.severity == "error" else _("warning"), rule=finding.rule_id,
                     activity=finding.identifier or _("the file"), message=finding.message, path=finding.path))
    click.echo(_("%(errors)d errors, %(warnings)d warnings", errors=len(report.errors),
                 warnings=len(report.warnings)))
    if valid:
        click.echo(_("wrote %(activities)s (%(count)d activities, %(transactions)d transactions) and "
                     "%(organisation)s", activities=out_path, count=files.activity_count,
                     transactions=files.transaction_count, organisation=organisation_path))
    else:
        click.echo(_("nothing written: the files have validation errors"), err=True)
