"""Domain errors of the programmes package (the type itself is shared, see app.errors)."""
from app.errors import ValidationError

__all__ = ["ValidationError", "money_value"]


def money_value(value, field: str):
    """A Decimal with at most two decimals, or a ValidationError naming the field."""
    from decimal import Decimal, InvalidOperation

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
