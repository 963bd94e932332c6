"""What a loader produces: rows for one list, with where they came from."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

OFFICIAL = "official"
CURATED = "curated"


class LoadError(ValueError):
    """A reference file cannot be read; names the file and what is wrong."""


@dataclass
class LoadBatch:
    list_name: str
    origin: str
    source: str
    sha256: str
    rows: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class RateRow:
    year: int
    currency: str
    units_per_usd: str
    source: str


@dataclass
class ParsedFile:
    """Everything one file yields: code-list batches and/or exchange rates."""

    path: str
    batches: list[LoadBatch] = field(default_factory=list)
    rates: list[RateRow] = field(default_factory=list)
    sha256: str = ""
    skipped: str | None = None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
