"""Form basics: a WTForms base whose built-in messages ("Not a valid date value.") follow the page's
language, and the amount and date fields that read values as people type them."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext
from marshmallow import ValidationError as MarshmallowError
from marshmallow import fields
from wtforms import Form, StringField
from wtforms.i18n import get_translations
from wtforms.meta import DefaultMeta
from wtforms.validators import StopValidation

from app.values import CellError, parse_amount, parse_date
from app.web.filters import amount_input

MAX_AMOUNT_CHARS = 40
#: the largest amount the ledger stores (Money: integer cents below 10^15 euro)
AMOUNT_LIMIT = Decimal("1e15")


class _LanguageMeta(DefaultMeta):
    def get_translations(self, form):
        from app.web import current_language

        language = current_language()
        return None if language == "en" else get_translations([language])


class LocalizedForm(Form):
    """Use instead of ``wtforms.Form`` for forms shown to people."""

    Meta = _LanguageMeta


class AmountField(StringField):
    """An amount in euro as people type it: ``1.234,56``, ``1,234.56``, ``€ 1234,5``, ``-250``.

    Read by the importers' parser (``app.values.parse_amount``), so the form accepts what a
    spreadsheet cell accepts, with the same message; shown back in the reader's notation.
    ``data`` is a Decimal with two decimals, or None when the field is empty. ``currency`` is the
    one a typed sign may name (€, EUR); a view sets it for an activity kept in another currency.
    """

    currency = "EUR"

    def process_formdata(self, valuelist):
        self.raw_text = valuelist[0].strip() if valuelist and isinstance(valuelist[0], str) else ""
        self.data = None
        if not self.raw_text:
            return
        if len(self.raw_text) > MAX_AMOUNT_CHARS:
            raise ValueError(gettext("This amount is too long."))
        try:
            amount, currency = parse_amount(self.raw_text)
        except CellError as exc:
            raise ValueError(str(exc)) from None
        if abs(amount) >= AMOUNT_LIMIT:
            raise ValueError(gettext("%(value)s is too large", value=self.raw_text))
        self.data, self.typed_currency = amount, currency

    def pre_validate(self, form):
        typed = getattr(self, "typed_currency", None)
        if typed not in (None, self.currency):
            self.data = None
            raise StopValidation(gettext("Give the amount in %(currency)s, not in %(typed)s.",
                                         currency=self.currency, typed=typed))

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return amount_input(self.data)


class DayField(StringField):
    """A date as people type it: 31/12/2024, 31.12.2024 or 2024-12-31 (what ``<input type=date>`` sends)."""

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist and isinstance(valuelist[0], str) else ""
        self.data = None
        if not text:
            return
        try:
            self.data = parse_date(text[:40])
        except CellError as exc:
            raise ValueError(str(exc)) from None

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.data.isoformat() if self.data else ""


class TypedAmount(fields.Field):
    """For pages whose forms are marshmallow schemas: an amount in euro read like ``AmountField``."""

    def _deserialize(self, value, attr, data, **kwargs) -> Decimal | None:
        if not isinstance(value, str) or len(value) > MAX_AMOUNT_CHARS:
            raise MarshmallowError(gettext("This amount is too long.") if isinstance(value, str)
                                   else gettext("not an amount: %(value)s", value=repr(value)))
        try:
            amount, currency = parse_amount(value)
        except CellError as exc:
            raise MarshmallowError(str(exc)) from None
        if currency not in (None, AmountField.currency):
            raise MarshmallowError(gettext("Give the amount in %(currency)s, not in %(typed)s.",
                                           currency=AmountField.currency, typed=currency))
        if amount is not None and abs(amount) >= AMOUNT_LIMIT:
            raise MarshmallowError(gettext("%(value)s is too large", value=value))
        return amount


class TypedDate(fields.Field):
    """For marshmallow form schemas: a date read like ``DayField`` (31/12/2024, 31.12.2024, 2024-12-31)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise MarshmallowError(gettext("not a date: %(value)s (write 31/12/2024, 31.12.2024 or 2024-12-31)",
                                           value=repr(value)))
        try:
            return parse_date(value[:40])
        except CellError as exc:
            raise MarshmallowError(str(exc)) from None
