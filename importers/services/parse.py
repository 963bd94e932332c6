"""From an uploaded file to parsed rows, without touching the database.

Bulk kinds (spending) read the file as a stream: ``ParsedFile.chunks()`` parses
``CHUNK_ROWS`` rows at a time while the import plans and writes the chunk before,
so parsed rows are not kept beyond their chunk. The other kinds (small files,
row-by-row services) are parsed whole before anything is decided.
"""
from __future__ import annotations

from itertools import chain, islice
from typing import Callable, Iterator

from app.messages import numeral, said
from importers.errors import ImportRefused
from importers.headers import MAX_TITLE_ROWS, ColumnMap, find_header, header_score
from importers.kinds.base import Kind, RowResult
from importers.limits import Limits
from importers.readers import DEFAULT_XLSX_READER, open_rows
from importers.readers.csv_reader import sniff_delimiter
from importers.safety import inspect_upload
from app.values import is_blank

PROGRESS_EVERY = 5000
#: rows parsed, planned and written together by a bulk kind
CHUNK_ROWS = 5000


class ParsedFile:
    """A checked file with its header found; its rows come from ``chunks()``."""

    def __init__(self, format: str, columns: ColumnMap, read: Callable[[], Iterator[list[RowResult]]],
                 not_imported: dict[str, int] | None = None):
        self.format, self.columns = format, columns
        self._read = read
        self._rows: list[RowResult] | None = None
        #: what the file held that the kind does not import, counted (ImportBatch.not_imported)
        self.not_imported = not_imported or {}

    @classmethod
    def of_rows(cls, format: str, columns: ColumnMap, rows: list[RowResult],
                not_imported: dict[str, int] | None = None) -> ParsedFile:
        """A file a kind has read whole in its own format (IATI XML)."""
        parsed = cls(format, columns, lambda: iter([rows]), not_imported)
        parsed._rows = rows
        return parsed

    def chunks(self) -> Iterator[list[RowResult]]:
        """The data rows, parsed by the kind, a chunk at a time: a new pass over the file
        on each call (raises ImportRefused for too many rows or none)."""
        if self._rows is not None:
            return (rows for rows in [self._rows])
        return self._read()

    @property
    def rows(self) -> list[RowResult]:
        """Every data row at once (the small kinds; a bulk kind streams ``chunks()``)."""
        if self._rows is None:
            self._rows = [row for chunk in self._read() for row in chunk]
        return self._rows


def parse_file(path: str, filename: str, kind: Kind, limits: Limits, xlsx_reader: str = DEFAULT_XLSX_READER,
               progress: Callable[[int, int | None], None] | None = None, options: dict | None = None) -> ParsedFile:
    """The file checked and its header found; raises ImportRefused. A bulk kind's rows are
    parsed while they are imported, the others' here; a kind with its own format (IATI XML)
    reads the file itself."""
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
    opened = [(chain(head, numbered), source.height)]

    def read() -> Iterator[list[RowResult]]:
        if opened:  # the first pass goes on from the header the reader found
            rows, height = opened.pop()
        else:
            again = open_rows(path, inspected, limits, xlsx_reader, delimiter)
            rows, height = again.rows(), again.height
        data = (r for r in rows if r[0] > columns.header_row)
        return _parse_chunks(data, kind, columns, limits, progress, height)

    parsed = ParsedFile(inspected.format, columns, read)
    if not kind.bulk:
        parsed.rows  # noqa: B018 - parsed now: refusals before any database work
    return parsed


def _parse_chunks(data, kind: Kind, columns: ColumnMap, limits: Limits, progress,
                  height) -> Iterator[list[RowResult]]:
    """Non-blank rows parsed by the kind, CHUNK_ROWS at a time; each keeps its cells (raw)
    until its chunk is recorded."""
    positions = list(columns.positions.items())
    state = kind.new_state()
    chunk: list[RowResult] = []
    count = 0
    for number, cells in data:
        if _blank_row(cells):
            continue
        if count >= limits.max_rows:
            raise ImportRefused("too_many_rows", said("The file has more than %(limit)s data rows; split it into "
                                                      "smaller files.", limit=numeral(limits.max_rows)))
        size = len(cells)
        row = RowResult(number, raw=cells)
        kind.parse(row, {name: cells[i] if i < size else None for name, i in positions}, state)
        chunk.append(row)
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count, height)
        if len(chunk) >= CHUNK_ROWS:
            yield chunk
            chunk = []
    if not count:
        raise ImportRefused("empty", said("The file has a header but no data rows under it; nothing to import."))
    if chunk:
        yield chunk


def _blank_row(cells: list) -> bool:
    for cell in cells:
        if cell is not None and cell != "" and (type(cell) is not str or not is_blank(cell)):
            return False
    return True
