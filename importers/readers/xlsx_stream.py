"""xlsx read as a stream: the first sheet's XML parsed a row at a time (lxml iterparse,
each row cleared once read), so memory does not grow with the rows.

python-calamine, the fast reader, holds the whole sheet while it is read (about 750 bytes a
row of a spending ledger); ``open_rows`` switches to this reader above
``AIDLEDGER_XLSX_STREAM_ROWS`` rows (importers/readers/__init__.py). Measured on the benchmark's
ledger (docs/imports.md "Memory"): 7.5 MB at 100,000 and at 1,000,000 rows where calamine takes
79 and 752 MB; 5.9 and 61 s where calamine takes 1.1 and 10 s.

It yields exactly what ``CalamineRows`` yields for the same file: the same values (see
xlsx_book.py), rows numbered from the sheet's first row with the gaps as empty rows, each row
as wide as the sheet's used columns and starting at the first of them, formulas without a
cached value marked. Calamine knows the used columns because it holds the whole sheet; this
reader finds them in a first pass that looks at the first and last cell with a value of each
row and keeps nothing else (and finds the last row, so too many rows are refused before a
row is read). The second pass reads the rows.

What stays in memory: the shared strings (xlsx_book.SharedStrings: the text of every distinct
string once, plus 8 bytes each), the styles' number formats, one row.

No spreadsheet program writes rows out of order, nor cells out of order within a row or naming
another row than theirs. Rows out of order are seen by the first pass: such a sheet is read by
calamine. A cell with a value outside the used area the first pass found (cells out of order),
or naming another row, is seen by the second: the file is refused as damaged (the import, which
reads in a savepoint, then keeps nothing of it).
"""
from __future__ import annotations

import re
import zipfile
import zlib
from typing import Iterator, NamedTuple

from lxml import etree

from app.messages import Said, said
from importers.errors import ImportRefused
from importers.limits import Limits
from importers.readers.xlsx_book import (
    EMPTY, BookParts, Damaged, HardenedPart, book_parts, has_value, iterparse, members, rich_text,
)
from importers.readers.xlsx_parts import (
    lacks_cached_value, local_name, mark_formulas_without_value, refuse_too_many_rows, short_reason,
)
from importers.safety import Inspected

DIGITS = "0123456789"
NOT_A_VALUE = "Expecting 'v, f, or is' node"
#: sheet XML bytes a row of a spending ledger takes at the least (shared strings; inline
#: strings take about 460): the unpacked size over this stands in for a missing dimension
SHEET_BYTES_PER_ROW = 250
DIMENSION = re.compile(r"[A-Za-z]*(\d+)(?::[A-Za-z]*(\d+))?")
#: what the readers catch of a damaged file (lxml's syntax errors, zipfile's, Damaged, …)
DAMAGE = (zipfile.BadZipFile, etree.XMLSyntaxError, ValueError, KeyError, IndexError, OSError, EOFError,
          zlib.error)


class Extent(NamedTuple):
    """The used area (0-based, inclusive) of the cells that have a value; rows -1 when none."""

    first_row: int
    last_row: int
    first_column: int
    last_column: int
    rows_in_order: bool


class Names(NamedTuple):
    """The element names in the sheet's namespace."""

    row: str
    c: str
    v: str
    f: str
    inline: str
    t: str

    @classmethod
    def of(cls, row_tag: str) -> Names:
        namespace = row_tag[:-3]
        return cls(row_tag, *(namespace + name for name in ("c", "v", "f", "is", "t")))


