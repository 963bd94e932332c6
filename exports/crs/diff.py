"""What changed between two CRS workbooks: rows added, removed and changed, per column.

A final's rows are read back from the file that was kept (its SHA-256 proves it is the
file submitted): one source of truth, nothing extra written by every final, and
python-calamine reads 100,000 rows in seconds; a revision reads its previous final once.
Cells are compared as the file holds them (``cell_text``), so a value compares equal to
itself written and read back. Rows are keyed by their CRS id (every final row has one),
else by project number.
"""
from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Iterable, NamedTuple

from flask_babel import gettext
from python_calamine import CalamineWorkbook

from app.messages import N_
from exports.crs.columns import CRS_HEADERS
from exports.safe_cells import clean_text
from exports.words import said_columns
from exports.xlsx import INT, TEXT, Column, Workbook

CRS_SHEET = "CRS"
KEY_COLUMN, PROJECT_COLUMN = CRS_HEADERS.index("CRSid"), CRS_HEADERS.index("ProjectNumber")
NATURE_COLUMN = CRS_HEADERS.index("InitialReport")
ADDED, REMOVED, CHANGED = N_("added"), N_("removed"), N_("changed")
#: the Changes sheet (name, headers and kinds of change are msgids: a revision's sheet and the
#: ``crs-diff`` file are in the language of who asked for them)
CHANGES_SHEET = N_("Changes")
CHANGES_COLUMNS = (Column(N_("Change"), TEXT, 10), Column(N_("CRSid"), TEXT, 12),
                   Column(N_("ProjectNumber"), TEXT, 16), Column(N_("Column"), TEXT, 24), Column(N_("Old"), TEXT, 30),
                   Column(N_("New"), TEXT, 30))


class DiffError(ValueError):
    """A kept file cannot be read as a CRS workbook."""


class CellChange(NamedTuple):
    column: str
    old: str
    new: str


class RowChange(NamedTuple):
    change: str
    crs_id: str
    project: str
    cells: tuple[CellChange, ...]


def cell_text(value) -> str:
    """A cell as the file holds it, as text: numbers without a trailing .0, dates ISO."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        number = float(value)
        return str(int(number)) if number.is_integer() else repr(number)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return clean_text(str(value))


def row_texts(values: Iterable) -> tuple[str, ...]:
    return tuple(cell_text(v) for v in values)


def row_key(texts: tuple[str, ...]) -> str:
    return texts[KEY_COLUMN] or f"project:{texts[PROJECT_COLUMN]}"


def comparable(texts: tuple[str, ...]) -> tuple[str, ...]:
    """The cells that make a row's figures (the nature of submission is the result, not an input)."""
    return texts[:NATURE_COLUMN] + texts[NATURE_COLUMN + 1:]


def read_crs_rows(content: bytes) -> dict[str, tuple[str, ...]]:
    """The CRS sheet of a kept workbook: row key -> the row's cells as text."""
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        rows = book.get_sheet_by_name(CRS_SHEET).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own types for every kind of damage
        raise DiffError(f"the kept file has no readable {CRS_SHEET} sheet: {exc}") from None
    if not rows or tuple(str(h) for h in rows[0][:len(CRS_HEADERS)]) != CRS_HEADERS:
        raise DiffError(f"the {CRS_SHEET} sheet of the kept file does not have the CRS columns")
    width = len(CRS_HEADERS)
    found = {}
    for row in rows[1:]:
        texts = row_texts(tuple(row[:width]) + ("",) * (width - len(row)))
        if any(texts):
            found[row_key(texts)] = texts
    return found


def changed_cells(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[CellChange, ...]:
    return tuple(CellChange(header, a, b) for header, a, b in zip(CRS_HEADERS, old, new) if a != b)


def row_change(change: str, texts: tuple[str, ...], cells: tuple[CellChange, ...]) -> RowChange:
    return RowChange(change, texts[KEY_COLUMN], texts[PROJECT_COLUMN], cells)


def whole_row(texts: tuple[str, ...], side: str) -> tuple[CellChange, ...]:
    """An added (``side`` new) or removed (old) row, one cell per non-empty column."""
    return tuple(CellChange(h, "" if side == "new" else t, t if side == "new" else "")
                 for h, t in zip(CRS_HEADERS, texts) if t)


def diff_rows(old: dict[str, tuple], new: dict[str, tuple]) -> list[RowChange]:
    """Rows added, removed and changed from ``old`` to ``new`` (key -> texts), in key order."""
    changes = []
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if before is None:
            changes.append(row_change(ADDED, after, whole_row(after, "new")))
        elif after is None:
            changes.append(row_change(REMOVED, before, whole_row(before, "old")))
        elif comparable(before) != comparable(after):
            changes.append(row_change(CHANGED, after, changed_cells(before, after)))
    return changes


def change_lines(changes: Iterable[RowChange]) -> Iterable[tuple]:
    """The Changes sheet's lines: one per column that differs."""
    for change in changes:
        for cell in change.cells:
            yield (change.change, change.crs_id, change.project, cell.column, cell.old, cell.new)


def changes_sheet(book: Workbook):
    """The sheet Changes, in the current language (a revision's, or the ``crs-diff`` file)."""
    return book.sheet(gettext(CHANGES_SHEET), said_columns(CHANGES_COLUMNS))


def write_changes(sheet, changes: Iterable[RowChange]) -> None:
    """The lines of the sheet Changes, their kind of change in the current language."""
    said = {change: gettext(change) for change in (ADDED, REMOVED, CHANGED)}
    for line in change_lines(changes):
        sheet.append((said[line[0]], *line[1:]))
    sheet.finish_table()


class RevisionTracker:
    """Beside a revision's CRS rows: the nature of submission of each row (2 where its
    figures changed since the previous final, else as computed) and the changes."""

    def __init__(self, previous: dict[str, tuple[str, ...]], previous_run_id: int | None = None,
                 previous_sha256: str | None = None):
        self.previous = previous
        self.previous_run_id, self.previous_sha256 = previous_run_id, previous_sha256
        self.seen: set[str] = set()
        self.changes: list[RowChange] = []

    def row(self, row: tuple) -> tuple:
        texts = row_texts(row)
        key = row_key(texts)
        self.seen.add(key)
        before = self.previous.get(key)
        if before is None:
            self.changes.append(row_change(ADDED, texts, whole_row(texts, "new")))
            return row
        if comparable(before) == comparable(texts):
            return row[:NATURE_COLUMN] + (_nature(before),) + row[NATURE_COLUMN + 1:]
        revised = row[:NATURE_COLUMN] + (REVISED,) + row[NATURE_COLUMN + 1:]
        self.changes.append(row_change(CHANGED, texts, changed_cells(before, row_texts(revised))))
        return revised

    def metadata_items(self) -> list[tuple]:
        """The revision's Metadata items, in the current language (the run's)."""
        return [(gettext("Revision of final export"), f"{self.previous_run_id} (SHA-256 {self.previous_sha256})", TEXT),
                (gettext("Rows added, removed or changed since that final (sheet Changes)"),
                 len(self.changes) + len(self.previous.keys() - self.seen), INT)]

    def finish(self) -> list[RowChange]:
        removed = [row_change(REMOVED, texts, whole_row(texts, "old"))
                   for key, texts in sorted(self.previous.items()) if key not in self.seen]
        return sorted(self.changes + removed, key=lambda c: (c.crs_id, c.project))


#: nature of submission of a revised row
REVISED = 2


def _nature(texts: tuple[str, ...]):
    """An unchanged row keeps the nature of submission it was submitted with."""
    value = texts[NATURE_COLUMN]
    return int(value) if value.isdigit() else None
