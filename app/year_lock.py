"""Submitted reporting years are locked: one registry every writer of CRS figures asks.

The package that owns submissions (``exports``) registers, at ``init_app``, a function
answering which of some years are locked and why; the writers (the ledger, activities,
exchange rates, overrides, imports, reclassification) call ``refuse_locked`` or
``locked_years`` without knowing that package, so app/ imports no domain package.
"""
from __future__ import annotations

from typing import Callable, Iterable

from sqlalchemy.orm import Session

from app.errors import ValidationError

#: (session, years) -> {locked year: the refusal message naming its submission}
LockProvider = Callable[[Session, frozenset], dict]
_providers: list[LockProvider] = []


class YearLocked(ValidationError):
    """A change would alter a figure of a submitted year's CRS."""

    def __init__(self, year: int, message: str, field: str | None = None):
        super().__init__(message, field)
        self.year = year


def register_lock_provider(provider: LockProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def locked_years(session: Session, years: Iterable[int | None]) -> dict[int, str]:
    """The locked years among ``years``, each with the message that names its submission."""
    wanted = frozenset(y for y in years if y is not None)
    found: dict[int, str] = {}
    if wanted:
        with session.no_autoflush:  # asked in the middle of a change: flush nothing early
            for provider in _providers:
                found.update(provider(session, wanted))
    return found


def refuse_locked(session: Session, years: Iterable[int | None], field: str | None = None) -> None:
    """Raise ``YearLocked`` when any of ``years`` is a submitted year."""
    found = locked_years(session, years)
    if found:
        year = min(found)
        raise YearLocked(year, found[year], field)
