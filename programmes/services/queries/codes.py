"""Names of CRS codes (recipients, sectors, aid types…) for display.

The names come from whichever package answers ``programmes.hooks.code_check`` (the oda
package's reference data: its curated lists or the official ones an ODA officer loaded);
a code nobody knows is shown as the bare code. Looked-up names are kept for the rest
of the request; country names are in the reader's language where Babel knows them
(``app.web.place_names``).
"""
from __future__ import annotations

from datetime import date

from flask import g, has_request_context
from sqlalchemy.orm import Session

from app.web import current_language
from app.web.place_names import country_name
from programmes import hooks


def code_name(session: Session, list_name: str, code: str | None, year: int | None = None) -> str | None:
    """The name of ``code`` in ``list_name`` (e.g. "recipient", "purpose_code"), or None."""
    found = code_info(session, list_name, code, year)
    return found[0] if found else None


def code_info(session: Session, list_name: str, code: str | None,
              year: int | None = None) -> tuple[str | None, str] | None:
    """(name, status) where status is "valid", "withdrawn" or "unknown" in ``year``; None for no code."""
    if not code:
        return None
    year = year or date.today().year
    cache = g.setdefault("code_names", {}) if has_request_context() else {}
    key = (list_name, str(code), year, current_language() if has_request_context() else "en")
    if key not in cache:
        cache[key] = _look_up(session, list_name, str(code), year)
    return cache[key]


def code_names(session: Session, list_name: str, codes, year: int | None = None) -> dict[str, str]:
    """{code: name} for the codes the reference data knows."""
    return {c: n for c in {str(c) for c in codes if c} if (n := code_name(session, list_name, c, year))}


def _look_up(session: Session, list_name: str, code: str, year: int) -> tuple[str | None, str]:
    check = hooks.code_check(session, list_name, code, year)
    if check is None:
        return None, "unknown"
    if list_name == "recipient" and has_request_context():
        return country_name(check.name), check.status
    return check.name, check.status


def sector_names(session: Session, codes, year: int | None = None) -> dict[str, str]:
    """{code: name} of DAC sectors: 3-digit sector categories and 5-digit purpose codes."""
    codes = {str(c) for c in codes if c}
    return {**code_names(session, "sector_category", {c for c in codes if len(c) == 3}, year),
            **code_names(session, "purpose_code", {c for c in codes if len(c) == 5}, year)}


def code_choices(session: Session, list_name: str, years: list[int]) -> list:
    """The codes a form may offer for ``list_name`` in ``years`` (whoever answers
    ``programmes.hooks.code_choices``); none while nobody does."""
    choices = hooks.code_choices(session, list_name, years)
    if list_name == "recipient" and has_request_context():
        return [choice._replace(name=country_name(choice.name)) for choice in choices]
    return choices
