"""xlsx through python-calamine (Rust): fast; the sheet's cells are held in memory
while it is read, which the upload and uncompressed-size limits bound."""
from __future__ import annotations

from typing import Iterator

from python_calamine import CalamineWorkbook

from app.messages import numeral, said
from importers.errors import ImportRefused
from importers.limits import Limits
from importers.readers.xlsx_parts import formulas_without_value
from importers.safety import Inspected
from app.values import FORMULA_WITHOUT_VALUE


class CalamineRows:
    def __init__(self, path: str, inspected: Inspected, limits: Limits):
        try:
            self._workbook = CalamineWorkbook.from_path(path)
            self._sheet = self._workbook.get_sheet_by_index(0)
        except Exception as exc:  # calamine raises its own types for every kind of damage
            raise ImportRefused("corrupt", said("The workbook cannot be read: %(error)s", error=_short(exc))) from None
        end = self._sheet.end
        self.height = 0 if end is None else end[0] + 1
        if self.height > limits.max_rows + 11:
            raise ImportRefused("too_many_rows", said("The sheet has %(rows)s rows; at most %(limit)s can be "
                                                      "imported at once.", rows=numeral(self.height),
                                                      limit=numeral(limits.max_rows)))
        start = self._sheet.start
        self._first_column = 0 if start is None else start[1]
        self._missing = {}
        if inspected.has_formulas and inspected.sheet_member:
            self._missing = formulas_without_value(path, inspected.sheet_member)

    def rows(self) -> Iterator[tuple[int, list]]:
        # calamine yields from the sheet's first row, and from its first used column
        try:
            for index, cells in enumerate(self._sheet.iter_rows()):
                if index in self._missing:
                    _mark_missing(cells, self._missing[index], self._first_column)
                yield index + 1, cells
        finally:
            self._workbook.close()
            self._sheet = None  # the cells live in the sheet object: let them go now


def _mark_missing(cells: list, columns: set[int], first_column: int) -> None:
    for column in columns:
        position = column - first_column
        if position < 0:
            continue
        if position >= len(cells):
            cells.extend([""] * (position + 1 - len(cells)))
        cells[position] = FORMULA_WITHOUT_VALUE


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
