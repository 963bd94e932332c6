"""Publishing the IATI files: build both, validate them, keep them with their SHA-256 and
report, and publish them only when the validation found no error.

A publication writes the activity and the organisation file into a temporary folder
(``build_iati_files``), stores each file once per SHA-256 (``exports_iati_contents``) with a
row in ``exports_iati_files``, and publishes one ``IatiFilePublished`` event per file, in
the caller's transaction. A validation error in either file refuses both: the rows are
kept with ``published`` false so the IATI tab shows what to fix, the public URLs keep
serving the previous publication.
"""
from __future__ import annotations

import hashlib
import io
import tempfile
import uuid
from pathlib import Path
from typing import Callable, NamedTuple

from flask import current_app
from flask_babel import gettext, ngettext
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import utcnow
from app.errors import ValidationError
from app.events import publish
from exports.models import IatiContent, IatiFile, IatiKind

IATI_FILE_PUBLISHED = "IatiFilePublished"
TRIGGERS = ("browser", "api", "schedule")
XML = "application/xml"
#: findings kept per file: the page and the API show them; the counts stay exact beyond it
MAX_FINDINGS = 2000
#: where each file names its reporting organisation
ORGANISATION_TAGS = {IatiKind.ACTIVITIES: "reporting-org", IatiKind.ORGANISATION: "organisation-identifier"}
ERROR, WARNING = "error", "warning"
#: the longest organisation identifier kept (exports_iati_files.organisation_ref)
MAX_REF = 120


class Publication(NamedTuple):
    """What one ``publish_iati`` made: its files (activities first) and whether they are public."""

    batch: str
    files: tuple[IatiFile, ...]
    published: bool
    #: why the files were not published (None when they were)
    refusal: str | None


class BuiltFile(NamedTuple):
    kind: str
    content: bytes
    report: dict


def publish_iati(session: Session, triggered_by: str, *, trigger: str = "schedule",
                 programme_codes: list[str] | None = None) -> Publication:
    """Build, validate and store the activity and organisation files; publish them when valid.

    ``triggered_by``: the user's e-mail address or the job's id. Never commits: the files,
    their rows and the events commit with the caller's unit of work, so a refused
    publication's report is kept too (``Publication.refusal`` says why it was refused).
    """
    if trigger not in TRIGGERS:
        raise ValidationError(f"unknown trigger {trigger!r}", "trigger")
    built, counts = _build(session, programme_codes)
    errors = sum(file.report["errors"] for file in built)
    batch, published = uuid.uuid4().hex, errors == 0
    organisation_ref = _organisation_ref(built)
    files = tuple(_store(session, file, batch=batch, organisation_ref=organisation_ref, published=published,
                         counts=counts, trigger=trigger, triggered_by=triggered_by) for file in built)
    session.flush()
    if published:
        for row in files:
            _announce(session, row)
    return Publication(batch, files, published, None if published else refusal_message(errors))


def refusal_message(errors: int) -> str:
    return ngettext("The IATI files were not published: the validation found %(num)d error. The report is "
                    "kept on the IATI tab; the public files stay those of the last publication.",
                    "The IATI files were not published: the validation found %(num)d errors. The report is "
                    "kept on the IATI tab; the public files stay those of the last publication.", errors)


def published_message(publication: Publication) -> str:
    activities = publication.files[0]
    return gettext("IATI files published: %(activities)s activities, %(transactions)s transactions.",
                   activities=activities.activity_count, transactions=activities.transaction_count)


class Counts(NamedTuple):
    activities: int
    transactions: int


class IatiTools(NamedTuple):
    """The IATI writer and validator this service drives (exports/services/iati.py, exports/iati/)."""

    build_files: Callable
    validate_file: Callable
    schema_dir: Path


def _tools() -> IatiTools:
    from exports.iati.validation import iati_schema_dir, validate_iati_file
    from exports.services.iati import build_iati_files

    return IatiTools(build_iati_files, validate_iati_file, iati_schema_dir(current_app.config))


def _build(session: Session, programme_codes) -> tuple[list[BuiltFile], Counts]:
    """Both files written by the IATI writer into a temporary folder, read back with their reports
    (the writer's own report is used for the file it covers; the other file is validated here)."""
    tools = _tools()
    with tempfile.TemporaryDirectory(prefix="aidledger-iati-") as folder:
        made = tools.build_files(session, Path(folder), programme_codes, schema_dir=tools.schema_dir)
        ready = {made.report.kind: made.report} if made.report is not None else {}
        built = []
        for kind, path in ((IatiKind.ACTIVITIES, made.activities), (IatiKind.ORGANISATION, made.organisation)):
            report = ready.get(kind) or tools.validate_file(session, path, kind, tools.schema_dir)
            built.append(BuiltFile(kind, Path(path).read_bytes(), report_json(report)))
    return built, Counts(made.activity_count, made.transaction_count)


