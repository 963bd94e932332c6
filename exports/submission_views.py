"""The CRS submission page of a year: its state, every final with its hash, the reopen
form (ODA officer) and what changed between the two latest finals."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from app.auth.guards import require
from app.auth.roles import Permission
from app.db import get_session, unit_of_work
from app.errors import ValidationError
from exports.crs.diff import ADDED, CHANGED, REMOVED
from exports.services import revisions, runs, submission
from exports.views import bp

#: changes listed on the page (the crs-diff workbook has them all)
SHOWN_CHANGES = 500
YEAR = "<int:year>"
CHANGE_LABELS = {ADDED: lazy_gettext("added"), REMOVED: lazy_gettext("removed"), CHANGED: lazy_gettext("changed")}


def _year_or_404(year: int) -> int:
    """A year outside the reporting years names nothing (checked before any query)."""
    if not runs.FIRST_YEAR <= year <= runs.LAST_YEAR:
        abort(404)
    return year


def _diff(session, year: int):
    """The two latest finals compared, or (None, why not)."""
    try:
        return revisions.crs_diff(session, year), None
    except runs.ExportError as exc:
        return None, exc.message


@bp.route(f"/years/{YEAR}")
@require(Permission.EXPORT_REPORTS)
def submission_page(year: int):
    session, year = get_session(), _year_or_404(year)
    diff, no_diff = _diff(session, year)
    return render_template("exports/submission.html", year=year, latest=submission.latest_submission(session, year),
                           history=submission.submissions(session, year),
                           finals=revisions.crs_finals(session, year), diff=diff, no_diff=no_diff,
                           lines=list(revisions.change_lines(diff.changes))[:SHOWN_CHANGES] if diff else [],
                           may_reopen=g.user.can(Permission.REVIEW_ODA), change_labels=CHANGE_LABELS)


@bp.route(f"/years/{YEAR}/reopen", methods=["POST"])
@require(Permission.REVIEW_ODA)
def reopen(year: int):
    year = _year_or_404(year)
    try:
        with unit_of_work() as session:
            submission.reopen_year(session, year, request.form.get("reason", ""), g.user)
    except ValidationError as exc:
        flash(exc.message, "error")
        return redirect(url_for("exports.submission_page", year=year, _anchor="reopen"))
    flash(_("%(year)s is reopened: changes are allowed again and the next final export is a revision.",
            year=year), "success")
    return redirect(url_for("exports.submission_page", year=year))
