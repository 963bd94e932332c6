"""Countries as IATI names them (ISO 3166-1 alpha-2, ``recipient-country/@code``) and the
DAC recipient code of each, found through the recipient's ISO alpha-3 code in the loaded
reference data (the curated list, or the official DAC list once loaded)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from oda.models.recipients import Recipient
from oda.reference.loaders.common import csv_rows

ISO_FILE = Path(__file__).resolve().parent / "data" / "iso3166_countries.csv"


@lru_cache(maxsize=1)
def _alpha3_by_alpha2() -> dict[str, str]:
    return {row["alpha2"]: row["alpha3"] for row in csv_rows(ISO_FILE, ISO_FILE.read_bytes())}


def recipient_code_for_country(session: Session, iso2: str) -> str | None:
    """The DAC recipient code of an ISO 3166-1 alpha-2 country ("MZ" → "259"), or None when
    the code is not a country or no loaded recipient carries its alpha-3 code."""
    alpha3 = _alpha3_by_alpha2().get((iso2 or "").strip().upper())
    if alpha3 is None:
        return None
    return session.scalar(select(Recipient.code).where(Recipient.iso3 == alpha3, Recipient.kind == "country")
                          .order_by(Recipient.code).limit(1))
