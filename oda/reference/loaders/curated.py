"""The curated subset shipped in oda/reference/data/: small CSV files written for
the Flemish portfolio, each row naming its source."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from oda.reference.batch import CURATED, LoadBatch, ParsedFile, RateRow, sha256_of
from oda.reference.loaders.common import csv_rows, iso_date

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CODE_FILES = {
    "purpose_codes.csv": "purpose_codes", "sector_categories.csv": "sector_categories",
    "aid_types.csv": "aid_types", "flow_types.csv": "flow_types", "finance_types.csv": "finance_types",
    "channels.csv": "channels", "bi_multi.csv": "bi_multi", "policy_markers.csv": "policy_markers",
    "policy_significance.csv": "policy_significance", "recipients.csv": "recipients",
}


def parse_all(data_dir: Path = DATA_DIR) -> list[ParsedFile]:
    files = [_codes(data_dir / name, list_name) for name, list_name in CODE_FILES.items()]
    files.append(_eligibility(data_dir / "recipient_eligibility.csv"))
    files.append(_annex2(data_dir / "annex2_coefficients.csv"))
    files.append(_rates(data_dir / "exchange_rates.csv"))
    return files


def _read(path: Path) -> tuple[list[dict], str]:
    data = path.read_bytes()
    return csv_rows(path, data), sha256_of(data)


def _source_of(path: Path) -> str:
    return f"Aidledger curated subset: oda/reference/data/{path.name}"


def _codes(path: Path, list_name: str) -> ParsedFile:
    rows, sha = _read(path)
    out = []
    for row in rows:
        item = {k: (v or None) for k, v in row.items()}
        for field in ("activation_date", "withdrawal_date"):
            if field in item:
                item[field] = iso_date(item[field], f"{path.name} {row.get('code')}")
        for field in ("max_score", "sort_order"):
            if item.get(field) is not None:
                item[field] = int(item[field])
        item.setdefault("status", "active")
        out.append(item)
    return ParsedFile(str(path), [LoadBatch(list_name, CURATED, _source_of(path), sha, out)], sha256=sha)


def _eligibility(path: Path) -> ParsedFile:
    rows, sha = _read(path)
    out = [{
        "recipient_code": r["recipient_code"], "year_from": int(r["year_from"]),
        "year_to": int(r["year_to"]) if r["year_to"] else None, "on_list": r["on_list"] == "1",
        "income_group": r["income_group"] or None, "list_name": r["list_name"], "origin": CURATED,
        "confidence": r["confidence"] or None, "source": r["source"], "note": r["note"] or None,
    } for r in rows]
    return ParsedFile(str(path), [LoadBatch("recipient_eligibility", CURATED, _source_of(path), sha, out)],
                      sha256=sha)


def _annex2(path: Path) -> ParsedFile:
    rows, sha = _read(path)
    out = [{
        "channel_code": r["channel_code"], "year": int(r["year"]), "origin": CURATED,
        "coefficient": (Decimal(r["coefficient_percent"]) / 100).quantize(Decimal("1e-10")),
        "core_aid_type": r["core_aid_type"] or None, "acronym": r["acronym"] or None, "name_en": r["name_en"],
        "source": r["source"], "note": r["note"] or None,
    } for r in rows]
    return ParsedFile(str(path), [LoadBatch("annex2_coefficients", CURATED, _source_of(path), sha, out)],
                      sha256=sha)


def _rates(path: Path) -> ParsedFile:
    rows, sha = _read(path)
    parsed = ParsedFile(str(path), sha256=sha)
    parsed.rates = [RateRow(int(r["year"]), r["currency"], r["units_per_usd"], r["source"][:200]) for r in rows]
    return parsed