def stream_rows(path: str, inspected: Inspected, limits: Limits):
    """The streaming reader of the workbook's first sheet (calamine for rows out of order)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = members(archive)
            member = names[(inspected.sheet_member or "").lower()]
            book = book_parts(archive, names)
            with HardenedPart(archive, member) as stream:
                extent = _extent(stream)
    except DAMAGE as exc:
        raise _damaged(exc) from None
    if not extent.rows_in_order:
        from importers.readers.calamine_reader import CalamineRows

        return CalamineRows(path, inspected, limits)
    refuse_too_many_rows(extent.last_row + 1, limits)
    return StreamRows(path, member, book, extent)


class StreamRows:
    def __init__(self, path: str, member: str, book: BookParts, extent: Extent):
        self._path, self._member, self._book, self._extent = path, member, book, extent
        self.height = extent.last_row + 1

    def rows(self) -> Iterator[tuple[int, list]]:
        try:
            yield from self._rows()
        except DAMAGE as exc:
            raise _damaged(exc) from None

    def _rows(self) -> Iterator[tuple[int, list]]:
        last = self._extent.last_row
        width = self._extent.last_column - self._extent.first_column + 1
        following = 0
        names = None
        with zipfile.ZipFile(self._path) as archive, HardenedPart(archive, self._member) as stream:
            for _event, row in iterparse(stream, "{*}row"):
                r = row.get("r")
                index = following if r is None else _row_index(r)
                if index > last:
                    return
                for gap in range(following, index):
                    yield gap + 1, [""] * width
                if names is None or row.tag != names.row:
                    names = Names.of(row.tag)
                yield index + 1, self._cells(row, str(index + 1), names, width)
                following = index + 1
                _forget(row)

    def _cells(self, row, number: str, names: Names, width: int) -> list:
        """The row's values at their columns (calamine's: the last ``v``, ``f`` or ``is`` of
        a cell decides); the formulas without a cached value marked."""
        cells = [""] * width
        first = self._extent.first_column
        value_of = self._book.value
        v_tag, inline_tag, f_tag, t_tag = names.v, names.inline, names.f, names.t
        column = 0
        missing = None
        for cell in row.iterchildren(names.c):
            ref = cell.get("r")
            if ref is not None:
                letters = ref.rstrip(DIGITS)
                column = COLUMNS.get(letters)
                if column is None:
                    column = _column(ref)
                if ref[len(letters):] != number and _position(ref)[0] != int(number) - 1:
                    raise Damaged(said("cell %(cell)s is not in its row %(row)s", cell=ref[:20], row=number))
            value = EMPTY
            formula = False
            for part in cell:
                tag = part.tag
                if tag == v_tag:
                    value = value_of(part.text, cell.get("t"), cell.get("s"))
                elif tag == inline_tag:
                    value = rich_text(part, t_tag)
                elif tag == f_tag:
                    value, formula = EMPTY, True
                else:
                    raise Damaged(NOT_A_VALUE)
            if value is not EMPTY:
                position = column - first
                if not 0 <= position < width:
                    raise Damaged(said("the cells of row %(row)s are not in order", row=number))
                cells[position] = value
            if formula and lacks_cached_value(cell):
                missing = (missing or []) + [column]
            column += 1
        if missing:
            mark_formulas_without_value(cells, missing, first)
        return cells


def _damaged(exc: Exception) -> ImportRefused:
    """The refusal of a file the readers cannot read, with why: calamine's words for what it
    also refuses, the library's (zip, XML) for the rest, ours (said) for cells out of order."""
    reason = exc.args[0] if exc.args and isinstance(exc.args[0], Said) else short_reason(exc)
    return ImportRefused("corrupt", said("The workbook cannot be read: %(error)s", error=reason))


def _extent(stream) -> Extent:
    """First pass: the rows with a value, the first and last column with one, and whether
    the rows come in order."""
    first_row = last_row = first_column = last_column = -1
    following, previous, in_order = 0, -1, True
    names = None
    for _event, row in iterparse(stream, "{*}row"):
        r = row.get("r")
        index = following if r is None else _row_index(r)
        in_order = in_order and index > previous
        if names is None or row.tag != names.row:
            names = Names.of(row.tag)
        edges = _valued_edges(list(row.iterchildren(names.c)), names)
        if edges is not None:
            if first_row < 0:
                first_row, first_column, last_column = index, *edges
            first_column, last_column = min(first_column, edges[0]), max(last_column, edges[1])
            last_row = index
        previous, following = index, index + 1
        _forget(row)
    return Extent(first_row, last_row, max(first_column, 0), last_column, in_order)


