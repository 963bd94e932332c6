"""URL converters for database ids: one bound per column type, used by every route.

An id no column can hold names nothing. Bounding it in the URL rule answers 404
before the value reaches the database driver, which would otherwise fail with a
500 (PostgreSQL INTEGER past 2^31 - 1, SQLite past 2^63 - 1).
"""
from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

from app.api.fields import MAX_BIGINT, MAX_INT


class IdConverter(IntegerConverter):
    """``<id:name>``: the id of an INTEGER primary key (most tables)."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, min=1, max=MAX_INT)


class BigIdConverter(IntegerConverter):
    """``<bigid:name>``: the id of a BIGINT primary key (ledger lines, events, job runs)."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, min=1, max=MAX_BIGINT)


class YearConverter(IntegerConverter):
    """``<year:name>``: a calendar year; one past any INTEGER column's reach names nothing."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, fixed_digits=4, min=1000, max=9999)


def init_app(app: Flask) -> None:
    """Before any blueprint registers its rules."""
    app.url_map.converters["id"] = IdConverter
    app.url_map.converters["bigid"] = BigIdConverter
    app.url_map.converters["year"] = YearConverter
