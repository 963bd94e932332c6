"""Fields shared by the grants schemas."""
from __future__ import annotations

from marshmallow import ValidationError, fields

from grants.services.common import money
from programmes.services.errors import ValidationError as DomainError


class Money(fields.Field):
    """An amount in euros with at most two decimals: "1234.50" (or a JSON number).

    JSON numbers arrive as floats; their shortest text form is what the client
    wrote, so that is what is checked — a value is never rounded.
    """

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else str(value)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ValidationError("Not an amount.")
        text = repr(value) if isinstance(value, float) else str(value).strip().replace(" ", "")
        if len(text) > 30:
            raise ValidationError("Not an amount.")
        try:
            return money(text, attr or "amount")
        except DomainError as exc:
            raise ValidationError(exc.message) from None


def text(max_length: int, required: bool = False, **kwargs) -> fields.String:
    from marshmallow.validate import Length

    return fields.String(required=required, validate=Length(max=max_length), **kwargs)
