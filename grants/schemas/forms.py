"""Parsing the browser's forms: every value arrives as text; blanks mean "not given"; amounts and
dates are read as people type them (1.234,56 or 1,234.56; 31/12/2024), like the importer reads them."""
from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, pre_load, validate

from grants.models.enums import TrancheCondition
from app.web.forms import TypedAmount, TypedDate
from grants.schemas.fields import text
from programmes.models.enums import MainObjective

OBJECTIVES = [m.value for m in MainObjective]


class FormSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    @pre_load
    def blanks_are_missing(self, data, **_kwargs):
        return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()
                if k != "csrf_token" and not (isinstance(v, str) and not v.strip())}


class CallForm(FormSchema):
    scheme_id = fields.Integer(required=True)
    code = text(30, required=True)
    title = text(200, required=True)
    year = fields.Integer(required=True, validate=validate.Range(2000, 2100))
    budget_ceiling = TypedAmount(required=True)
    opens_on = TypedDate(required=True)
    closes_on = TypedDate()
    description = text(5000)


class ApplicationForm(FormSchema):
    call_id = fields.Integer()
    title = text(300)
    description = text(10000)
    organisation_name = text(200)
    organisation_kind = fields.String(load_default="ngo", validate=validate.OneOf(
        ["government", "ngo", "multilateral", "research", "private"]))
    full_name = text(200)
    email = text(254)
    phone = text(40)
    host_organisation = text(200)
    destination = text(80)
    start_date = TypedDate()
    end_date = TypedDate()
    recipient_code = text(5)
    amount_requested = TypedAmount()


class DecisionForm(FormSchema):
    outcome = fields.String(required=True, validate=validate.OneOf(["approve", "reject"]))
    amount = TypedAmount()
    reason = text(5000)
    main_objective = fields.String(validate=validate.OneOf(OBJECTIVES))
    override_budget = fields.Boolean(load_default=False, truthy={"on", "1", "yes", "true"})
    override_reason = text(2000)


class AssessmentForm(FormSchema):
    recommendation = fields.String(required=True, validate=validate.OneOf(["approve", "reject"]))
    recommended_amount = TypedAmount()
    main_objective = fields.String(validate=validate.OneOf(OBJECTIVES))
    comment = text(10000)


class TrancheForm(FormSchema):
    due_date = TypedDate(required=True)
    amount = TypedAmount(required=True)
    condition = fields.String(load_default="none", validate=validate.OneOf([c.value for c in TrancheCondition]))
    document_number = text(60)


class PaymentForm(FormSchema):
    tranche_id = fields.Integer(required=True)
    paid_on = TypedDate(required=True)
    amount = TypedAmount(required=True)
    document_number = text(60, required=True)


class ReasonForm(FormSchema):
    reason = text(2000, required=True)
    date = TypedDate()


class DecreaseForm(ReasonForm):
    amount = TypedAmount(required=True)


class DateForm(FormSchema):
    due_date = TypedDate()
    date = TypedDate()
    received_on = TypedDate()
    commitment_date = TypedDate()
    notes = text(10000)


def first_error(messages: dict) -> tuple[str, str]:
    """(field, message) of a marshmallow error dict, for a message next to the form."""
    field, problems = next(iter(messages.items()))
    if isinstance(problems, dict):
        return first_error(problems)
    return field, problems[0] if isinstance(problems, list) else str(problems)
