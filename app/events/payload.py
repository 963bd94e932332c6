"""Turning model values into JSON payloads, and recording before/after."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum


def jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj, fields) -> dict:
    return {f: jsonable(getattr(obj, f)) for f in fields}


def changes(before: dict, after: dict) -> dict:
    """{field: {"before": old, "after": new}} for the fields that differ."""
    return {k: {"before": before.get(k), "after": after[k]} for k in after if before.get(k) != after[k]}
