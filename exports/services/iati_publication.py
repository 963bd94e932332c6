"""Publishing the IATI files: build and validate both, keep them with their SHA-256 and the
report, and publish them only when the validation found no error.

A publication asks the IATI writer (``build_iati_files``) for the activity and the
organisation file in a temporary folder, with the validation report of both; it stores
each file once per SHA-256 (``exports_iati_contents``), one ``exports_iati_files`` row per
file and one ``exports_iati_publications`` row with the report, and publishes one
``IatiFilePublished`` event per file, all in the caller's transaction. An error in either
file refuses both: the publication is kept with ``published`` false so the IATI tab shows
what to fix, and the public URLs keep serving the previous publication.
"""
from __future__ import annotations

import hashlib
import io
import re
import tempfile
from pathlib import Path
from typing import Callable, NamedTuple

from flask_babel import gettext, ngettext
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import utcnow
from app.errors import ValidationError
from app.messages import message_of, render
from app.sql import dialect_insert
from app.events import publish
from exports.models import IatiContent, IatiFile, IatiKind, IatiPublication
from exports.services.iati import build_iati_files

IATI_FILE_PUBLISHED = "IatiFilePublished"
TRIGGERS = ("browser", "api", "schedule")
XML = "application/xml"
#: findings kept per publication: the page and the API show them; the counts stay exact beyond it
MAX_FINDINGS = 2000
#: the element that names the reporting organisation in each file
ORGANISATION_TAGS = {IatiKind.ACTIVITIES: "reporting-org", IatiKind.ORGANISATION: "organisation-identifier"}
ERROR, WARNING = "error", "warning"
#: the longest organisation identifier kept (exports_iati_publications.organisation_ref)
MAX_REF = 120
#: a public file name: an organisation identifier (letters, digits, ".", "_", "-": what IATI
#: identifiers may hold) and the kind; anything else names nothing, before any query
PUBLIC_NAME = re.compile(rf"(?P<ref>[A-Za-z0-9._-]{{1,{MAX_REF}}})-(?P<kind>{'|'.join(IatiKind.ALL)})\.xml")


class Publication(NamedTuple):
    """What one ``publish_iati`` made (its files in ``row.files``), and why it was refused
    (None when it was published)."""

    row: IatiPublication
    refusal: str | None

    @property
    def published(self) -> bool:
        return self.row.published


class BuiltFiles(NamedTuple):
    """The writer's two files, read back: {kind: bytes}, the report, the counts."""

    contents: dict[str, bytes]
    report: dict
    activities: int
    transactions: int


def publish_iati(session: Session, triggered_by: str, *, trigger: str = "schedule") -> Publication:
    """Build, validate and store the activity and organisation files; publish them when valid.

    ``triggered_by``: the user's e-mail address or the job's id. Never commits: the files,
    their rows and the events commit with the caller's unit of work, so a refused
    publication's report is kept too (``Publication.refusal`` says why it was refused).
    """
    if trigger not in TRIGGERS:
        raise ValidationError(f"unknown trigger {trigger!r}", "trigger")
    built = _build(session)
    report = built.report
    row = IatiPublication(created_at=utcnow(), published=report["validated"] and report["errors"] == 0,
                          organisation_ref=_organisation_ref(built.contents), activity_count=built.activities,
                          transaction_count=built.transactions, error_count=report["errors"],
                          warning_count=report["warnings"], report=report, trigger=trigger,
                          triggered_by=triggered_by[:120])
    for kind, content in built.contents.items():
        _store(session, row, kind, content)
    session.add(row)
    session.flush()
    if row.published:
        for file in row.files:
            _announce(session, row, file)
    return Publication(row, None if row.published else refusal_message(row))


def refusal_message(row: IatiPublication) -> str:
    if not row.report.get("validated"):
        return gettext("The IATI files were not published: they could not be validated (the IATI validation "
                       "is not installed).")
    return ngettext("The IATI files were not published: the validation found %(num)d error. The report is "
                    "kept on the IATI tab; the public files stay those of the last publication.",
                    "The IATI files were not published: the validation found %(num)d errors. The report is "
                    "kept on the IATI tab; the public files stay those of the last publication.", row.error_count)


def published_message(publication: Publication) -> str:
    return gettext("IATI files published: %(activities)s activities, %(transactions)s transactions.",
                   activities=publication.row.activity_count, transactions=publication.row.transaction_count)


def _build(session: Session) -> BuiltFiles:
    """Both files written and validated by the IATI writer in a temporary folder, read back.
    The writer validates against the installation's schemas (AIDLEDGER_IATI_SCHEMA_DIR)."""
    with tempfile.TemporaryDirectory(prefix="aidledger-iati-") as folder:
        made = build_iati_files(session, Path(folder), None, schema_dir=None)
        contents = {IatiKind.ACTIVITIES: Path(made.activities).read_bytes(),
                    IatiKind.ORGANISATION: Path(made.organisation).read_bytes()}
    return BuiltFiles(contents, report_json(made.report), made.activity_count, made.transaction_count)


