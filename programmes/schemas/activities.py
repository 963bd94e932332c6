"""Activities: projects, contributions and grants with their CRS attributes."""
from __future__ import annotations

import re
from decimal import Decimal

from marshmallow import Schema, fields, validate

from app.api.fields import Code, CrsCode, Currency, Flag, Id, LedgerDate, Money, Text, Version
from programmes.models.enums import (CRS_FLAGS, INTEREST_RATE_PATTERN, LOAN_REPAYMENT_TYPES, MAX_KEYWORDS_CHARS,
                                     MAX_REPAYMENTS_PER_YEAR, POLICY_MARKERS, TIED_STATUSES, ActivityStatus,
                                     MainObjective)

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


class InterestRate(fields.Field):
    """A loan's interest rate in percent a year, exchanged as a JSON string ("0.75"): 0–100,
    at most four decimals, exactly as ``INTEREST_RATE_PATTERN`` says (the document's pattern), so a
    rate the document allows is never refused. Integers are accepted; floats are refused (not exact)."""

    PATTERN = INTEREST_RATE_PATTERN
    default_error_messages = {
        "float": 'Send the rate as a JSON string such as "0.75", not as a floating-point number.',
        "invalid": 'Not an interest rate: percent a year from 0 to 100 with at most four decimals, such as "0.75".',
    }

    def __init__(self, **kwargs):
        metadata = {"example": "0.75", "pattern": self.PATTERN, "type": "string", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else format(Decimal(value).normalize(), "f")

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, float):
            raise self.make_error("float")
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise self.make_error("invalid")
        text = str(value)
        if not re.fullmatch(self.PATTERN, text):
            raise self.make_error("invalid")
        return Decimal(text)


def _crs_record_fields(loading: bool) -> dict:
    """Tied status (CRS 36–38), a loan's terms (44–49), SDG focus and keywords."""
    strict = {"strict": True} if loading else {}
    return {
        "tied_status": fields.String(allow_none=True, validate=validate.OneOf(list(TIED_STATUSES)) if loading
                                     else None, metadata={"description": "IATI TiedStatus: 3 partially untied, "
                                                          "4 tied, 5 untied; null = the installation's default"}),
        "loan_repayment_type": fields.Integer(allow_none=True, **strict, validate=validate.OneOf(
            list(LOAN_REPAYMENT_TYPES)) if loading else None, metadata={
                "description": "1 equal principal payments, 2 annuity, 3 lump sum, 5 other"}),
        "loan_repayments_per_year": fields.Integer(allow_none=True, **strict, validate=validate.Range(
            min=1, max=MAX_REPAYMENTS_PER_YEAR) if loading else None),
        "loan_interest_rate_1": InterestRate(allow_none=True),
        "loan_interest_rate_2": InterestRate(allow_none=True, metadata={
            "description": "from loan_interest_rate_2_date on"}),
        "loan_interest_rate_2_date": LedgerDate(allow_none=True) if loading else fields.Date(allow_none=True),
        "loan_first_repayment_date": LedgerDate(allow_none=True) if loading else fields.Date(allow_none=True),
        "loan_final_repayment_date": LedgerDate(allow_none=True) if loading else fields.Date(allow_none=True),
        "sdg_focus": Text(max_length=120, allow_none=True, metadata={
            "description": "Up to 10 SDG goals (1–17) or targets (4.1, 5.a), separated by ';'"}) if loading
        else fields.String(allow_none=True),
        "keywords": Text(max_length=MAX_KEYWORDS_CHARS, allow_none=True) if loading
        else fields.String(allow_none=True),
    }


class ActivityQuerySchema(Schema):
    programme = Text(max_length=30, metadata={"description": "Programme code"})
    code = Text(max_length=40, metadata={"description": "Activity code (exact)"})
    status = fields.String(validate=STATUSES)


class ActivitySchema(Schema.from_dict({**_marker_fields(loading=False), **_crs_record_fields(loading=False)},
                                       name="MarkerOutputSchema")):
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


class ActivityFieldsSchema(Schema.from_dict({**_marker_fields(loading=True), **_crs_record_fields(loading=True)},
                                             name="MarkerInputSchema")):
    """What a client may set on an activity; every field optional (see the subclasses)."""

    code = Code(40)
    title = Text(max_length=300, min_length=1, blank=False)
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
    commitment_amount = Money(sign="non_negative", allow_none=True)
    currency = Currency()
    start_date = LedgerDate(allow_none=True)
    end_date = LedgerDate(allow_none=True)
    status = fields.String(validate=STATUSES)


class ActivityCreateSchema(ActivityFieldsSchema):
    code = Code(40, required=True)
    title = Text(max_length=300, min_length=1, required=True, blank=False)
    programme_code = Text(max_length=30, min_length=1, required=True)


class ActivityUpdateSchema(ActivityFieldsSchema):
    """Send the ``version`` you read and only the fields you change."""

    version = Version(required=True)
