"""Finding and reading reference files in a folder laid out like shared/reference-data/
(or a single file): IATI code-list XML, DAC CSV and XLS, IMF exchange-rate CSV.

Every file is parsed before anything is written, so a broken file leaves the
database untouched. Order matters where lists overlap: the older DAC files first,
then the workbook, then the newer IATI lists, which win where they differ.
"""
from __future__ import annotations

from pathlib import Path

from oda.reference.batch import LoadError, ParsedFile, sha256_of
from oda.reference.loaders import dac_csv, dac_xls, iati_xml, imf_rates
from oda.reference.loaders.common import read_bytes

MAX_FILES = 200
ORDER = {"dac_csv": 0, "dac_xls": 1, "iati": 2, "imf": 3, "other": 4}


def reference_files(path: Path) -> list[Path]:
    if not path.exists():
        raise LoadError(f"{path}: no such file or folder")
    if path.is_file():
        return [path]
    files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    if len(files) > MAX_FILES:
        raise LoadError(f"{path}: more than {MAX_FILES} files; point at the reference-data folder itself")
    return files


def parse_path(path: Path, list_years: tuple[int, int] | None = None) -> list[ParsedFile]:
    """Parse every reference file under ``path``; raises LoadError on the first broken one."""
    found = [(p, read_bytes(p)) for p in reference_files(path)]
    found.sort(key=lambda item: (ORDER[_kind(*item)], str(item[0])))
    years = list_years or _workbook_years(found)
    return [_parse_one(p, data, years) for p, data in found]


def _kind(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix == ".xml" and iati_xml.is_iati_codelist(data):
        return "iati"
    if dac_xls.recognises(path):
        return "dac_xls"
    if suffix == ".csv" and imf_rates.recognises(data):
        return "imf"
    if dac_csv.recognises(path):
        return "dac_csv"
    return "other"


def _workbook_years(found) -> tuple[int, int] | None:
    """recipients.csv is an extract of the workbook: it is for the workbook's years."""
    for path, data in found:
        if _kind(path, data) == "dac_xls":
            years = dac_xls.list_years_of(path, data)
            if years:
                return years
    return None


def _parse_one(path: Path, data: bytes, years) -> ParsedFile:
    kind = _kind(path, data)
    if kind == "iati":
        return iati_xml.parse(path, data)
    if kind == "dac_xls":
        return dac_xls.parse(path, data, years)
    if kind == "imf":
        return imf_rates.parse(path, data)
    if kind == "dac_csv":
        return dac_csv.parse(path, data, years)
    parsed = ParsedFile(str(path), sha256=sha256_of(data))
    parsed.skipped = "not a reference file this application reads" if path.suffix.lower() in (
        ".xml", ".csv", ".xls", ".xlsx") else f"{path.suffix or 'no'} extension: not read"
    return parsed