def report_json(report) -> dict:
    """A ValidationReport as the publication keeps it: counts exact, the first MAX_FINDINGS
    findings; ``validated`` false when there was no report (the validation not installed)."""
    findings = list(report.findings) if report is not None else []
    return {"validated": report is not None, "checked": report.checked if report is not None else 0,
            "errors": sum(1 for f in findings if f.severity == ERROR),
            "warnings": sum(1 for f in findings if f.severity == WARNING),
            "findings": [_finding_json(f) for f in findings[:MAX_FINDINGS]],
            "truncated": len(findings) > MAX_FINDINGS}


def _finding_json(finding) -> dict:
    """A finding as the report keeps it: Aidledger's own sentence as its message (msgid and
    parameters, said in the reader's language by ``finding_text``), the ruleset's as its text."""
    kept = {name: getattr(finding, name) for name in ("severity", "rule_id", "identifier", "path", "link")}
    return {**kept, "message": message_of(finding.message)}


def finding_text(finding: dict, translate: Callable[[str], str] | None = None) -> str:
    """A kept finding's sentence in the language of ``translate`` (gettext; None: English); a
    report kept before findings were messages holds the sentence itself, shown as it is."""
    return str(render(finding.get("message"), translate))


def _organisation_ref(contents: dict[str, bytes]) -> str:
    """The reporting organisation's identifier as the files name it (the organisation file first:
    an activity file without activities names nobody)."""
    for kind in (IatiKind.ORGANISATION, IatiKind.ACTIVITIES):
        ref = reporting_organisation(contents[kind], kind)
        if ref:
            return ref[:MAX_REF]
    raise ValidationError(gettext("The IATI files name no reporting organisation."), "organisation")


def reporting_organisation(content: bytes, kind: str) -> str | None:
    """The first reporting-org/@ref (activities) or organisation-identifier (organisation),
    read incrementally: the parse stops at that element, near the top of the file."""
    try:
        for _event, element in etree.iterparse(io.BytesIO(content), events=("end",), tag=ORGANISATION_TAGS[kind],
                                               resolve_entities=False, no_network=True, huge_tree=True):
            value = element.get("ref") if kind == IatiKind.ACTIVITIES else element.text
            return (value or "").strip() or None
    except etree.XMLSyntaxError:
        return None
    return None


def _store(session: Session, publication: IatiPublication, kind: str, content: bytes) -> None:
    """The file joins the publication; its bytes are added unless the same bytes are kept already
    (ON CONFLICT DO NOTHING: a publication made at the same moment may store them first)."""
    sha256 = hashlib.sha256(content).hexdigest()
    session.execute(dialect_insert(session, IatiContent.__table__).values(sha256=sha256, content=content)
                    .on_conflict_do_nothing(index_elements=["sha256"]))
    publication.files.append(IatiFile(kind=kind, sha256=sha256, size_bytes=len(content)))


def _announce(session: Session, publication: IatiPublication, file: IatiFile) -> None:
    publish(session, IATI_FILE_PUBLISHED, "IatiFile", file.id, {
        "publication_id": publication.id, "kind": file.kind, "sha256": file.sha256, "size_bytes": file.size_bytes,
        "organisation_ref": publication.organisation_ref, "activity_count": publication.activity_count,
        "transaction_count": publication.transaction_count, "warning_count": publication.warning_count,
        "trigger": publication.trigger, "triggered_by": publication.triggered_by})


# --- reading ----------------------------------------------------------------------------------


class ServedFile(NamedTuple):
    """A published file as the public URL serves it."""

    file: IatiFile
    publication: IatiPublication


def latest_published(session: Session, kind: str, organisation_ref: str) -> ServedFile | None:
    """The file a registry fetches: of the newest published publication for the organisation."""
    found = session.execute(
        select(IatiFile, IatiPublication).join(IatiPublication, IatiFile.publication_id == IatiPublication.id)
        .where(IatiFile.kind == kind, IatiPublication.organisation_ref == organisation_ref,
               IatiPublication.published.is_(True))
        .order_by(IatiPublication.id.desc()).limit(1)).first()
    return ServedFile(*found) if found else None


def recent_publications(session: Session, limit: int = 12) -> list[IatiPublication]:
    """The latest publications (published or refused), newest first."""
    return list(session.scalars(select(IatiPublication).order_by(IatiPublication.id.desc()).limit(limit)))


def latest_publication(session: Session) -> IatiPublication | None:
    """The last attempt: its report is the one to read."""
    return session.scalar(select(IatiPublication).order_by(IatiPublication.id.desc()).limit(1))


def get_file(session: Session, file_id: int) -> ServedFile | None:
    file = session.get(IatiFile, file_id)
    return None if file is None else ServedFile(file, session.get(IatiPublication, file.publication_id))


def file_content(session: Session, file: IatiFile) -> bytes:
    return session.scalar(select(IatiContent.content).where(IatiContent.sha256 == file.sha256))


def public_name(organisation_ref: str, kind: str) -> str:
    """``<organisation-id>-activities.xml``: the file name of the stable public URL."""
    return f"{organisation_ref}-{kind}.xml"


def parse_public_name(name: str) -> tuple[str, str] | None:
    """(organisation_ref, kind) from a public file name, or None when it names no IATI file."""
    match = PUBLIC_NAME.fullmatch(name)
    return (match["ref"], match["kind"]) if match else None
