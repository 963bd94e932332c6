"""Programmes, their budget lines and per-year totals."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.fields import Money, Text, Version, Year
from programmes.models.enums import PolicyArea, ProgrammeKind

#: "" (the programme as a whole) or a 3- or 5-digit DAC sector code
SECTOR = validate.Regexp(r"^(\d{3}|\d{5})?$",
                         error="Use a 3- or 5-digit DAC sector code, or \"\" for the whole programme.")


class ProgrammeQuerySchema(Schema):
    kind = fields.String(validate=validate.OneOf([k.value for k in ProgrammeKind]))
    country = Text(max_length=5, metadata={"description": "DAC recipient code of the partner country"})
    policy_area = fields.String(validate=validate.OneOf([p.value for p in PolicyArea]))


class ProgrammeSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    kind = fields.String()
    partner_country = fields.String(allow_none=True)
    start_year = fields.Integer()
    end_year = fields.Integer()
    focus_sectors = fields.List(fields.String())
    policy_area = fields.String()
    description = fields.String(allow_none=True)
    version = fields.Integer()


class BudgetLineSchema(Schema):
    id = fields.Integer()
    year = fields.Integer()
    sector = fields.String(metadata={"description": "\"\" for the programme as a whole"})
    planned_amount = Money()
    currency = fields.String()
    version = fields.Integer()


class YearTotalSchema(Schema):
    """A row of the ``programme_year_totals`` projection (EUR)."""

    year = fields.Integer()
    in_period = fields.Boolean(
        metadata={"description": "False for a year outside the programme period that has bookings"})
    planned = Money(attribute="totals.planned")
    committed = Money(attribute="totals.committed")
    disbursed = Money(attribute="totals.disbursed")


class ProgrammeDetailSchema(ProgrammeSchema):
    budget_lines = fields.List(fields.Nested(BudgetLineSchema))
    totals = fields.List(fields.Nested(YearTotalSchema))
    totals_pending_events = fields.Integer(metadata={
        "description": "Events not yet counted in the totals (the projection is updated in the background); "
                       "0 means up to date, 1000 means at least 1000"})


class BudgetLineInputSchema(Schema):
    """Set the planned amount of one year (and sector) of a programme."""

    year = Year(required=True)
    sector = Text(max_length=5, validate=SECTOR, load_default="")
    planned_amount = Money(sign="non_negative", required=True)
    version = Version(metadata={"description": "Optional: the version of the line you read; "
                                               "a line changed meanwhile answers 409"})
