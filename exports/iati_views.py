"""The IATI tab of the Exports page (publications, validation report, "Publish now") and the
public URLs a registry fetches: ``/iati/<organisation-id>-activities.xml`` and
``…-organisation.xml``, the latest published file, read-only, without login."""
from __future__ import annotations

from typing import NamedTuple

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext

from app.auth.guards import public, require
from app.auth.roles import Permission
from app.db import get_session, unit_of_work
from app.errors import ValidationError
from exports.models import IatiKind, IatiPublication
from exports.services import iati_publication as iati
from exports.views import bp

public_bp = Blueprint("iati_public", __name__, url_prefix="/iati")
#: a registry asks again each time; the ETag answers "unchanged" without the bytes
PUBLIC_CACHE = "public, no-cache"


class ActivityFindings(NamedTuple):
    """The findings of one activity (or of the organisation, or of a file as a whole: ``code`` None)."""

    identifier: str | None
    code: str | None
    findings: list[dict]


def findings_by_activity(publication: IatiPublication, severity: str) -> list[ActivityFindings]:
    """The report's findings of ``severity`` grouped per iati-identifier, in the files' order;
    ``code`` is the activity code (the identifier after the organisation's), for the fix link."""
    groups: dict[str | None, list[dict]] = {}
    for finding in (publication.report or {}).get("findings", []):
        if finding.get("severity") == severity:
            groups.setdefault(finding.get("identifier"), []).append(finding)
    prefix = f"{publication.organisation_ref}-"
    return [ActivityFindings(identifier, identifier[len(prefix):] if identifier and identifier.startswith(prefix)
                             else None, found)
            for identifier, found in groups.items()]


@bp.route("/iati")
@require(Permission.VIEW_ODA_STATUS)
def iati_tab():
    session = get_session()
    publications = iati.recent_publications(session)
    latest = publications[0] if publications else None
    return render_template("exports/iati.html", latest=latest, publications=publications,
                           public_files=_public_files(session, latest),
                           findings_by_activity=findings_by_activity, public_name=iati.public_name,
                           finding_text=lambda finding: iati.finding_text(finding, gettext),
                           may_publish=g.user.can(Permission.EXPORT_REPORTS))


def _public_files(session, latest: IatiPublication | None) -> list[iati.ServedFile]:
    """What the public URLs serve now, for the organisation of the latest publication."""
    if latest is None:
        return []
    return [found for kind in IatiKind.ALL
            if (found := iati.latest_published(session, kind, latest.organisation_ref)) is not None]


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
    found = iati.get_file(session, file_id)
    if found is None:
        abort(404)
    file, publication = found
    name = f"{publication.organisation_ref}-{file.kind}-{publication.created_at:%Y%m%d}-{publication.id}.xml"
    return Response(iati.file_content(session, file), mimetype=iati.XML, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "X-Content-SHA256": file.sha256})


@public_bp.route("/<name>")
@public
def published_file(name: str):
    """The latest published file of that name, for the IATI Registry and anyone else; 404 before
    the first publication. ETag is the SHA-256, so a fetch of an unchanged file gets 304."""
    wanted = iati.parse_public_name(name)
    session = get_session()
    found = iati.latest_published(session, wanted[1], wanted[0]) if wanted else None
    if found is None:
        abort(404)
    response = Response(mimetype=iati.XML)
    response.set_etag(found.file.sha256)
    response.last_modified = found.publication.created_at
    response.headers["Cache-Control"] = PUBLIC_CACHE
    if not request.if_none_match.contains(found.file.sha256):
        response.set_data(iati.file_content(session, found.file))
    return response.make_conditional(request)