def report_json(report) -> dict:
    """A ValidationReport as the row keeps it: counts exact, the first MAX_FINDINGS findings."""
    findings = list(report.findings)
    return {"kind": report.kind, "checked": _jsonable(report.checked),
            "errors": sum(1 for f in findings if f.severity == ERROR),
            "warnings": sum(1 for f in findings if f.severity == WARNING),
            "findings": [_finding_json(f) for f in findings[:MAX_FINDINGS]],
            "truncated": len(findings) > MAX_FINDINGS}


def _finding_json(finding) -> dict:
    return {name: _jsonable(getattr(finding, name, None))
            for name in ("severity", "rule_id", "message", "identifier", "path", "link")}


def _jsonable(value):
    return value if value is None or isinstance(value, (str, int, float, bool, list, dict)) else str(value)


def _organisation_ref(built: list[BuiltFile]) -> str:
    """The reporting organisation's identifier as the files name it (organisation file first:
    an activity file without activities names nobody)."""
    for file in sorted(built, key=lambda f: f.kind != IatiKind.ORGANISATION):
        ref = reporting_organisation(file.content, file.kind)
        if ref:
            return ref[:MAX_REF]
    raise ValidationError(gettext("The IATI files name no reporting organisation."), "organisation")


def reporting_organisation(content: bytes, kind: str) -> str | None:
    """The first reporting-org/@ref (activities) or organisation-identifier (organisation),
    read incrementally: the parse stops at that element, near the top of the file."""
    tag = ORGANISATION_TAGS[kind]
    try:
        for _event, element in etree.iterparse(io.BytesIO(content), events=("end",), tag=tag,
                                               resolve_entities=False, no_network=True, huge_tree=True):
            value = element.get("ref") if kind == IatiKind.ACTIVITIES else element.text
            return (value or "").strip() or None
    except etree.XMLSyntaxError:
        return None
    return None


def _store(session: Session, file: BuiltFile, *, batch: str, organisation_ref: str, published: bool,
           counts: Counts, trigger: str, triggered_by: str) -> IatiFile:
    sha256 = hashlib.sha256(file.content).hexdigest()
    if session.get(IatiContent, sha256) is None:
        session.add(IatiContent(sha256=sha256, content=file.content))
    row = IatiFile(batch=batch, kind=file.kind, organisation_ref=organisation_ref, sha256=sha256,
                   size_bytes=len(file.content), created_at=utcnow(), published=published,
                   activity_count=counts.activities, transaction_count=counts.transactions,
                   error_count=file.report["errors"], warning_count=file.report["warnings"], report=file.report,
                   trigger=trigger, triggered_by=triggered_by[:120])
    session.add(row)
    return row


def _announce(session: Session, row: IatiFile) -> None:
    publish(session, IATI_FILE_PUBLISHED, "IatiFile", row.id, {
        "kind": row.kind, "sha256": row.sha256, "size_bytes": row.size_bytes,
        "organisation_ref": row.organisation_ref, "activity_count": row.activity_count,
        "transaction_count": row.transaction_count, "warning_count": row.warning_count,
        "trigger": row.trigger, "triggered_by": row.triggered_by})


# --- reading ----------------------------------------------------------------------------------


def latest_published(session: Session, kind: str, organisation_ref: str) -> IatiFile | None:
    """The file a registry fetches: the newest published one of ``kind`` for the organisation."""
    return session.scalar(select(IatiFile).where(
        IatiFile.kind == kind, IatiFile.organisation_ref == organisation_ref, IatiFile.published.is_(True))
        .order_by(IatiFile.id.desc()).limit(1))


def recent_files(session: Session, limit: int = 24) -> list[IatiFile]:
    """The files of the latest publications (published or refused), newest first."""
    return list(session.scalars(select(IatiFile).order_by(IatiFile.id.desc()).limit(limit)))


def latest_attempt(session: Session) -> list[IatiFile]:
    """The files of the last publication attempt (its report is the one to read), activities first."""
    newest = session.scalar(select(IatiFile.batch).order_by(IatiFile.id.desc()).limit(1))
    if newest is None:
        return []
    return list(session.scalars(select(IatiFile).where(IatiFile.batch == newest).order_by(IatiFile.id)))


def get_file(session: Session, file_id: int) -> IatiFile | None:
    return session.get(IatiFile, file_id)


def file_content(session: Session, row: IatiFile) -> bytes:
    return session.scalar(select(IatiContent.content).where(IatiContent.sha256 == row.sha256))


def public_name(row: IatiFile) -> str:
    """``<organisation-id>-activities.xml``: the file name of the stable public URL."""
    return f"{row.organisation_ref}-{row.kind}.xml"


def parse_public_name(name: str) -> tuple[str, str] | None:
    """(organisation_ref, kind) from a public file name, or None when it names no IATI file."""
    for kind in IatiKind.ALL:
        suffix = f"-{kind}.xml"
        if name.endswith(suffix) and len(suffix) < len(name) <= MAX_REF + len(suffix):
            return name[:-len(suffix)], kind
    return None
