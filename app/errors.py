"""The one domain error type every package raises, and the amount check that raises it.

A service that refuses a change raises :class:`ValidationError` naming the input at
fault (``field``); ``status`` says how the API answers it (``app.api.writes.writing``):
422 bad input, 409 a step the current state does not allow, 403 a user the rules exclude.
Packages subclass it for their own refusals and set ``status``.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

UNPROCESSABLE, CONFLICT, FORBIDDEN = 422, 409, 403


class ValidationError(ValueError):
    """A rule of the domain was broken; ``field`` names the input at fault."""

    status = UNPROCESSABLE

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def money_value(value, field: str) -> Decimal:
    """A Decimal with at most two decimals, or a ValidationError naming the field."""
    if isinstance(value, float):
        raise ValidationError("amounts must be exact decimals, not floating point", field)
    if isinstance(value, bool):
        raise ValidationError("not an amount", field)
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(f"not an amount: {value!r}", field) from None
    if not amount.is_finite():
        raise ValidationError(f"not an amount: {value!r}", field)
    if abs(amount) >= Decimal("1e15"):
        raise ValidationError(f"{value} is too large", field)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(f"{value} has more than two decimals", field)
    return amount.quantize(Decimal("0.01"))
