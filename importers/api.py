"""/api/v1/imports: upload a file, follow its batch, page through its row results."""
from __future__ import annotations

import io

from flask import g, send_file
from flask.views import MethodView
from sqlalchemy import func, select

from app.api import Blueprint, abort, paginate_select
from app.auth.guards import require
from app.auth.roles import Permission
from app.db import get_session
from importers.kinds import KINDS
from importers.models import ImportBatch
from importers.schemas import (BatchQuerySchema, ImportBatchDetailSchema, ImportBatchSchema, ImportRowSchema,
                               RowQuerySchema, UploadSchema)
from importers.services.queries import batch_message, batches_query, rows_query
from importers.services.uploads import receive_upload
from importers.services.workbooks import error_rows_workbook, template_workbook

blp = Blueprint("imports_api", __name__, url_prefix="/imports", description="Spreadsheet imports")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HTTP_STATUS = {"queued": 202, "already_imported": 200}


class _BatchWithRows:
    """A batch seen with one page of its rows, for ImportBatchDetailSchema."""

    def __init__(self, batch: ImportBatch, rows: list, rows_page: dict):
        self._batch, self.rows, self.rows_page = batch, rows, rows_page

    def __getattr__(self, name):
        return getattr(self._batch, name)


def _batch_or_404(batch_id: int) -> ImportBatch:
    batch = get_session().get(ImportBatch, batch_id)
    if batch is None:
        abort(404, message=f"No import batch {batch_id}.")
    return batch


@blp.route("")
class Imports(MethodView):
    decorators = [require(Permission.RUN_IMPORTS)]

    @blp.arguments(BatchQuerySchema, location="query")
    @blp.response(200, ImportBatchSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Import batches, newest first."""
        return paginate_select(get_session(), batches_query(**args), pagination_parameters)

    @blp.arguments(UploadSchema, location="multipart")
    @blp.response(201, ImportBatchSchema)
    @blp.alt_response(202, schema=ImportBatchSchema, description="Large file: queued for the import job")
    @blp.alt_response(200, schema=ImportBatchSchema, description="The same file was imported before: nothing "
                      "written, status already_imported, duplicate_of names the first import")
    @blp.alt_response(422, description="The file itself was refused (hostile, damaged, wrong layout)")
    def post(self, form):
        """Upload a file (multipart: kind, mode, file). Small files are processed at once;
        large ones are queued (202) and followed with GET /imports/<id>."""
        upload = form["file"]
        batch_id = receive_upload(form["kind"], upload.filename or "upload", upload.read(),
                                  mode="all_or_nothing" if form["mode"] == "check" else form["mode"],
                                  dry_run=form["mode"] == "check", uploader=g.user,
                                  options={name: form.get(name) for name in KINDS[form["kind"]].option_names})
        batch = _batch_or_404(batch_id)
        if batch.status in ("refused", "failed"):
            message = batch_message(batch)
            abort(422 if batch.status == "refused" else 500, message=message,
                  messages={"file": [message], "batch_id": batch.id, "code": batch.error_code})
        return batch, HTTP_STATUS.get(batch.status, 201)


@blp.route("/<id:batch_id>")
class ImportDetail(MethodView):
    decorators = [require(Permission.RUN_IMPORTS)]

    @blp.arguments(RowQuerySchema, location="query")
    @blp.response(200, ImportBatchDetailSchema)
    def get(self, args, batch_id):
        """A batch: status, counts and one page of row results (filter by outcome or severity)."""
        session = get_session()
        batch = _batch_or_404(batch_id)
        stmt = rows_query(batch.id, args.get("outcome"), args.get("severity"))
        total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
        page, size = args["page"], args["page_size"]
        rows = session.scalars(stmt.offset((page - 1) * size).limit(size)).all() if (page - 1) * size < total else []
        return _BatchWithRows(batch, rows, {"page": page, "page_size": size, "total": total,
                                            "total_pages": max(1, -(-total // size))})


@blp.route("/<id:batch_id>/rows")
class ImportRows(MethodView):
    decorators = [require(Permission.RUN_IMPORTS)]

    @blp.response(200, ImportRowSchema(many=True))
    @blp.paginate()
    def get(self, batch_id, pagination_parameters):
        """Every row result of a batch, paged (X-Pagination header)."""
        _batch_or_404(batch_id)
        return paginate_select(get_session(), rows_query(batch_id), pagination_parameters)


@blp.route("/<id:batch_id>/error-rows.xlsx")
class ImportErrorRows(MethodView):
    decorators = [require(Permission.RUN_IMPORTS)]

    @blp.response(200, content_type=XLSX)
    def get(self, batch_id):
        """The rows with errors, as uploaded, plus an "error" column: fix and upload again."""
        batch = _batch_or_404(batch_id)
        content = error_rows_workbook(get_session(), batch)
        return send_file(io.BytesIO(content), mimetype=XLSX, as_attachment=True,
                         download_name=f"import-{batch.id}-error-rows.xlsx")


@blp.route("/templates/<kind>.xlsx")
class ImportTemplate(MethodView):
    decorators = [require(Permission.RUN_IMPORTS)]

    @blp.response(200, content_type=XLSX)
    def get(self, kind):
        """The template of a kind: headers, an example row and a notes sheet."""
        if kind not in KINDS or KINDS[kind].reads_own_format:
            abort(404, message=f"No import kind {kind!r}: one of {', '.join(KINDS)}.")
        return send_file(io.BytesIO(template_workbook(kind)), mimetype=XLSX, as_attachment=True,
                         download_name=f"aidledger-{kind}-template.xlsx")
