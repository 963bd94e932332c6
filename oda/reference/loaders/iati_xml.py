"""IATI "non-embedded" code lists (XML) that replicate the OECD DAC/CRS lists.

``<codelist name="Sector">`` with ``<codelist-item status=… activation-date=…
withdrawal-date=…>``, ``<code>``, ``<name><narrative>`` (English, plus xml:lang="fr"),
optional ``<description>`` and ``<category>``. Parsed with defusedxml: DTDs and
entities are refused.
"""
from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from oda.reference.batch import OFFICIAL, LoadBatch, LoadError, ParsedFile, sha256_of
from oda.reference.loaders.common import clean_code, clip, iso_date

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: IATI list name → our list; other IATI lists are not used by the classification
IATI_LISTS = {
    "Sector": "purpose_codes", "SectorCategory": "sector_categories", "AidType": "aid_types",
    "FlowType": "flow_types", "FinanceType": "finance_types", "CRSChannelCode": "channels",
    "CollaborationType": "bi_multi", "PolicyMarker": "policy_markers",
    "PolicySignificance": "policy_significance", "Region": "recipients",
}


def is_iati_codelist(data: bytes) -> bool:
    return b"<codelist" in data[:2000]


def parse(path: Path, data: bytes) -> ParsedFile:
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except (SafeET.ParseError, DefusedXmlException, ValueError) as exc:
        raise LoadError(f"{path.name}: not a well-formed IATI code list ({exc})") from None
    parsed = ParsedFile(str(path), sha256=sha256_of(data))
    if root.tag != "codelist":
        parsed.skipped = f"root element <{root.tag[:40]}> is not an IATI <codelist>"
        return parsed
    iati_name = root.get("name", "")
    list_name = IATI_LISTS.get(iati_name)
    if list_name is None:
        parsed.skipped = f"IATI list {iati_name[:60]!r} is not used by the classification"
        return parsed
    source = f"IATI code list {iati_name} ({path.name}), replicating the OECD DAC/CRS list"
    rows = [_row(item, list_name, source, f"{path.name}, item {n}")
            for n, item in enumerate(root.iter("codelist-item"), start=1)]
    if not rows:
        raise LoadError(f"{path.name}: the code list has no items")
    parsed.batches.append(LoadBatch(list_name, OFFICIAL, source, parsed.sha256, rows))
    return parsed


def _row(item: Element, list_name: str, source: str, where: str) -> dict:
    code = clean_code(item.findtext("code"), where)
    row = {
        "code": code,
        "name_en": clip(_narrative(item, "name", None), 300) or code,
        "name_fr": clip(_narrative(item, "name", "fr"), 300),
        "status": "withdrawn" if item.get("status") == "withdrawn" else "active",
        "source": source,
    }
    if list_name == "recipients":
        row["kind"] = "unspecified" if code == "998" else "region"
        return {k: v for k, v in row.items() if k in ("code", "name_en", "name_fr", "status", "source", "kind")}
    row["description"] = _narrative(item, "description", None)
    row["category"] = clip(item.findtext("category"), 10)
    row["activation_date"] = iso_date(item.get("activation-date"), where)
    row["withdrawal_date"] = iso_date(item.get("withdrawal-date"), where)
    if list_name == "policy_significance":
        row["sort_order"] = int(code) if code.isdigit() else None
    return row


def _narrative(item: Element, element: str, lang: str | None) -> str | None:
    for narrative in item.findall(f"{element}/narrative"):
        if narrative.get(XML_LANG) == lang:
            return (narrative.text or "").strip() or None
    return None
