"""Marshmallow fields shared by every API: exact money, safe text, bounded ids."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from marshmallow import fields, validate

CENT = Decimal("0.01")
#: at most 15 ASCII digits before the point (Money() refuses |amount| ≥ 10^15) and 2 after;
#: written as [0-9], not \d, which in Python also takes "١٢٣" (and the spec's readers are not Python)
AMOUNT_PATTERN = r"^-?[0-9]{1,15}(\.[0-9]{1,2})?$"
#: the same without a minus sign, and that with at least one digit other than 0
NON_NEGATIVE_AMOUNT_PATTERN = r"^[0-9]{1,15}(\.[0-9]{1,2})?$"
POSITIVE_AMOUNT_PATTERN = r"^(?=[0-9.]*[1-9])[0-9]{1,15}(\.[0-9]{1,2})?$"
MAX_INT = 2**31 - 1
MAX_BIGINT = 2**63 - 1
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_BREAKS = re.compile(r"[\r\n]")
#: something besides white space (``re.match`` and a JSON Schema ``pattern`` read it alike)
NOT_BLANK = r"^\s*\S"
#: the characters a Text field takes, for the document (a line: tabs but no line breaks)
LINE_CHARACTER = r"[^\x00-\x08\x0a-\x1f\x7f]"
MULTILINE_CHARACTER = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
EARLIEST_DATE = date(1950, 1, 1)
LATEST_DATE = date(2100, 12, 31)
#: the same range for the document, where a date is a string (JSON Schema cannot bound it): years
#: 1950–2100 (tests/app/test_api_contract.py checks it against the two dates), then a month and a day
LEDGER_DATE_PATTERN = r"^(?:19[5-9][0-9]|20[0-9]{2}|2100)-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$"


class Money(fields.Field):
    """An amount with at most two decimals, exchanged as a JSON string ("1234.50").

    Exactly what the OpenAPI document says: a string matching ``AMOUNT_PATTERN`` as a
    whole (no trailing newline). JSON numbers are refused: floats because ``0.1`` has
    already lost its exact value by the time it is parsed, integers because the
    document promises a string and a client relying on them breaks elsewhere.
    ``sign="non_negative"`` (planned amounts, allowances) refuses a minus sign,
    ``sign="positive"`` (payments, tranches, amounts asked) refuses zero as well;
    the pattern in the document says the same.
    """

    PATTERNS = {"any": AMOUNT_PATTERN, "non_negative": NON_NEGATIVE_AMOUNT_PATTERN,
                "positive": POSITIVE_AMOUNT_PATTERN}
    default_error_messages = {
        "float": 'Send amounts as JSON strings such as "1234.50", not as floating-point numbers.',
        "number": 'Send amounts as JSON strings such as "1234.50", not as numbers.',
        "invalid": 'Not an amount: use digits, an optional minus sign and at most two decimals, such as "1234.50".',
        "non_negative": "This amount cannot be negative.",
        "positive": "This amount must be more than zero.",
    }

    def __init__(self, sign: str = "any", **kwargs):
        self.sign = sign
        metadata = {"example": "1234.50", "pattern": self.PATTERNS[sign], **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        amount = Decimal(value).quantize(CENT)
        return str(amount if amount else Decimal("0.00"))

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, float):
            raise self.make_error("float")
        if isinstance(value, int) and not isinstance(value, bool):
            raise self.make_error("number")
        if not isinstance(value, str) or len(value) > 40 or not re.fullmatch(AMOUNT_PATTERN, value):
            raise self.make_error("invalid")
        if not re.fullmatch(self.PATTERNS[self.sign], value):
            raise self.make_error(self.sign)
        return Decimal(value).quantize(CENT)


class Text(fields.String):
    """A string of bounded length without control characters.

    PostgreSQL refuses NUL in text (a 500 if it got that far), and control
    characters have no business in a title or a code; ``multiline`` allows
    line breaks and tabs for descriptions. ``blank=False``: the text must hold
    something besides spaces (the services strip it and refuse what is left
    empty); the OpenAPI document says so with ``minLength`` and ``pattern``.
    """

    default_error_messages = {
        "control": "Control characters are not allowed.",
        "line_break": "Line breaks are not allowed here.",
    }

    def __init__(self, *, max_length: int, min_length: int = 0, multiline: bool = False, blank: bool = True,
                 **kwargs):
        extra = kwargs.pop("validate", None)
        validators = [validate.Length(min=min_length if blank else max(min_length, 1), max=max_length)]
        if not blank:
            validators.append(validate.Regexp(NOT_BLANK, error="Write something here, not only spaces."))
        if extra is not None:
            validators.extend(extra if isinstance(extra, (list, tuple)) else [extra])
        else:
            kwargs["metadata"] = {"pattern": _text_pattern(multiline, blank), **kwargs.get("metadata", {})}
        self.multiline = multiline
        super().__init__(validate=validators, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if CONTROL_CHARACTERS.search(text):
            raise self.make_error("control")
        if not self.multiline and LINE_BREAKS.search(text):
            raise self.make_error("line_break")
        return text


def _text_pattern(multiline: bool, blank: bool) -> str:
    """What a Text field refuses, said in the document: control characters, line breaks
    (unless multiline) and, with ``blank=False``, nothing but white space."""
    something = "" if blank else r"(?=[\s\S]*\S)"
    return f"^{something}{MULTILINE_CHARACTER if multiline else LINE_CHARACTER}*$"


def Code(max_length: int, **kwargs) -> Text:  # noqa: N802 - reads like a field class
    """An identifier people type and put in URLs: letters, digits, '.', '_', '-'."""
    return Text(max_length=max_length, min_length=1, validate=validate.Regexp(
        r"^[A-Za-z0-9][A-Za-z0-9._-]*$", error="Use letters, digits, '.', '_' and '-' only."), **kwargs)


def CrsCode(max_length: int, **kwargs) -> Text:  # noqa: N802
    """A code of an OECD list (purpose, channel, aid type …): its shape only; the
    lists themselves are checked by ODA classification."""
    return Text(max_length=max_length, min_length=1, validate=validate.Regexp(
        r"^[A-Za-z0-9.]+$", error="Not a code: letters, digits and '.' only."), **kwargs)


def Currency(**kwargs) -> Text:  # noqa: N802
    return Text(max_length=3, validate=validate.Regexp(
        r"^[A-Z]{3}$", error="Use a three-letter ISO 4217 code in capitals, such as EUR."), **kwargs)


def Id(big: bool = False, strict: bool = True, **kwargs) -> fields.Integer:  # noqa: N802
    """A database id: a positive integer the column can hold (bodies: strict JSON integers)."""
    return fields.Integer(strict=strict, validate=validate.Range(min=1, max=MAX_BIGINT if big else MAX_INT),
                          **kwargs)


def Version(**kwargs) -> fields.Integer:  # noqa: N802
    """The row version the client read; a different current version answers 409."""
    metadata = {"description": "The version you read; if the record changed since, the answer is 409.",
                **kwargs.pop("metadata", {})}
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_INT), metadata=metadata, **kwargs)


def Year(strict: bool = True, first: int = EARLIEST_DATE.year, **kwargs) -> fields.Integer:  # noqa: N802
    """A calendar year the ledger can hold (``first`` later where a service starts later, e.g. the CRS)."""
    return fields.Integer(strict=strict, validate=validate.Range(min=first, max=LATEST_DATE.year), **kwargs)


def LedgerDate(**kwargs) -> fields.Date:  # noqa: N802
    """An ISO date in a plausible range (a typed 0202 instead of 2022 is refused); the document's
    ``pattern`` says the range, so a date it allows is never refused."""
    metadata = {"pattern": LEDGER_DATE_PATTERN, **kwargs.pop("metadata", {})}
    return fields.Date(validate=validate.Range(min=EARLIEST_DATE, max=LATEST_DATE), metadata=metadata, **kwargs)


class Flag(fields.Boolean):
    """JSON ``true`` or ``false`` and nothing else: ``1``, ``"yes"`` and ``null`` are refused
    (marshmallow's Boolean would take them, and ``1 == True`` for its truthy set)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is not bool:
            raise self.make_error("invalid", input=value)
        return value
