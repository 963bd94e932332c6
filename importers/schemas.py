"""API schemas of import batches and their row results."""
from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from importers.kinds import KINDS
from importers.services.queries import OUTCOMES, batch_message

API_MODES = ("all_or_nothing", "accept_valid_rows", "check")


class UploadSchema(Schema):
    """One multipart/form-data body: the kind, the mode and the file."""

    kind = fields.String(required=True, validate=validate.OneOf(sorted(KINDS)))
    mode = fields.String(load_default="all_or_nothing", validate=validate.OneOf(API_MODES), metadata={
        "description": "all_or_nothing (default): any error rejects the file; accept_valid_rows: import the "
                       "valid rows, return the others; check: validate and report, write nothing"})
    file = Upload(required=True, metadata={"description": "The .xlsx or .csv file (kind iati: the IATI .xml file)"})
    programme = fields.String(validate=validate.Length(max=30), metadata={
        "description": "kind iati: the programme (code) that receives the file's new activities"})
    code_prefix = fields.String(validate=validate.Length(max=20), metadata={
        "description": "kind iati: put before each activity code taken from the iati-identifier"})


class CountsSchema(Schema):
    rows = fields.Integer()
    imported = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    errors = fields.Integer()
    warnings = fields.Integer()


class FindingSchema(Schema):
    severity = fields.String()
    column = fields.String(allow_none=True)
    reason = fields.String()


class ImportRowSchema(Schema):
    row = fields.Integer(attribute="row_number", metadata={"description": "Row number as the spreadsheet shows it"})
    outcome = fields.String(metadata={"description": "imported, updated, unchanged or error (for a checked or "
                                                     "rejected batch: what would happen)"})
    severity = fields.String(allow_none=True, metadata={"description": "error, warning or null"})
    column = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    findings = fields.List(fields.Nested(FindingSchema), allow_none=True)
    key = fields.String(allow_none=True)
    entity_id = fields.String(allow_none=True)


class ImportBatchSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    filename = fields.String()
    sha256 = fields.String()
    status = fields.String(metadata={"description": "queued, running, imported, partially_imported, up_to_date, "
                                                    "checked, rejected, refused, already_imported or failed"})
    written = fields.Boolean(metadata={"description": "True when rows of this batch were written"})
    mode = fields.String()
    dry_run = fields.Boolean()
    message = fields.Function(batch_message, metadata={
        "type": "string", "description": "What became of the batch, or why the file was refused, in the language "
                                         "of the token's user"})
    error_code = fields.String(allow_none=True)
    counts = fields.Method("_counts")
    progress_rows = fields.Integer()
    uploaded_by = fields.String()
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    duplicate_of = fields.Integer(attribute="duplicate_of_id", allow_none=True)

    def _counts(self, batch) -> dict:
        return CountsSchema().dump(batch.counts())


class RowsPageSchema(Schema):
    page = fields.Integer()
    page_size = fields.Integer()
    total = fields.Integer()
    total_pages = fields.Integer()


class ImportBatchDetailSchema(ImportBatchSchema):
    rows = fields.List(fields.Nested(ImportRowSchema))
    rows_page = fields.Nested(RowsPageSchema)


class BatchQuerySchema(Schema):
    kind = fields.String(validate=validate.OneOf(sorted(KINDS)))
    status = fields.String(validate=validate.Length(max=20))


class RowQuerySchema(Schema):
    outcome = fields.String(validate=validate.OneOf(OUTCOMES))
    severity = fields.String(validate=validate.OneOf(("error", "warning")))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    page_size = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))
