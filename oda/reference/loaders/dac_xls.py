"""The OECD DAC/CRS code-list workbook (codelists-2020-09.xls and later editions).

Two sheets matter: "Channel codes", the Annex 2 single table with the "Coefficient
for core contributions" per organisation and year, and "Recipient", the DAC List with
ISO codes and a note naming the reporting years it is effective for. Read with
python-calamine, which reads the old .xls format (no xlrd needed).
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from oda.reference.batch import OFFICIAL, LoadBatch, LoadError, ParsedFile, sha256_of
from oda.reference.loaders.common import clean_code, clip
from oda.reference.loaders.dac_csv import INCOME_GROUPS, UNALLOCATED, eligibility_row

CHANNEL_SHEET = "Channel codes"
RECIPIENT_SHEET = "Recipient"
HEADER_SEARCH_ROWS = 20
YEARS_NOTE = re.compile(r"effective for reporting on ([^.]*?) flows", re.I)
NOT_ASSESSED = "not assessed"


def recognises(path: Path) -> bool:
    return path.suffix.lower() in (".xls", ".xlsx")


def parse(path: Path, data: bytes, list_years: tuple[int, int] | None = None) -> ParsedFile:
    try:
        workbook = CalamineWorkbook.from_filelike(_BytesReader(data))
    except (CalamineError, ValueError, OSError) as exc:
        raise LoadError(f"{path.name}: not a readable workbook ({exc})") from None
    parsed = ParsedFile(str(path), sha256=sha256_of(data))
    names = workbook.sheet_names
    if CHANNEL_SHEET not in names and RECIPIENT_SHEET not in names:
        parsed.skipped = f"no sheet named {CHANNEL_SHEET!r} or {RECIPIENT_SHEET!r}"
        return parsed
    if CHANNEL_SHEET in names:
        parsed.batches.append(_annex2(path, _sheet(workbook, CHANNEL_SHEET), parsed.sha256))
    if RECIPIENT_SHEET in names:
        parsed.batches += _recipients(path, _sheet(workbook, RECIPIENT_SHEET), parsed.sha256, list_years)
    return parsed


def list_years_of(path: Path, data: bytes) -> tuple[int, int] | None:
    """The reporting years the workbook's DAC List is effective for (from its note)."""
    try:
        workbook = CalamineWorkbook.from_filelike(_BytesReader(data))
        if RECIPIENT_SHEET not in workbook.sheet_names:
            return None
        return _years_from_note(_sheet(workbook, RECIPIENT_SHEET))
    except (CalamineError, ValueError, OSError):
        return None


def _sheet(workbook, name: str) -> list[list]:
    return workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)


def _header_index(path: Path, rows: list[list], first_cell: str, sheet: str) -> int:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(isinstance(c, str) and c.strip().lower() == first_cell.lower() for c in row):
            return index
    raise LoadError(f"{path.name}, sheet {sheet!r}: no header row with {first_cell!r}")


def _columns(header: list) -> dict[str, int]:
    return {str(c).strip().lower(): i for i, c in enumerate(header) if str(c).strip()}


def _annex2(path: Path, rows: list[list], sha: str) -> LoadBatch:
    start = _header_index(path, rows, "Channel ID", CHANNEL_SHEET)
    col = _columns(rows[start])
    need = ("channel id", "year", "coefficient for core contributions", "full name (english)")
    if any(n not in col for n in need):
        raise LoadError(f"{path.name}, sheet {CHANNEL_SHEET!r}: expected columns {', '.join(need)}")
    source = f"OECD DAC code lists {path.name}, sheet {CHANNEL_SHEET!r} (Annex 2 single table)"
    out = []
    for number, row in enumerate(rows[start + 1:], start=start + 2):
        entry = _annex2_row(path, number, row, col, source)
        if entry is not None:
            out.append(entry)
    if not out:
        raise LoadError(f"{path.name}, sheet {CHANNEL_SHEET!r}: no organisation with a year and a coefficient")
    return LoadBatch("annex2_coefficients", OFFICIAL, source, sha, out)