def _valued_edges(cells: list, names: Names) -> tuple[int, int] | None:
    """The columns of a row's first and last cell with a value, None when none has one.
    (For cells in column order these are its first and last column with a value; the second
    pass refuses a value outside them.)"""
    left = next((i for i, cell in enumerate(cells) if _valued(cell, names)), None)
    if left is None:
        return None
    right = next(i for i in range(len(cells) - 1, left - 1, -1) if _valued(cells[i], names))
    return _column_at(cells, left), _column_at(cells, right)


def _valued(cell, names: Names) -> bool:
    """Whether calamine gives the cell a value: its last ``v``, ``f`` or ``is`` decides."""
    if not len(cell):
        return False
    last = cell[-1]
    tag = last.tag
    if tag == names.v:
        return has_value(last.text, cell.get("t"))
    if tag == names.inline or tag == names.f:
        return tag == names.inline
    raise Damaged(NOT_A_VALUE)


def _column_at(cells: list, i: int) -> int:
    """The column of the i-th cell: its reference's, or one past the cell before it."""
    back = 0
    while i - back >= 0:
        ref = cells[i - back].get("r")
        if ref is not None:
            return _column(ref) + back
        back += 1
    return back - 1


def _forget(row) -> None:
    row.clear()
    while row.getprevious() is not None:
        del row.getparent()[0]


#: column numbers (0-based) by their letters as the sheet writes them
COLUMNS: dict[str, int] = {}


def _column(ref: str) -> int:
    """0-based column of a cell reference such as ``AB12`` (letters in either case)."""
    letters = ref.rstrip(DIGITS)
    column = COLUMNS.get(letters)
    if column is None:
        if not letters or not letters.isascii() or not letters.isalpha() or len(letters) > 3:
            raise Damaged(f"Invalid cell reference {ref[:20]!r}")
        column = 0
        for ch in letters.upper():
            column = column * 26 + ord(ch) - 64
        column = COLUMNS[letters] = column - 1
    return column


def _position(ref: str) -> tuple[int, int]:
    column = _column(ref)
    return _row_index(ref[len(ref.rstrip(DIGITS)):] or "0"), column


def _row_index(r: str) -> int:
    """0-based row of a row's ``r`` (``12``; calamine also takes ``A12``)."""
    digits = r if r.isdigit() else r[len(r.rstrip(DIGITS)):]
    if not digits or not r.isascii() or int(digits) < 1:
        raise Damaged(f"Invalid row number {r[:20]!r}")
    return int(digits) - 1


def sheet_rows(path: str, inspected: Inspected) -> int:
    """The rows the first sheet says it has (its ``<dimension>``), read from its first bytes;
    without one (or one naming a single cell, as some writers put), an estimate from the
    sheet's unpacked size. 0 for a sheet that cannot be read: calamine then says why."""
    try:
        with zipfile.ZipFile(path) as archive:
            member = members(archive)[(inspected.sheet_member or "").lower()]
            with HardenedPart(archive, member) as stream:
                for _event, element in etree.iterparse(stream, events=("start",), resolve_entities=False,
                                                       no_network=True, load_dtd=False, huge_tree=False):
                    name = local_name(element.tag) if isinstance(element.tag, str) else ""
                    if name == "dimension":
                        match = DIMENSION.fullmatch(element.get("ref") or "")
                        if match and match.group(2):
                            return int(match.group(2))
                    elif name == "sheetData":
                        break
            return archive.getinfo(member).file_size // SHEET_BYTES_PER_ROW
    except DAMAGE:
        return 0
