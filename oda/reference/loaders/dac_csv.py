"""The OECD DAC/CRS code lists as CSV (datasets/dac-crs-codes: recipients, channel
codes, sectors, aid/finance/flow types, collaboration types), recognised by file name.

``recipients.csv`` is a DAC List of ODA Recipients, but says nothing about the years
it is for: the caller must say (``list_years``), e.g. the years the workbook it was
extracted from names. MADCTs ("more advanced developing countries and territories")
are listed but are not eligible.
"""
from __future__ import annotations

from pathlib import Path

from oda.reference.batch import OFFICIAL, LoadBatch, LoadError, ParsedFile, sha256_of
from oda.reference.loaders.common import clean_code, clip, csv_rows

DAC_FILES = {
    "recipients": "recipients", "channel_codes": "channels", "sectors": "purpose_codes",
    "sector_categories": "sector_categories", "aid_types": "aid_types", "finance_types": "finance_types",
    "flow_types": "flow_types", "collaboration_types": "bi_multi",
}
REQUIRED = {"recipients": {"code", "name_en", "income_group"}, "default": {"code", "name_en"}}
UNALLOCATED = "Part I unallocated by income"
INCOME_GROUPS = {"LDCs": "LDC", "Other LICs": "Other LIC", "LMICs": "LMIC", "UMICs": "UMIC", "MADCTs": "MADCT"}


def recognises(path: Path) -> bool:
    return path.suffix.lower() == ".csv" and path.stem.lower() in DAC_FILES


def parse(path: Path, data: bytes, list_years: tuple[int, int] | None = None) -> ParsedFile:
    stem = path.stem.lower()
    list_name = DAC_FILES[stem]
    rows = csv_rows(path, data)
    missing = REQUIRED.get(stem, REQUIRED["default"]) - set(rows[0] if rows else ())
    if missing:
        raise LoadError(f"{path.name}: missing column(s) {', '.join(sorted(missing))}")
    parsed = ParsedFile(str(path), sha256=sha256_of(data))
    source = f"OECD DAC/CRS code list {path.name} (datasets/dac-crs-codes)"
    if list_name == "recipients":
        parsed.batches += recipient_batches(path, rows, source, parsed.sha256, list_years)
        return parsed
    out = [_code_row(path, n, row, list_name, source) for n, row in enumerate(rows, start=2)]
    parsed.batches.append(LoadBatch(list_name, OFFICIAL, source, parsed.sha256, [r for r in out if r]))
    return parsed


def _code_row(path: Path, line: int, row: dict, list_name: str, source: str) -> dict | None:
    code = clean_code(row["code"], f"{path.name}, line {line}")
    name = row.get("name_en") or row.get("description_en")
    if not name:
        return None
    out = {"code": code, "name_en": clip(name, 300), "name_fr": clip(row.get("name_fr"), 300), "source": source}
    if row.get("description_en"):
        out["description"] = row["description_en"]
    if row.get("category") and row["category"] != code:
        out["category"] = clip(row["category"], 10)
    if list_name == "channels":
        out["acronym"] = clip(row.get("acronym_en"), 60)
    return out


def recipient_batches(path: Path, rows: list[dict], source: str, sha: str,
                      list_years: tuple[int, int] | None) -> list[LoadBatch]:
    """Recipients, and their place on the list for ``list_years`` (countries only)."""
    if list_years is None:
        raise LoadError(f"{path.name}: say which reporting years this DAC List is for (--list-years 2024-2025), "
                        "or load it together with the OECD workbook it comes from")
    first, last = list_years
    recipients, eligibility = [], []
    for line, row in enumerate(rows, start=2):
        code = clean_code(row["code"], f"{path.name}, line {line}", max_length=5)
        group = row.get("income_group", "")
        kind = "unspecified" if code == "998" else ("region" if group == UNALLOCATED else "country")
        recipients.append({"code": code, "name_en": clip(row.get("name_en"), 200) or code,
                           "name_fr": clip(row.get("name_fr"), 200), "kind": kind,
                           "region": clip(row.get("geography") or row.get("region"), 60), "source": source,
                           **({"iso3": row["iso3"][:3]} if row.get("iso3") else {})})
        if kind == "country":
            eligibility.append(eligibility_row(code, group, first, last, source))
    return [LoadBatch("recipients", OFFICIAL, source, sha, recipients),
            LoadBatch("recipient_eligibility", OFFICIAL, source, sha, eligibility)]


def eligibility_row(code: str, group: str, first: int, last: int, source: str) -> dict:
    normalised = INCOME_GROUPS.get(group, clip(group, 20))
    return {"recipient_code": code, "year_from": first, "year_to": last, "origin": OFFICIAL,
            "on_list": normalised != "MADCT", "income_group": normalised,
            "list_name": f"DAC List for {first}–{last} flows", "source": source,
            "note": "more advanced developing country or territory: not eligible" if normalised == "MADCT" else None}
