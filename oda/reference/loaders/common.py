"""Reading reference files safely: size limits, text decoding, dates and codes."""
from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from oda.reference.batch import LoadError

MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_ROWS = 200_000
MAX_FIELD_CHARS = 20_000


def read_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    max_bytes = max_bytes or MAX_FILE_BYTES
    size = path.stat().st_size
    if size > max_bytes:
        raise LoadError(f"{path.name}: {size} bytes is more than the {max_bytes} a reference file may have")
    return path.read_bytes()


def csv_rows(path: Path, data: bytes) -> list[dict]:
    """The rows of a CSV file with a header row (UTF-8, with or without BOM)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = []
    try:
        for row in reader:
            if len(rows) >= MAX_ROWS:
                raise LoadError(f"{path.name}: more than {MAX_ROWS} rows")
            if None in row or any(v is not None and len(v) > MAX_FIELD_CHARS for v in row.values()):
                raise LoadError(f"{path.name}, line {reader.line_num}: a row has more fields than the header "
                                "or an over-long value")
            rows.append({(k or "").strip(): (v or "").strip() for k, v in row.items()})
    except csv.Error as exc:
        raise LoadError(f"{path.name}, line {reader.line_num}: {exc}") from None
    return rows


def iso_date(value: str | None, where: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise LoadError(f"{where}: {value!r} is not an ISO date") from None


def clean_code(value, where: str, max_length: int = 10) -> str:
    """Codes arrive as text or as spreadsheet numbers (41147.0)."""
    if isinstance(value, float):
        if value != int(value):
            raise LoadError(f"{where}: {value!r} is not a code")
        value = str(int(value))
    text = str(value or "").strip()
    if not text or len(text) > max_length or not text.replace(".", "").isalnum():
        raise LoadError(f"{where}: {text[:40]!r} is not a code")
    return text


def clip(value, length: int) -> str | None:
    text = str(value or "").strip()
    return text[:length] if text else None
