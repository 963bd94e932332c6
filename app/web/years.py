"""The year a page opens on: the one asked for, else the one the reader chose last, else a default.

The start page and budget execution share the choice, kept in the signed session cookie, so a
reader working on 2024 stays on 2024 from page to page until they choose another year.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import session

MIN_YEAR, MAX_YEAR = 1900, 2200
SESSION_KEY = "year"


def year_from_text(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    if raw.isdigit() and len(raw) == 4 and MIN_YEAR <= int(raw) <= MAX_YEAR:
        return int(raw)
    return None


def chosen_year(asked: int | None, default: Callable[[], int]) -> int:
    """``asked`` (remembered), else the year remembered, else ``default()``."""
    if asked is not None:
        session[SESSION_KEY] = asked
        return asked
    remembered = session.get(SESSION_KEY)
    if isinstance(remembered, int) and MIN_YEAR <= remembered <= MAX_YEAR:
        return remembered
    return default()
