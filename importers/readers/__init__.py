"""Readers turn an inspected upload into numbered rows of raw cell values.

xlsx: python-calamine, chosen by benchmarks/bench_imports.py (on a 100,000-row ledger it
parses 7–8× faster than openpyxl's read-only mode), holds the whole sheet in memory while it
reads it, about 750 bytes a row. Above ``Limits.xlsx_stream_rows`` rows
(``AIDLEDGER_XLSX_STREAM_ROWS``, default 130,000: where calamine's sheet passes ~100 MB) the
sheet is streamed instead (xlsx_stream.py: the same rows and values, in memory that does not
grow with the rows, about 5.5× calamine's time). The rows are the sheet's ``<dimension>``, or
an estimate from its unpacked size without one. ``AIDLEDGER_XLSX_READER=stream`` streams
every sheet; ``openpyxl`` stays available for comparison.
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
    from importers.readers.xlsx_stream import sheet_rows, stream_rows

    if xlsx_reader == "stream" or sheet_rows(path, inspected) > limits.xlsx_stream_rows:
        return stream_rows(path, inspected, limits)
    from importers.readers.calamine_reader import CalamineRows

    return CalamineRows(path, inspected, limits)
