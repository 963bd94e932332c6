"""The IATI tab of the Exports page (publications, validation report, "Publish now") and the
public URLs a registry fetches: ``/iati/<organisation-id>-activities.xml`` and
``…-organisation.xml``, the latest published file, read-only, without login."""
from __future__ import annotations

from typing import NamedTuple

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for

from app.auth.guards import public, require
from app.auth.roles import Permission
from app.db import get_session, unit_of_work
from app.errors import ValidationError
from exports.models import IatiFile, IatiKind
from exports.services import iati_publication as iati
from exports.views import bp

public_bp = Blueprint("iati_public", __name__, url_prefix="/iati")
#: a registry asks again each time; the ETag answers "unchanged" without the bytes
PUBLIC_CACHE = "public, no-cache"


class ActivityFindings(NamedTuple):
    """The findings of one activity (or of the file as a whole: ``code`` None)."""

    identifier: str | None
    code: str | None
    findings: list[dict]


def findings_by_activity(row: IatiFile, severity: str) -> list[ActivityFindings]:
    """The report's findings of ``severity`` grouped per iati-identifier, in the file's order;
    ``code`` is the activity code (the identifier after the organisation's), for the fix link."""
    groups: dict[str | None, list[dict]] = {}
    for finding in (row.report or {}).get("findings", []):
        if finding.get("severity") == severity:
            groups.setdefault(finding.get("identifier"), []).append(finding)
    prefix = f"{row.organisation_ref}-"
    return [ActivityFindings(identifier, identifier[len(prefix):] if identifier and identifier.startswith(prefix)
                             and row.kind == IatiKind.ACTIVITIES else None, found)
            for identifier, found in groups.items()]


@bp.route("/iati")
@require(Permission.VIEW_ODA_STATUS)
def iati_tab():
    session = get_session()
    attempt = iati.latest_attempt(session)
    return render_template("exports/iati.html", attempt=attempt, files=iati.recent_files(session),
                           public_files=_public_files(session, attempt), findings_by_activity=findings_by_activity,
                           may_publish=g.user.can(Permission.EXPORT_REPORTS))


def _public_files(session, attempt: list[IatiFile]) -> list[IatiFile]:
    """What the public URLs serve now, for the organisation of the latest attempt."""
    if not attempt:
        return []
    ref = attempt[0].organisation_ref
    return [found for kind in IatiKind.ALL
            if (found := iati.latest_published(session, kind, ref)) is not None]


@bp.route("/iati", methods=["POST"])
@require(Permission.EXPORT_REPORTS)
def publish_now():
    """Build, validate and (when valid) publish the IATI files now; the report shows either way."""
    try:
        with unit_of_work() as session:
            publication = iati.publish_iati(session, g.user.email, trigger="browser")
            message = iati.published_message(publication) if publication.published else publication.refusal
    except ValidationError as exc:
        flash(exc.message, "error")
        return redirect(url_for("exports.iati_tab"))
    flash(message, "success" if publication.published else "error")
    return redirect(url_for("exports.iati_tab", _anchor="report"))


@bp.route("/iati/files/<id:file_id>")
@require(Permission.VIEW_ODA_STATUS)
def iati_download(file_id: int):
    """Any kept IATI file, published or refused (a refused one, to read what the report says)."""
    session = get_session()
    row = iati.get_file(session, file_id)
    if row is None:
        abort(404)
    name = f"{row.organisation_ref}-{row.kind}-{row.created_at:%Y%m%d}-{row.id}.xml"
    return Response(iati.file_content(session, row), mimetype=iati.XML, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "X-Content-SHA256": row.sha256})


@public_bp.route("/<name>")
@public
def published_file(name: str):
    """The latest published file of that name, for the IATI Registry and anyone else; 404 before
    the first publication. ETag is the SHA-256, so a fetch of an unchanged file gets 304."""
    wanted = iati.parse_public_name(name)
    session = get_session()
    row = iati.latest_published(session, wanted[1], wanted[0]) if wanted else None
    if row is None:
        abort(404)
    response = Response(mimetype=iati.XML)
    response.set_etag(row.sha256)
    response.last_modified = row.created_at
    response.headers["Cache-Control"] = PUBLIC_CACHE
    if request.if_none_match.contains(row.sha256):
        return response.make_conditional(request)
    response.set_data(iati.file_content(session, row))
    return response.make_conditional(request)
