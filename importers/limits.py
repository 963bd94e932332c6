"""Limits that keep hostile or absurd uploads from exhausting the server."""
from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_RATIO = 200
#: members smaller than this may have any ratio: they cannot exhaust anything
RATIO_CHECK_FLOOR = 1024 * 1024
#: above this many rows an xlsx sheet is streamed instead of read whole by python-calamine
#: (about 750 bytes a row in calamine: ~100 MB; docs/imports.md "Memory")
XLSX_STREAM_ROWS = 130_000


@dataclass(frozen=True)
class Limits:
    max_upload_bytes: int = 20 * 1024 * 1024
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_compression_ratio: int = DEFAULT_MAX_RATIO
    max_rows: int = 1_000_000
    max_zip_members: int = 1000
    xlsx_stream_rows: int = XLSX_STREAM_ROWS

    @classmethod
    def from_config(cls, config) -> "Limits":
        return cls(
            max_upload_bytes=int(config.get("MAX_CONTENT_LENGTH") or cls.max_upload_bytes),
            max_uncompressed_bytes=int(config.get("AIDLEDGER_MAX_UNCOMPRESSED_BYTES", cls.max_uncompressed_bytes)),
            max_compression_ratio=int(config.get("AIDLEDGER_MAX_COMPRESSION_RATIO", DEFAULT_MAX_RATIO)),
            max_rows=int(config.get("AIDLEDGER_MAX_IMPORT_ROWS", cls.max_rows)),
            xlsx_stream_rows=int(config.get("AIDLEDGER_XLSX_STREAM_ROWS", XLSX_STREAM_ROWS)),
        )
