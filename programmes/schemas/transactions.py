"""Commitments, disbursements and refunds."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.fields import Currency, Id, LedgerDate, Money, Text, Version, Year
from programmes.models.enums import TransactionKind

KINDS = validate.OneOf([k.value for k in TransactionKind])


class TransactionQuerySchema(Schema):
    activity_id = Id(strict=False)
    activity = Text(max_length=40, metadata={"description": "Activity code"})
    programme = Text(max_length=30, metadata={"description": "Programme code"})
    kind = fields.String(validate=KINDS)
    year = Year(strict=False, metadata={"description": "Calendar year of the transaction date"})


class TransactionSchema(Schema):
    id = fields.Integer()
    activity_id = fields.Integer()
    activity_code = fields.String(attribute="activity.code")
    programme_id = fields.Integer(attribute="activity.programme_id")
    kind = fields.String()
    date = fields.Date()
    amount = Money(metadata={"description": "As booked, in `currency`; a refund is positive (money returned)"})
    currency = fields.String()
    amount_eur = Money(allow_none=True, metadata={
        "description": "EUR at the year's rate when booked; null when that rate was missing"})
    source = fields.String()
    document_number = fields.String()
    description = fields.String(allow_none=True)
    budget_article = fields.String(allow_none=True)
    import_batch_id = fields.Integer(allow_none=True)
    recorded_at = fields.DateTime()
    version = fields.Integer()


class TransactionCreateSchema(Schema):
    activity_code = Text(max_length=40, min_length=1, required=True)
    kind = fields.String(required=True, validate=KINDS)
    date = LedgerDate(required=True)
    amount = Money(required=True, metadata={
        "description": "In `currency`; a refund is money returned and booked positive, whatever its sign here"})
    currency = Currency(load_default="EUR")
    document_number = Text(max_length=60, min_length=1, required=True, blank=False)
    source = Text(max_length=20, load_default="ledger", validate=validate.Regexp(
        r"^[a-z][a-z0-9_]*$", error="Use lower-case letters, digits and '_'."), metadata={
        "description": "Where the document number comes from; (source, document_number) is unique"})
    description = Text(max_length=500, allow_none=True)
    budget_article = Text(max_length=40, allow_none=True)


class TransactionCorrectionSchema(Schema):
    """Send the ``version`` you read and only the fields you correct."""

    version = Version(required=True)
    activity_code = Text(max_length=40, min_length=1)
    kind = fields.String(validate=KINDS)
    date = LedgerDate()
    amount = Money()
    currency = Currency()
    description = Text(max_length=500, allow_none=True)
    budget_article = Text(max_length=40, allow_none=True)