def _annex2_row(path: Path, number: int, row: list, col: dict, source: str) -> dict | None:
    year, raw = row[col["year"]], row[col["coefficient for core contributions"]]
    if not isinstance(year, float) or raw in ("", None):
        return None
    where = f"{path.name}, sheet {CHANNEL_SHEET!r}, row {number}"
    coefficient = _coefficient(raw, where)
    aid_column = next((i for name, i in col.items() if name.startswith("general contributions reported")), None)
    notes = col.get("references/notes")
    return {
        "channel_code": clean_code(row[col["channel id"]], where, max_length=5), "year": int(year),
        "origin": OFFICIAL, "coefficient": coefficient,
        "core_aid_type": clip(row[aid_column], 4) if aid_column is not None else None,
        "acronym": clip(row[col["acronym (eng)"]], 60) if "acronym (eng)" in col else None,
        "name_en": clip(row[col["full name (english)"]], 300) or "?", "source": source,
        "note": "coefficient not assessed" if coefficient is None else clip(row[notes], 300) if notes else None,
    }


def _coefficient(raw, where: str) -> Decimal | None:
    if isinstance(raw, str) and raw.strip().lower() == NOT_ASSESSED:
        return None
    try:
        percent = Decimal(str(raw).strip().rstrip("%"))
    except InvalidOperation:
        raise LoadError(f"{where}: coefficient {str(raw)[:30]!r} is not a percentage") from None
    if not (0 <= percent <= 100):
        raise LoadError(f"{where}: coefficient {percent} is not between 0 and 100")
    return (percent / 100).quantize(Decimal("1e-10"))


def _recipients(path: Path, rows: list[list], sha: str, list_years) -> list[LoadBatch]:
    start = _header_index(path, rows, "Recipient code", RECIPIENT_SHEET)
    col = _columns(rows[start])
    years = list_years or _years_from_note(rows)
    if years is None:
        raise LoadError(f"{path.name}, sheet {RECIPIENT_SHEET!r}: no note says which years the list is for; "
                        "give --list-years")
    source = f"OECD DAC code lists {path.name}, sheet {RECIPIENT_SHEET!r}"
    recipients, eligibility = [], []
    for number, row in enumerate(rows[start + 1:], start=start + 2):
        if row[col["recipient code"]] in ("", None):
            continue
        where = f"{path.name}, sheet {RECIPIENT_SHEET!r}, row {number}"
        code = clean_code(row[col["recipient code"]], where, max_length=5)
        group = str(row[col["dac_incomegroup"]]).strip() if "dac_incomegroup" in col else ""
        kind = "unspecified" if code == "998" else ("region" if group == UNALLOCATED else "country")
        recipients.append({
            "code": code, "name_en": clip(row[col["recipient name (en)"]], 200) or code,
            "name_fr": clip(row[col.get("recipient name (fr)", 0)], 200) if "recipient name (fr)" in col else None,
            "iso3": clip(row[col["isocode"]], 3) if "isocode" in col else None,
            "region": clip(row[col["region"]], 60) if "region" in col else None, "kind": kind, "source": source})
        if kind == "country" and group in INCOME_GROUPS:
            eligibility.append(eligibility_row(code, group, years[0], years[1], source))
    return [LoadBatch("recipients", OFFICIAL, source, sha, recipients),
            LoadBatch("recipient_eligibility", OFFICIAL, source, sha, eligibility)]


def _years_from_note(rows: list[list]) -> tuple[int, int] | None:
    for row in rows[:HEADER_SEARCH_ROWS * 2]:
        for cell in row:
            match = YEARS_NOTE.search(cell) if isinstance(cell, str) else None
            if match:
                years = [int(y) for y in re.findall(r"(?:19|20)\d\d", match.group(1))]
                if years:
                    return min(years), max(years)
    return None


class _BytesReader:
    """A minimal binary file object over bytes (calamine reads from file-likes)."""

    def __init__(self, data: bytes):
        import io

        self._io = io.BytesIO(data)

    def read(self, *args):
        return self._io.read(*args)

    def seek(self, *args):
        return self._io.seek(*args)

    def tell(self):
        return self._io.tell()
