"""Fields shared by the grants schemas."""
from __future__ import annotations

from marshmallow import fields

from app.api.fields import Money  # noqa: F401 - one money rule for the whole API


def text(max_length: int, required: bool = False, **kwargs) -> fields.String:
    from marshmallow.validate import Length

    return fields.String(required=required, validate=Length(max=max_length), **kwargs)
