"""The Imports page for finance: upload (or only check) a file, follow its batch,
see every row's result, download the error rows and the templates."""
from __future__ import annotations

import io

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from app.auth.guards import require
from app.auth.roles import Permission
from app.db import get_session
from app.web.pagination import page_args, paginate
from importers.kinds import KINDS
from importers.models import ImportBatch
from importers.services.queries import (OUTCOMES, batch_message, batches_query, progress_of, rows_errors_first,
                                        rows_query, shown_reason)
from importers.services.record import ACCEPT_VALID_ROWS, ALL_OR_NOTHING
from importers.services.uploads import receive_upload
from importers.services.workbooks import error_rows_workbook, template_workbook

bp = Blueprint("importers", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/importers")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _batch_or_404(batch_id: int) -> ImportBatch:
    batch = get_session().get(ImportBatch, batch_id)
    if batch is None:
        abort(404)
    return batch


@bp.get("/imports")
@require(Permission.RUN_IMPORTS)
def index():
    page, per_page = page_args(request.args, 20, 100)
    batches = paginate(get_session(), batches_query(), page, per_page)
    return render_template("importers/index.html", kinds=KINDS.values(), batches=batches,
                           selected_kind=request.args.get("kind", "spending"))


@bp.post("/imports")
@require(Permission.RUN_IMPORTS)
def upload():
    try:
        upload_file = request.files.get("file")
        kind = request.form.get("kind", "")
        mode = ACCEPT_VALID_ROWS if request.form.get("mode") == ACCEPT_VALID_ROWS else ALL_OR_NOTHING
        check_only = request.form.get("action") == "check"
    except RequestEntityTooLarge:
        flash(_("The file is too large to upload."), "error")
        return redirect(url_for("importers.index"))
    if kind not in KINDS:
        flash(_("Choose what the file contains."), "error")
        return redirect(url_for("importers.index"))
    if upload_file is None or not upload_file.filename:
        flash(_("Choose a file to upload."), "error")
        return redirect(url_for("importers.index", kind=kind))
    options = {name: request.form.get(name) for name in KINDS[kind].option_names}
    batch_id = receive_upload(kind, upload_file.filename, upload_file.read(), mode=mode, dry_run=check_only,
                              uploader=g.user, options=options)
    return redirect(url_for("importers.detail", batch_id=batch_id))


@bp.get("/imports/<id:batch_id>")
@require(Permission.RUN_IMPORTS)
def detail(batch_id):
    batch = _batch_or_404(batch_id)
    outcome = request.args.get("outcome") if request.args.get("outcome") in OUTCOMES else None
    page, per_page = page_args(request.args, 50, 500)
    if outcome is None:
        rows = rows_errors_first(get_session(), batch.id, page, per_page)
    else:
        rows = paginate(get_session(), rows_query(batch.id, outcome), page, per_page)
    return render_template("importers/detail.html", batch=batch, rows=rows, outcome=outcome, outcomes=OUTCOMES,
                           progress=progress_of(batch), kind=KINDS[batch.kind], message=batch_message(batch),
                           row_reason=lambda row: shown_reason(row.reason, row.findings, _))


@bp.get("/imports/<id:batch_id>/progress.json")
@require(Permission.RUN_IMPORTS)
def progress(batch_id):
    return jsonify(progress_of(_batch_or_404(batch_id)))


@bp.get("/imports/<id:batch_id>/error-rows.xlsx")
@require(Permission.RUN_IMPORTS)
def error_rows(batch_id):
    batch = _batch_or_404(batch_id)
    return send_file(io.BytesIO(error_rows_workbook(get_session(), batch)), mimetype=XLSX, as_attachment=True,
                     download_name=f"import-{batch.id}-error-rows.xlsx")


@bp.get("/imports/templates/<kind>.xlsx")
@require(Permission.RUN_IMPORTS)
def template(kind):
    if kind not in KINDS or KINDS[kind].reads_own_format:
        abort(404)
    return send_file(io.BytesIO(template_workbook(kind)), mimetype=XLSX, as_attachment=True,
                     download_name=f"aidledger-{kind}-template.xlsx")
