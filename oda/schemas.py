"""Marshmallow schemas of the ODA API."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.fields import Money, Text, Year
from oda.models import OverrideAction, Status


class Fraction(fields.Field):
    """A share or rate as a decimal string ("0.6000000000"), never a float."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else str(value)


class ClassificationQuerySchema(Schema):
    year = Year(strict=False)
    status = fields.String(validate=validate.OneOf(Status.ALL))
    programme = Text(max_length=30, metadata={"description": "Programme code"})


class _DecisionFields(Schema):
    """What an officer's decision says, of one line (override) or of a review group."""

    id = fields.Integer()
    action = fields.String()
    status = fields.String()
    share = Fraction()
    reason = fields.String()
    decided_by = fields.String()
    decided_at = fields.DateTime()
    flagged_at = fields.DateTime(allow_none=True)


class OverrideSchema(_DecisionFields):
    state = fields.String(metadata={"description": "active, needs_reconfirmation or superseded"})


class ClassificationSchema(Schema):
    transaction_id = fields.Integer(metadata={"description": "Also the id of the classification"})
    activity_id = fields.Integer()
    year = fields.Integer()
    currency = fields.String()
    amount = Money()
    amount_eur = Money(allow_none=True)
    status = fields.String(metadata={"description": "eligible, not_eligible or needs_review (after overrides)"})
    computed_status = fields.String(metadata={"description": "What the rules alone said"})
    share = Fraction(metadata={"description": "Share of the amount that is ODA (0–1); null when unknown"})
    oda_amount = Money(allow_none=True, metadata={"description": "ODA in the transaction's currency"})
    oda_amount_eur = Money(allow_none=True, metadata={"description": "ODA in EUR; null when the rate is missing"})
    units_per_eur = Fraction(metadata={"description": "Rate used: units of the currency per EUR"})
    override_id = fields.Integer(allow_none=True)
    reference_version = fields.Integer()
    rules_version = fields.String()
    classified_at = fields.DateTime()


class ReasonSchema(Schema):
    rule = fields.String()
    result = fields.String(metadata={"description": "pass, fail or unknown"})
    reason = fields.String()
    share = fields.String(allow_none=True)
    facts = fields.Dict()


class ExplanationSchema(ClassificationSchema):
    reasons = fields.List(fields.Nested(ReasonSchema))
    override = fields.Nested(OverrideSchema, allow_none=True)
    overrides = fields.List(fields.Nested(OverrideSchema), metadata={"description": "Every decision, newest first"})


class OverrideInputSchema(Schema):
    action = fields.String(required=True, validate=validate.OneOf(OverrideAction.ALL))
    reason = Text(max_length=2000, min_length=1, multiline=True, required=True, blank=False)
    share = Text(max_length=20, metadata={
        "description": "For set_share: a fraction (\"0.75\") or a percentage (\"75 %\"); a string, never a float"})


class ReferenceEntrySchema(Schema):
    """One row of a reference list; the fields depend on the list."""

    class Meta:
        unknown = "include"


class YearStatusExampleSchema(Schema):
    label = fields.String(metadata={"description": "An activity (code and title), a currency, a table year"})
    link = fields.String(metadata={"description": "Path of the page that fixes it"})


class YearStatusItemSchema(Schema):
    kind = fields.String(metadata={"description": "Stable key: open_review_groups, lines_without_rate, "
                                                  "missing_mandatory_items, activities_without_crs_id, "
                                                  "commitment_conflicts, commitments_missing, dac_list, annex2 "
                                                  "(more kinds may be added)"})
    title = fields.String(metadata={"description": "What it is about, in the request's language"})
    fix = fields.String(metadata={"description": "What to do about it, in the request's language"})
    count = fields.Integer()
    unit = fields.String(metadata={"description": "groups, lines, activities or lists"})
    lines = fields.Integer(allow_none=True, metadata={"description": "Lines concerned, where count is not lines"})
    blocks = fields.Boolean(metadata={"description": "True while this item blocks the final CRS file"})
    link = fields.String(metadata={"description": "Path of the page that fixes it"})
    examples = fields.List(fields.Nested(YearStatusExampleSchema))


class YearTotalsSchema(Schema):
    oda = Money(metadata={"description": "Net disbursements of the year that are ODA, EUR"})
    not_oda = Money()
    open = Money(metadata={"description": "Not decided yet (review, missing rate, not classified)"})
    total = Money()
    currency = fields.String()


class YearProgressSchema(Schema):
    lines = fields.Integer()
    lines_decided = fields.Integer()
    lines_share = Fraction(allow_none=True, metadata={"description": "0–1 as a decimal string; null without lines"})
    amount = Money()
    amount_decided = Money()
    amount_share = Fraction(allow_none=True)


class YearStatusSchema(Schema):
    year = fields.Integer()
    ready = fields.Boolean(metadata={"description": "Nothing blocks the final CRS file"})
    blocking = fields.List(fields.String(), metadata={"description": "Kinds of the items that block"})
    items = fields.List(fields.Nested(YearStatusItemSchema))
    totals = fields.Nested(YearTotalsSchema)
    progress = fields.Nested(YearProgressSchema)


class ReviewGroupQuerySchema(Schema):
    year = Year(strict=False)
    programme = Text(max_length=30, metadata={"description": "Programme code"})
    rule = fields.String(validate=validate.Length(max=40), metadata={"description": "A rule that did not pass"})
    reason = Text(max_length=200, metadata={"description": "Words of a reason of a rule that did not pass"})
    min_amount = Money(sign="non_negative", metadata={"description": "The group's amount in EUR at least this"})


class GroupDecisionSchema(_DecisionFields):
    activity_id = fields.Integer()
    year = fields.Integer()
    basis_status = fields.String(metadata={"description": "What the rules said when the group was decided"})
    state = fields.String(metadata={"description": "active, needs_reconfirmation, superseded or undone"})
    ended_at = fields.DateTime(allow_none=True)
    ended_reason = fields.String(allow_none=True)


class ReviewGroupSchema(Schema):
    activity_id = fields.Integer()
    activity_code = fields.String()
    activity_title = fields.String()
    programme_code = fields.String()
    year = fields.Integer()
    explanation_id = fields.Integer(metadata={"description": "The reasons the group's lines share"})
    lines = fields.Integer()
    amount_eur = Money(allow_none=True, metadata={"description": "Null when a context has no exchange rate"})
    reasons = fields.List(fields.Nested(ReasonSchema), metadata={"description": "The rules that did not pass"})
    decision = fields.Nested(GroupDecisionSchema, allow_none=True,
                             metadata={"description": "A flagged decision of the activity-year, to re-confirm"})


class GroupDecisionInputSchema(Schema):
    activity_id = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    year = Year(required=True)
    explanation_id = fields.Integer(required=True, validate=validate.Range(min=1, max=2**63 - 1))
    action = fields.String(required=True, validate=validate.OneOf(OverrideAction.ALL))
    reason = Text(max_length=2000, min_length=1, multiline=True, required=True)
    share = Text(max_length=20, metadata={
        "description": "For set_share: a fraction (\"0.75\") or a percentage (\"75 %\"); a string, never a float"})


class UndoInputSchema(Schema):
    reason = Text(max_length=2000, min_length=1, multiline=True, required=True)
