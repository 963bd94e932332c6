"""API schemas of the exports package."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext
from marshmallow import Schema, fields, validate

from app.api.fields import MAX_INT, Flag, Year
from exports.models import ExportKind, RunStatus
from exports.services.iati_publication import finding_text, public_name
from exports.services.runs import FIRST_YEAR


class CrsQuerySchema(Schema):
    year = Year(strict=False, required=True, first=FIRST_YEAR,
                metadata={"description": "Reporting year (flows of that year)"})
    final = fields.Boolean(load_default=False, metadata={
        "description": "The version to submit; refused (409) while reviews are open"})


class RunCreateSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(ExportKind.ALL))
    year = Year(first=FIRST_YEAR, metadata={"description": "CRS: the reporting year; reports: a single year"})
    year_from = Year(first=FIRST_YEAR, metadata={"description": "Reports: first year"})
    year_to = Year(first=FIRST_YEAR, metadata={"description": "Reports: last year"})
    final = Flag(load_default=False)


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
    language = fields.String(metadata={"description": "the requester's language (en, nl): the workbook's sheets "
                                                      "for the officer are written in it; the CRS sheet is the same "
                                                      "in every language"})
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


class SubmissionSchema(Schema):
    year = fields.Integer()
    export_id = fields.Integer(attribute="run_id")
    sha256 = fields.String()
    revision = fields.Integer(metadata={"description": "0: the first submission; n: the nth revision"})
    reference_version = fields.Integer(metadata={"description": "the reference data the year keeps"})
    submitted_at = fields.DateTime()
    submitted_by = fields.String()
    locked = fields.Boolean(attribute="is_locked")
    reopened_at = fields.DateTime(allow_none=True)
    reopened_by = fields.String(allow_none=True)
    reopen_reason = fields.String(allow_none=True)


class YearSubmissionSchema(Schema):
    year = fields.Integer()
    submitted = fields.Boolean(metadata={"description": "the year is locked by its last final export"})
    submissions = fields.List(fields.Nested(SubmissionSchema), metadata={"description": "newest first"})
    finals = fields.List(fields.Nested(RunSchema), metadata={"description": "every final kept, newest first"})


class ReopenSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class DiffQuerySchema(Schema):
    from_id = fields.Integer(data_key="from", validate=validate.Range(1, MAX_INT),
                             metadata={"description": "the older final export (with to)"})
    to_id = fields.Integer(data_key="to", validate=validate.Range(1, MAX_INT),
                           metadata={"description": "the newer final export (with from)"})


class CellChangeSchema(Schema):
    column = fields.String()
    old = fields.String()
    new = fields.String()


class RowChangeSchema(Schema):
    change = fields.String(metadata={"description": "added, removed or changed"})
    crs_id = fields.String()
    project = fields.String()
    cells = fields.List(fields.Nested(CellChangeSchema))


class CrsDiffSchema(Schema):
    year = fields.Integer()
    from_id = fields.Function(lambda d: d.old.id, data_key="from")
    to_id = fields.Function(lambda d: d.new.id, data_key="to")
    changes = fields.List(fields.Nested(RowChangeSchema))


class FindingMessage(fields.String):
    """A kept finding's sentence, said in the language of the request (``finding_text``)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return finding_text(obj, gettext)


class IatiFindingSchema(Schema):
    severity = fields.String(metadata={"description": "error (blocks the publication) or warning"})
    rule_id = fields.String(metadata={"description": "the IATI ruleset's rule id; schema, codelist or file"})
    message = FindingMessage(metadata={
        "description": "in the user's language where the sentence is Aidledger's; the IATI ruleset's own messages "
                       "and libxml2's schema errors as they publish them (English)"})
    identifier = fields.String(allow_none=True, metadata={
        "description": "the iati-identifier of the activity (the organisation's in the organisation file); "
                       "null: a file as a whole"})
    path = fields.String(metadata={"description": "where inside the activity"})
    link = fields.String(allow_none=True, metadata={"description": "the guidance of the rule"})


class IatiReportSchema(Schema):
    validated = fields.Boolean(metadata={"description": "false: the files could not be validated (not published)"})
    checked = fields.Integer(metadata={"description": "activities and organisations checked"})
    errors = fields.Integer()
    warnings = fields.Integer()
    truncated = fields.Boolean(metadata={"description": "only the first 2,000 findings are kept"})
    findings = fields.List(fields.Nested(IatiFindingSchema))


class IatiFileSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "activities or organisation"})
    sha256 = fields.String(metadata={"description": "SHA-256 of the file (hex); the public URL's ETag"})
    size_bytes = fields.Integer()


class IatiPublicationSchema(Schema):
    id = fields.Integer()
    created_at = fields.DateTime()
    published = fields.Boolean(metadata={"description": "false: refused because the validation found errors"})
    organisation_ref = fields.String(metadata={"description": "the reporting organisation's IATI identifier"})
    activity_count = fields.Integer()
    transaction_count = fields.Integer()
    error_count = fields.Integer()
    warning_count = fields.Integer()
    trigger = fields.String(metadata={"description": "schedule (the monthly job), browser or api"})
    triggered_by = fields.String(metadata={"description": "the user's e-mail address or the job's id"})
    files = fields.List(fields.Nested(IatiFileSchema))
    public_urls = fields.Method("_public_urls", metadata={
        "description": "where a registry fetches each kind of file (the latest published one); empty when refused"})

    def _public_urls(self, publication):
        if not publication.published:
            return {}
        return {file.kind: url_for("iati_public.published_file", _external=True,
                                   name=public_name(publication.organisation_ref, file.kind))
                for file in publication.files}


class IatiPublicationWithReportSchema(IatiPublicationSchema):
    report = fields.Nested(IatiReportSchema)


class IatiOverviewSchema(Schema):
    latest = fields.Nested(IatiPublicationWithReportSchema, allow_none=True, metadata={
        "description": "the last publication (published or refused) with its validation report; null before the first"})
    publications = fields.List(fields.Nested(IatiPublicationSchema), metadata={"description": "newest first"})
