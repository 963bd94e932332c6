"""Locale-aware formatting of money, numbers and dates for templates.

Money is formatted on every cell of the large tables, where Babel's general
``format_currency`` costs a tenth of a millisecond a call. ``money`` therefore
learns each (locale, currency) shape once from Babel (prefix, separators,
suffix) and reuses it; any shape it does not recognise goes back to Babel.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from babel.numbers import format_currency as babel_currency
from babel.numbers import format_percent as babel_percent
from flask import Flask
from jinja2 import pass_context
from flask_babel import format_date, format_datetime, format_decimal, get_locale

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
PERCENT_FORMAT = "#,##0.0%"
#: amounts in form fields: grouped, two decimals, in the reader's separators
AMOUNT_INPUT_FORMAT = "#,##0.00"
#: the sample Babel formats to reveal a locale's shape: 1,234,567.89 with every separator
_SHAPE = re.compile(r"^(?P<prefix>[^\d]*)1(?P<group>[^\d]?)234(?P=group)567(?P<decimal>[^\d])89(?P<suffix>[^\d]*)$")


@dataclass(frozen=True)
class MoneyShape:
    positive: tuple[str, str]
    negative: tuple[str, str]
    group: str
    decimal: str

    def format(self, value: Decimal) -> str:
        prefix, suffix = self.negative if value < 0 else self.positive
        whole, cents = divmod(int(abs(value).quantize(CENT, rounding=ROUND_HALF_EVEN) * 100), 100)
        grouped = f"{whole:,}".replace(",", self.group)
        return f"{prefix}{grouped}{self.decimal}{cents:02d}{suffix}"


@lru_cache(maxsize=128)
def money_shape(locale: str, currency: str) -> MoneyShape | None:
    """The shape of amounts in ``currency`` for ``locale``, or None when it is not the usual one."""
    positive = _SHAPE.match(babel_currency(Decimal("1234567.89"), currency, locale=locale))
    negative = _SHAPE.match(babel_currency(Decimal("-1234567.89"), currency, locale=locale))
    if not positive or not negative or positive["group"] != negative["group"] \
            or positive["decimal"] != negative["decimal"] or not positive["group"]:
        return None
    return MoneyShape((positive["prefix"], positive["suffix"]), (negative["prefix"], negative["suffix"]),
                      positive["group"], positive["decimal"])


def money(value, currency: str = "EUR") -> str:
    if value is None:
        return "–"
    value = Decimal(value)
    locale = str(get_locale() or "en")
    shape = money_shape(locale, currency) if value == value.quantize(CENT) else None
    if shape is None:
        return babel_currency(value, currency, locale=locale)
    return shape.format(value)


def number(value) -> str:
    return "–" if value is None else format_decimal(value)


def counted(value, key: str = ""):
    """A value a job or export counted, under its ``key``: a number as the reader writes numbers,
    except a year or an identifier, which is written as it is ("2025", never "2.025")."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return value
    return str(value) if is_year_or_id(key) else number(value)


def is_year_or_id(key: str) -> bool:
    """The one place that says which counted values are years or identifiers, not quantities."""
    return key in ("year", "id", "year_from", "year_to") or key.endswith(("_year", "_id"))


_PERCENT_SHAPE = re.compile(
    r"^(?P<prefix>[^\d]*)1(?P<group>[^\d]?)234(?P=group)567(?P<decimal>[^\d])9(?P<suffix>[^\d]*)$")


@lru_cache(maxsize=32)
def percent_shape(locale: str) -> MoneyShape | None:
    """Percentages with one decimal, learned from Babel like money."""
    positive = _PERCENT_SHAPE.match(babel_percent(Decimal("12345.679"), PERCENT_FORMAT, locale=locale))
    negative = _PERCENT_SHAPE.match(babel_percent(Decimal("-12345.679"), PERCENT_FORMAT, locale=locale))
    if not positive or not negative or not positive["group"] or positive["group"] != negative["group"] \
            or positive["decimal"] != negative["decimal"]:
        return None
    return MoneyShape((positive["prefix"], positive["suffix"]), (negative["prefix"], negative["suffix"]),
                      positive["group"], positive["decimal"])


def percent(value) -> str:
    if value is None:
        return "–"
    value = Decimal(value)
    locale = str(get_locale() or "en")
    shape = percent_shape(locale)
    if shape is None:
        return babel_percent(value, PERCENT_FORMAT, locale=locale)
    prefix, suffix = shape.negative if value < 0 else shape.positive
    whole, tenth = divmod(int((abs(value) * 100).quantize(TENTH, rounding=ROUND_HALF_EVEN) * 10), 10)
    return f"{prefix}{f'{whole:,}'.replace(',', shape.group)}{shape.decimal}{tenth}{suffix}"


def amount_input(value) -> str:
    """An amount as the reader types it, for a form field: 5.250.000,00 in Dutch, 5,250,000.00 in English."""
    if value is None or value == "":
        return ""
    return format_decimal(Decimal(value), format=AMOUNT_INPUT_FORMAT)


@pass_context
def _amount_input_filter(_context, value) -> str:
    """``amount_input`` for templates; taking the context keeps Jinja from computing
    ``1250000|amount_input`` once at compile time, in the language of the first reader."""
    return amount_input(value)


def date(value) -> str:
    return "–" if value is None else format_date(value, format="medium")


def datetime(value) -> str:
    return "–" if value is None else format_datetime(value, format="medium")


def init_app(app: Flask) -> None:
    for name, func in {"money": money, "number": number, "counted": counted, "percent": percent,
                       "amount_input": _amount_input_filter, "date": date, "datetime": datetime}.items():
        app.add_template_filter(func, name)
