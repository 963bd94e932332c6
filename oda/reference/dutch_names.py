"""Dutch names of the CRS sector categories and purpose codes the Flemish portfolio uses.

The OECD publishes the DAC/CRS code lists in English and French only, and the department
reads Dutch, so staff looking for "landbouw" find 311 and 31120. ``names_nl.csv`` is a small
curated list: the 25 sector categories of the curated reference data and the purpose codes
the demo portfolio and the curated list use, translated for Aidledger from the official
English names (IATI/OECD DAC-CRS lists, oda/reference/data), in the wording of Flemish
development cooperation. It is no official translation: the CRS file and the reference data
keep the English names; any other code, and every reader who does not read Dutch, gets the
name of the loaded list. Add a row to name another code in Dutch. Countries are named in Dutch
from Babel's CLDR data (``app.web.place_names``), so ``reader_name`` names any code of any list.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from flask import has_request_context
from flask_babel import get_locale

from app.web.place_names import country_name
from oda.reference.lists import resolve

NAMES_FILE = Path(__file__).with_name("names_nl.csv")


@lru_cache(maxsize=1)
def dutch_names() -> dict[tuple[str, str], str]:
    """{(list name, code): Dutch name}, read once."""
    with NAMES_FILE.open(encoding="utf-8", newline="") as f:
        return {(row["list"], row["code"]): row["name_nl"] for row in csv.DictReader(f)}


def reader_reads_dutch() -> bool:
    return has_request_context() and str(get_locale() or "en").startswith("nl")


def local_name(list_name: str, code: str, name: str | None) -> str | None:
    """``name`` (from the loaded list), or the code's Dutch name for a reader of Dutch."""
    if name is None or not reader_reads_dutch():
        return name
    return dutch_names().get((resolve(list_name).name, code), name)


def reader_name(list_name: str, code: str, name: str | None) -> str | None:
    """The English ``name`` of ``code`` as the reader says it: a country in Dutch from CLDR
    ("Zuid-Afrika"), a sector or purpose code from ``names_nl.csv``, any other name as it is."""
    if resolve(list_name).name == "recipients":
        return country_name(name)
    return local_name(list_name, code, name)
