"""Where an activity goes: a DAC recipient code as an IATI recipient-country or recipient-region.

IATI names countries by ISO 3166-1 alpha-2 (the Country code list); the DAC recipient
list (oda's ``oda_recipients``) gives each country its ISO alpha-3 code. Alpha-3 becomes
alpha-2 through the ISO 3166 table that CLDR publishes (its "overlong" territory aliases,
shipped with Babel, which the application already uses): a fixed, official mapping,
not a match of names. Kosovo has no ISO code; the DAC writes XKX and IATI's
user-assigned code is XK. A country without an alpha-3 code, or one the table does
not know, is not guessed: it has no place (``place_of`` returns None) and the activity
is written without a recipient country (the validation then reports it).

Regional codes (289 South of Sahara, 1027 Eastern Africa …) and 998 (developing
countries, unspecified) are IATI recipient-regions in vocabulary 1, the DAC's own
codes (the IATI Region list is the DAC list of regional codes).
"""
from __future__ import annotations

from typing import NamedTuple

from babel.core import get_global
from sqlalchemy import select
from sqlalchemy.orm import Session

from oda.models import Recipient

#: codes outside ISO 3166 that IATI's Country list assigns itself
USER_ASSIGNED = {"XKX": "XK"}
#: IATI RegionVocabulary 1: OECD DAC
DAC_REGIONS = "1"


class Place(NamedTuple):
    #: "country" or "region"
    element: str
    code: str


def iso2_of(iso3: str | None) -> str | None:
    if not iso3:
        return None
    iso3 = iso3.strip().upper()
    if iso3 in USER_ASSIGNED:
        return USER_ASSIGNED[iso3]
    replacement = get_global("territory_aliases").get(iso3)
    code = replacement[0] if replacement and len(replacement[0]) == 2 else None
    return None if code is None or _user_assigned(code) else code


def _user_assigned(code: str) -> bool:
    """ISO 3166-1 leaves AA, QM–QZ, XA–XZ and ZZ to users (CLDR maps unknown codes to ZZ)."""
    return code in ("AA", "ZZ") or code.startswith("X") or "QM" <= code <= "QZ"


def places(session: Session) -> dict[str, Place]:
    """{DAC recipient code: its IATI place}, for every recipient oda knows (a few hundred rows)."""
    found = {}
    for code, iso3, kind in session.execute(select(Recipient.code, Recipient.iso3, Recipient.kind)):
        if kind == "country":
            iso2 = iso2_of(iso3)
            if iso2:
                found[code] = Place("country", iso2)
        else:
            found[code] = Place("region", code)
    return found
