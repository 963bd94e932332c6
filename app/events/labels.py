"""Event types and payload fields in words for people: ``BudgetLineChanged`` → "Budget line changed",
``planned_amount`` → "Planned amount" (translated).

The words are the type split at its capitals; every type a package publishes is listed in
app/translations/dynamic_messages.py so the catalogs carry it (tests/app/events/test_labels.py
checks that every published type has its Dutch words).
"""
from __future__ import annotations

import re
from functools import lru_cache

from flask_babel import gettext

_WORD = re.compile(r"[A-Z][a-z]*|[a-z]+|\d+")


@lru_cache(maxsize=512)
def event_words(event_type: str) -> str:
    """The English words of ``event_type`` (the msgid): "ApiTokenRevoked" → "Api token revoked"."""
    words = _WORD.findall(event_type or "")
    if not words:
        return event_type
    return " ".join([words[0], *(w.lower() for w in words[1:])])


def event_label(event_type: str) -> str:
    """The words of ``event_type`` in the reader's language."""
    return gettext(event_words(event_type))


def field_words(key: str) -> str:
    """The English words of a payload field (the msgid): "planned_amount" → "Planned amount"."""
    words = str(key).replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else str(key)


def field_label(key: str) -> str:
    """A payload field in the reader's language; a field the catalogue does not know stays in words."""
    return gettext(field_words(key))
