"""Readers turn an inspected upload into numbered rows of raw cell values.

The xlsx reader is python-calamine, chosen by benchmarks/bench_imports.py: on a
100,000-row ledger it parses 7–8× faster than openpyxl's read-only mode.
openpyxl stays available (``AIDLEDGER_XLSX_READER=openpyxl``) for comparison.
"""
from __future__ import annotations

from typing import Iterator, Protocol

from importers.limits import Limits
from importers.safety import Inspected

DEFAULT_XLSX_READER = "calamine"


class RowSource(Protocol):
    #: rows the sheet claims to have (before blank rows are dropped), when known
    height: int | None

    def rows(self) -> Iterator[tuple[int, list]]:
        """(row number as the spreadsheet shows it, cells) for every row."""


def open_rows(path: str, inspected: Inspected, limits: Limits, xlsx_reader: str = DEFAULT_XLSX_READER,
              delimiter: str | None = None) -> RowSource:
    if inspected.format == "csv":
        from importers.readers.csv_reader import CsvRows

        return CsvRows(path, inspected.encoding or "utf-8", delimiter or ",")
    if xlsx_reader == "openpyxl":
        from importers.readers.openpyxl_reader import OpenpyxlRows

        return OpenpyxlRows(path, inspected, limits)
    from importers.readers.calamine_reader import CalamineRows

    return CalamineRows(path, inspected, limits)
