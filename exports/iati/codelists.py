"""The official IATI code lists Aidledger does not load into tables, read from their XML files.

A folder (setting AIDLEDGER_IATI_CODELIST_DIR) holds files like ``Currency.xml``:
``<codelist name="Currency">`` with ``<codelist-item status="withdrawn"?>`` and its
``<code>``. A list is read on first use and kept per process (by path and modification
time); a list whose file is not in the folder is reported as not checked.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import NamedTuple

from flask_babel import gettext
from lxml import etree

from app.errors import ValidationError

ACTIVE, WITHDRAWN, UNKNOWN = "active", "withdrawn", "unknown"
MAX_LIST_BYTES = 20 * 1024 * 1024

_cache: dict[str, tuple[float, "Codelist"]] = {}
_lock = threading.Lock()


class CodelistError(ValidationError):
    """A code-list file in the folder cannot be read."""


class Codelist(NamedTuple):
    name: str
    #: code → "active" or "withdrawn"
    codes: dict[str, str]

    def status(self, code: str) -> str:
        return self.codes.get(code, UNKNOWN)


def load_codelist(folder: Path, name: str) -> Codelist | None:
    """The list ``name`` (``Currency``) from ``folder/Currency.xml``; None when the file is absent."""
    path = folder / f"{name}.xml"
    if not path.is_file():
        return None
    mtime = path.stat().st_mtime
    with _lock:
        cached = _cache.get(str(path))
        if cached is None or cached[0] != mtime:
            cached = _cache[str(path)] = (mtime, parse_codelist(path))
    return cached[1]


def parse_codelist(path: Path) -> Codelist:
    if path.stat().st_size > MAX_LIST_BYTES:
        raise CodelistError(gettext("%(file)s: larger than %(mb)d MB, not an IATI code list", file=path.name,
                                    mb=MAX_LIST_BYTES // 2**20))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as exc:
        raise CodelistError(gettext("%(file)s: not a well-formed IATI code list (%(error)s)", file=path.name,
                                    error=exc)) from None
    if root.tag != "codelist" or root.getroottree().docinfo.internalDTD is not None:
        raise CodelistError(gettext("%(file)s: not an IATI <codelist> file", file=path.name))
    codes = {}
    for item in root.iter("codelist-item"):
        code = (item.findtext("code") or "").strip()
        if code:
            codes[code] = WITHDRAWN if item.get("status") == WITHDRAWN else ACTIVE
    if not codes:
        raise CodelistError(gettext("%(file)s: the code list has no items", file=path.name))
    return Codelist(root.get("name") or path.stem, codes)
