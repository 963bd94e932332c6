"""What the API accepts and returns."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from grants.models.enums import SchemeKind, TrancheCondition
from app.api.fields import Code, Flag, Id, LedgerDate, Money, Text, Version, Year
from programmes.models.enums import MainObjective

OneOf = validate.OneOf
Range = validate.Range


class AllowanceRateSchema(Schema):
    destination = Text(max_length=80, required=True, blank=False)
    in_europe = Flag(required=True)
    monthly_allowance = Money(sign="non_negative", required=True)


class SchemeSchema(Schema):
    id = fields.Integer(dump_only=True)
    code = Code(20, required=True)
    name = Text(max_length=200, required=True, blank=False)
    kind = fields.String(required=True, validate=OneOf([k.value for k in SchemeKind]))
    description = Text(max_length=5000, multiline=True, allow_none=True)
    programme_id = Id(required=True)
    active = Flag()
    crs_defaults = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True))
    criteria = fields.List(fields.Dict(), validate=validate.Length(max=50))
    checklist = fields.List(fields.Dict(), validate=validate.Length(max=50))
    four_eyes = Flag()
    requires_assessment = Flag()
    final_report_required = Flag()
    final_report_days = fields.Integer(strict=True, validate=Range(0, 730))
    reminder_days = fields.Integer(strict=True, validate=Range(0, 730))
    min_months = fields.Integer(strict=True, allow_none=True, validate=Range(1, 60))
    max_months = fields.Integer(strict=True, allow_none=True, validate=Range(1, 60))
    travel_lump_sum_europe = Money(sign="non_negative", allow_none=True)
    travel_lump_sum_outside_europe = Money(sign="non_negative", allow_none=True)
    currency = fields.String(dump_only=True)
    allowance_rates = fields.List(fields.Nested(AllowanceRateSchema), dump_only=True)
    version = fields.Integer(dump_only=True)


class SchemeUpdateSchema(SchemeSchema):
    """Every field optional except the ``version`` you read."""

    version = Version(required=True)

    class Meta:
        exclude = ("code",)


def scheme_update_schema() -> SchemeUpdateSchema:
    return SchemeUpdateSchema(partial=tuple(k for k in SchemeUpdateSchema._declared_fields if k != "version"))


class CallSchema(Schema):
    id = fields.Integer(dump_only=True)
    scheme_id = Id(required=True)
    code = Code(30, required=True)
    title = Text(max_length=200, required=True, blank=False)
    description = Text(max_length=5000, multiline=True, allow_none=True)
    year = Year(required=True)
    budget_ceiling = Money(sign="positive", required=True)
    opens_on = LedgerDate(required=True)
    closes_on = LedgerDate(allow_none=True)
    status = fields.String(dump_only=True)
    reserved = Money(dump_only=True)
    remaining = Money(dump_only=True)
    applications = fields.Integer(dump_only=True)
    version = fields.Integer(dump_only=True)


class CallUpdateSchema(Schema):
    version = Version(required=True)
    title = Text(max_length=200, blank=False)
    description = Text(max_length=5000, multiline=True, allow_none=True)
    budget_ceiling = Money(sign="positive")
    closes_on = LedgerDate(allow_none=True)


class PersonSchema(Schema):
    id = fields.Integer(dump_only=True)
    full_name = Text(max_length=200, required=True, blank=False)
    email = Text(max_length=254, allow_none=True)
    phone = Text(max_length=40, allow_none=True)
    erased = fields.Boolean(dump_only=True)


class ApplicationSchema(Schema):
    """Personal details (the person, title, description, host, destination, dates) are
    left out of the answer for users who do not manage the scheme."""

    id = fields.Integer(dump_only=True)
    reference = fields.String(dump_only=True)
    scheme_id = Id(required=True)
    call_id = Id(allow_none=True)
    status = fields.String(dump_only=True)
    title = Text(max_length=300, allow_none=True)
    description = Text(max_length=10000, multiline=True, allow_none=True)
    organisation_id = Id(allow_none=True)
    organisation_name = Text(max_length=200, load_only=True)
    organisation_kind = fields.String(load_only=True, load_default="ngo", validate=OneOf(
        ["government", "ngo", "multilateral", "research", "private"]))
    person = fields.Nested(PersonSchema, allow_none=True)
    host_organisation = Text(max_length=200, allow_none=True)
    destination = Text(max_length=80, allow_none=True)
    start_date = LedgerDate(allow_none=True)
    end_date = LedgerDate(allow_none=True)
    recipient_code = Text(max_length=5, allow_none=True)
    crs_overrides = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True))
    amount_requested = Money(sign="positive", allow_none=True)
    currency = fields.String(dump_only=True)
    approved_amount = Money(dump_only=True, allow_none=True)
    committed_amount = Money(dump_only=True, allow_none=True)
    decreased_amount = Money(dump_only=True)
    paid_amount = Money(dump_only=True)
    activity_id = fields.Integer(dump_only=True, allow_none=True)
    commitment_date = LedgerDate(dump_only=True, allow_none=True)
    submitted_at = fields.DateTime(dump_only=True, allow_none=True)
    decided_at = fields.DateTime(dump_only=True, allow_none=True)
    closed_at = fields.DateTime(dump_only=True, allow_none=True)
    personal = fields.Boolean(dump_only=True)
    restricted = fields.Boolean(dump_only=True)
    allowed_actions = fields.List(fields.String(), dump_only=True)
    version = fields.Integer(dump_only=True)


class ApplicationUpdateSchema(Schema):
    version = Version(required=True)
    title = Text(max_length=300, allow_none=True)
    description = Text(max_length=10000, multiline=True, allow_none=True)
    organisation_id = Id(allow_none=True)
    call_id = Id(allow_none=True)
    host_organisation = Text(max_length=200, allow_none=True)
    destination = Text(max_length=80, allow_none=True)
    start_date = LedgerDate(allow_none=True)
    end_date = LedgerDate(allow_none=True)
    recipient_code = Text(max_length=5, allow_none=True)
    crs_overrides = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True))
    amount_requested = Money(sign="positive")
    full_name = Text(max_length=200, blank=False)
    email = Text(max_length=254, allow_none=True)
    phone = Text(max_length=40, allow_none=True)


class ApplicationQuerySchema(Schema):
    scheme_id = Id(strict=False)
    call_id = Id(strict=False)
    status = Text(max_length=20)
    q = Text(max_length=100)


class AssessmentSchema(Schema):
    id = fields.Integer(dump_only=True)
    assessor_id = fields.Integer(dump_only=True)
    checklist = fields.Dict(keys=fields.String(), values=fields.Boolean(truthy={True}, falsy={False}), required=True)
    scores = fields.Dict(keys=fields.String(), values=fields.Integer(strict=True), required=True)
    total_score = fields.Integer(dump_only=True)
    max_score = fields.Integer(dump_only=True)
    recommendation = fields.String(required=True, validate=OneOf(["approve", "reject"]))
    recommended_amount = Money(sign="positive", allow_none=True)
    main_objective = fields.String(allow_none=True, validate=OneOf([m.value for m in MainObjective]))
    comment = Text(max_length=10000, multiline=True, allow_none=True)
    recorded_at = fields.DateTime(dump_only=True)


class DecisionInputSchema(Schema):
    """What an approver sends: ``approve`` or ``reject``."""

    outcome = fields.String(required=True, validate=OneOf(["approve", "reject"]))
    amount = Money(sign="positive", allow_none=True)
    reason = Text(max_length=5000, multiline=True, allow_none=True)
    main_objective = fields.String(allow_none=True, validate=OneOf([m.value for m in MainObjective]))
    override_budget = Flag(load_default=False)
    override_reason = Text(max_length=2000, multiline=True, allow_none=True)


class DecisionSchema(Schema):
    """A decision taken: ``approved`` or ``rejected``."""

    id = fields.Integer()
    outcome = fields.String(validate=OneOf(["approved", "rejected"]))
    amount = Money(allow_none=True)
    reason = fields.String(allow_none=True)
    main_objective = fields.String(allow_none=True)
    budget_override = fields.Boolean()
    override_reason = fields.String(allow_none=True)
    decided_by = fields.Integer()
    decided_at = fields.DateTime()


class CommitmentSchema(Schema):
    commitment_date = LedgerDate(allow_none=True)


class TrancheSchema(Schema):
    id = fields.Integer(dump_only=True)
    number = fields.Integer(dump_only=True)
    due_date = LedgerDate(required=True)
    amount = Money(sign="positive", required=True)
    condition = fields.String(load_default="none", validate=OneOf([c.value for c in TrancheCondition]))
    document_number = Text(max_length=60, allow_none=True)
    status = fields.String(dump_only=True)
    paid_amount = Money(dump_only=True)
    blocked_by = fields.String(dump_only=True, allow_none=True)
    version = fields.Integer(dump_only=True)


class TrancheUpdateSchema(Schema):
    version = Version(required=True)
    due_date = LedgerDate()
    amount = Money(sign="positive")
    condition = fields.String(validate=OneOf([c.value for c in TrancheCondition]))
    document_number = Text(max_length=60, allow_none=True)


class ReasonSchema(Schema):
    reason = Text(max_length=2000, multiline=True, required=True, blank=False)
    date = LedgerDate(allow_none=True)


class DecreaseSchema(ReasonSchema):
    amount = Money(sign="positive", required=True)


class PaymentSchema(Schema):
    id = fields.Integer(dump_only=True)
    tranche_id = Id(required=True)
    paid_on = LedgerDate(required=True)
    amount = Money(sign="positive", required=True)
    document_number = Text(max_length=60, required=True, blank=False)
    source = fields.String(dump_only=True)
    transaction_id = fields.Integer(dump_only=True)


class ReportSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True)
    due_date = LedgerDate(allow_none=True)
    received_on = LedgerDate(dump_only=True, allow_none=True)
    overdue_since = LedgerDate(dump_only=True, allow_none=True)


class ReceiveReportSchema(Schema):
    received_on = LedgerDate(allow_none=True)
    notes = Text(max_length=10000, multiline=True, allow_none=True)


class CloseSchema(Schema):
    date = LedgerDate(allow_none=True)
