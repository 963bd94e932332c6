"""Country names in the reader's language.

The DAC recipient list names countries in English (and French); Babel's CLDR data knows the
names in Dutch. A recipient whose English name CLDR also uses (South Africa → ZA) is shown with
the Dutch name (Zuid-Afrika); regions and names CLDR spells otherwise keep the list's name.
"""
from __future__ import annotations

from functools import lru_cache

from babel import Locale

from app.web import FORMAT_LOCALES, current_language


@lru_cache(maxsize=1)
def _territory_by_english_name() -> dict[str, str]:
    return {name: code for code, name in Locale("en").territories.items() if code.isalpha()}


@lru_cache(maxsize=4096)
def _translated(english_name: str, language: str) -> str:
    territory = _territory_by_english_name().get(english_name)
    if territory is None:
        return english_name
    return Locale.parse(FORMAT_LOCALES[language]).territories.get(territory, english_name)


def country_name(english_name: str | None) -> str | None:
    """``english_name`` as the reader says it: "Zuid-Afrika" for a Dutch reader of "South Africa"."""
    if not english_name:
        return english_name
    language = current_language()
    return english_name if language == "en" else _translated(english_name, language)
