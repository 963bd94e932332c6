"""From an uploaded file to parsed rows, without touching the database."""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Callable

from importers.errors import ImportRefused
from importers.headers import MAX_TITLE_ROWS, ColumnMap, find_header, header_score
from importers.kinds.base import Kind, RowResult
from importers.limits import Limits
from importers.readers import DEFAULT_XLSX_READER, open_rows
from importers.readers.csv_reader import sniff_delimiter
from importers.safety import inspect_upload
from app.values import is_blank

PROGRESS_EVERY = 5000


@dataclass
class ParsedFile:
    format: str
    columns: ColumnMap
    rows: list[RowResult]
    #: row numbers -> their cells as read, by reading the file again
    reread: Callable[[set[int]], dict[int, list]] | None = None
    #: what the file held that the kind does not import, counted (ImportBatch.not_imported)
    not_imported: dict[str, int] = field(default_factory=dict)

    def keep_raw_of_errors(self) -> None:
        """Bulk kinds drop the cells of rows that parsed cleanly (most of the memory a row
        costs); a row that fails later gets its cells back from a second read of the file."""
        missing = {row.row_number for row in self.rows if row.has_error and row.raw is None}
        if not missing or self.reread is None:
            return
        cells = self.reread(missing)
        for row in self.rows:
            if row.row_number in missing:
                row.raw = cells.get(row.row_number)


def parse_file(path: str, filename: str, kind: Kind, limits: Limits, xlsx_reader: str = DEFAULT_XLSX_READER,
               progress: Callable[[int, int | None], None] | None = None, options: dict | None = None) -> ParsedFile:
    """Every non-blank row under the header, parsed by the kind; raises ImportRefused."""
    if kind.reads_own_format:
        return kind.parse_upload(path, limits, options or {}, progress)
    inspected = inspect_upload(path, filename, limits)
    delimiter = None
    if inspected.format == "csv":
        delimiter = sniff_delimiter(path, inspected.encoding, lambda cells: header_score(cells, kind))
    source = open_rows(path, inspected, limits, xlsx_reader, delimiter)
    numbered = source.rows()
    head = list(islice(numbered, MAX_TITLE_ROWS + 1))
    columns = find_header(head, kind)
    data = chain((r for r in head if r[0] > columns.header_row), numbered)
    rows = _parse_rows(data, kind, columns, limits, progress, source.height)
    if not rows:
        raise ImportRefused("empty", "The file has a header but no data rows under it; nothing to import.")

    def reread(numbers: set[int]) -> dict[int, list]:
        again = open_rows(path, inspected, limits, xlsx_reader, delimiter).rows()
        return {number: cells for number, cells in again if number in numbers}

    return ParsedFile(inspected.format, columns, rows, reread)


def _parse_rows(data, kind: Kind, columns: ColumnMap, limits: Limits, progress, height) -> list[RowResult]:
    positions = list(columns.positions.items())
    state = kind.new_state()
    rows: list[RowResult] = []
    for number, cells in data:
        if _blank_row(cells):
            continue
        size = len(cells)
        values = {name: cells[i] if i < size else None for name, i in positions}
        if len(rows) >= limits.max_rows:
            raise ImportRefused("too_many_rows", f"The file has more than {limits.max_rows:,} data rows; "
                                                 "split it into smaller files.")
        row = RowResult(number, raw=cells)
        kind.parse(row, values, state)
        if kind.bulk and not row.has_error:
            row.raw = None
        rows.append(row)
        if progress is not None and len(rows) % PROGRESS_EVERY == 0:
            progress(len(rows), height)
    return rows


def _blank_row(cells: list) -> bool:
    for cell in cells:
        if cell is not None and cell != "" and (type(cell) is not str or not is_blank(cell)):
            return False
    return True
