"""API schemas of the exports package."""
from __future__ import annotations

from flask import url_for
from marshmallow import Schema, fields, validate

from app.api.fields import Year
from exports.models import ExportKind, RunStatus


class CrsQuerySchema(Schema):
    year = Year(strict=False, required=True, metadata={"description": "Reporting year (flows of that year)"})
    final = fields.Boolean(load_default=False, metadata={
        "description": "The version to submit; refused (409) while reviews are open"})


class RunCreateSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(ExportKind.ALL))
    year = Year(metadata={"description": "CRS: the reporting year; reports: a single year"})
    year_from = Year(metadata={"description": "Reports: first year"})
    year_to = Year(metadata={"description": "Reports: last year"})
    final = fields.Boolean(load_default=False)


class RunQuerySchema(Schema):
    kind = fields.String(validate=validate.OneOf(ExportKind.ALL))
    year = Year(strict=False)
    final = fields.Boolean()
    status = fields.String(validate=validate.OneOf(RunStatus.ALL))


class RunSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    year = fields.Integer(allow_none=True)
    params = fields.Dict()
    final = fields.Boolean()
    status = fields.String(metadata={"description": "queued, running, done or failed"})
    progress = fields.Integer(metadata={"description": "0–100"})
    stage = fields.String(allow_none=True)
    trigger = fields.String()
    requested_by = fields.String()
    requested_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    file_name = fields.String(allow_none=True)
    sha256 = fields.String(allow_none=True, metadata={"description": "SHA-256 of the file (hex)"})
    size_bytes = fields.Integer(allow_none=True)
    counts = fields.Dict()
    error = fields.String(allow_none=True)
    status_url = fields.Method("_status_url")
    file_url = fields.Method("_file_url", allow_none=True)

    def _status_url(self, run):
        return url_for("exports_api.Run", run_id=run.id)

    def _file_url(self, run):
        return url_for("exports_api.RunFile", run_id=run.id) if run.status == RunStatus.DONE else None
