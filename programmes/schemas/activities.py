"""Activities: projects, contributions and grants with their CRS attributes."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.fields import Code, CrsCode, Currency, Flag, Id, LedgerDate, Money, Text, Version
from programmes.models.enums import CRS_FLAGS, POLICY_MARKERS, ActivityStatus, MainObjective

MAIN_OBJECTIVES = validate.OneOf([m.value for m in MainObjective])
STATUSES = validate.OneOf([s.value for s in ActivityStatus])


def _marker_fields(loading: bool) -> dict:
    """One ``marker_<name>`` per CRS policy marker: 0 … highest score, or null (not screened);
    one ``flag_<name>`` per CRS flag (FTC, PBA, investment project, associated financing):
    true or false, never a string or a number."""
    flags = {f"flag_{f}": Flag(metadata={"description": f"CRS {column}: 1 in the CRS workbook when true"})
             for f, column in CRS_FLAGS.items()}
    if not loading:
        return {**{f"marker_{m}": fields.Integer(allow_none=True) for m in POLICY_MARKERS}, **flags}
    return {**{f"marker_{m}": fields.Integer(strict=True, allow_none=True,
                                             validate=validate.Range(min=0, max=highest))
               for m, highest in POLICY_MARKERS.items()}, **flags}


class ActivityQuerySchema(Schema):
    programme = Text(max_length=30, metadata={"description": "Programme code"})
    code = Text(max_length=40, metadata={"description": "Activity code (exact)"})
    status = fields.String(validate=STATUSES)


class ActivitySchema(Schema.from_dict(_marker_fields(loading=False), name="MarkerOutputSchema")):
    id = fields.Integer()
    code = fields.String()
    title = fields.String()
    description = fields.String(allow_none=True)
    programme_id = fields.Integer()
    programme_code = fields.String(attribute="programme.code")
    organisation_id = fields.Integer(allow_none=True)
    organisation_name = fields.Function(lambda a: a.organisation.name if a.organisation else None, allow_none=True)
    recipient_code = fields.String(allow_none=True)
    purpose_code = fields.String(allow_none=True)
    aid_type = fields.String(allow_none=True)
    flow_type = fields.String()
    finance_type = fields.String()
    channel_code = fields.String(allow_none=True)
    bi_multi = fields.String(allow_none=True)
    geography = fields.String(allow_none=True)
    main_objective = fields.String()
    commitment_date = fields.Date(allow_none=True)
    commitment_amount = Money(allow_none=True)
    currency = fields.String()
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    status = fields.String()
    version = fields.Integer()


class ActivityFieldsSchema(Schema.from_dict(_marker_fields(loading=True), name="MarkerInputSchema")):
    """What a client may set on an activity; every field optional (see the subclasses)."""

    code = Code(40)
    title = Text(max_length=300, min_length=1)
    description = Text(max_length=10_000, multiline=True, allow_none=True)
    programme_code = Text(max_length=30, min_length=1)
    organisation_id = Id(allow_none=True)
    recipient_code = CrsCode(5, allow_none=True)
    purpose_code = CrsCode(5, allow_none=True)
    aid_type = CrsCode(4, allow_none=True)
    flow_type = CrsCode(3)
    finance_type = CrsCode(4)
    channel_code = CrsCode(5, allow_none=True)
    bi_multi = CrsCode(1, allow_none=True)
    geography = Text(max_length=120, allow_none=True)
    main_objective = fields.String(validate=MAIN_OBJECTIVES)
    commitment_date = LedgerDate(allow_none=True)
    commitment_amount = Money(allow_none=True)
    currency = Currency()
    start_date = LedgerDate(allow_none=True)
    end_date = LedgerDate(allow_none=True)
    status = fields.String(validate=STATUSES)


class ActivityCreateSchema(ActivityFieldsSchema):
    code = Code(40, required=True)
    title = Text(max_length=300, min_length=1, required=True)
    programme_code = Text(max_length=30, min_length=1, required=True)


class ActivityUpdateSchema(ActivityFieldsSchema):
    """Send the ``version`` you read and only the fields you change."""

    version = Version(required=True)
