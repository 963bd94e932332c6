"""Locale-aware formatting of money, numbers and dates for templates."""
from __future__ import annotations

from decimal import Decimal

from flask import Flask
from flask_babel import format_currency, format_date, format_datetime, format_decimal, format_percent


def money(value, currency: str = "EUR") -> str:
    if value is None:
        return "–"
    return format_currency(Decimal(value), currency)


def number(value) -> str:
    return "–" if value is None else format_decimal(value)


def percent(value) -> str:
    return "–" if value is None else format_percent(value, format="#,##0.0%")


def date(value) -> str:
    return "–" if value is None else format_date(value, format="medium")


def datetime(value) -> str:
    return "–" if value is None else format_datetime(value, format="medium")


def init_app(app: Flask) -> None:
    for name, func in {"money": money, "number": number, "percent": percent, "date": date,
                       "datetime": datetime}.items():
        app.add_template_filter(func, name)
