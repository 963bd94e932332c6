"""xlsx through python-calamine (Rust): fast; the sheet's cells are held in memory
while it is read, which the upload and uncompressed-size limits bound."""
from __future__ import annotations

from typing import Iterator

from python_calamine import CalamineWorkbook

from app.messages import said
from importers.errors import ImportRefused
from importers.limits import Limits
from importers.readers.xlsx_parts import (
    formulas_without_value, mark_formulas_without_value, refuse_too_many_rows, short_reason,
)
from importers.safety import Inspected


class CalamineRows:
    def __init__(self, path: str, inspected: Inspected, limits: Limits):
        try:
            self._workbook = CalamineWorkbook.from_path(path)
            self._sheet = self._workbook.get_sheet_by_index(0)
        except Exception as exc:  # calamine raises its own types for every kind of damage
            raise ImportRefused("corrupt", said("The workbook cannot be read: %(error)s",
                                                error=short_reason(exc))) from None
        end = self._sheet.end
        self.height = 0 if end is None else end[0] + 1
        refuse_too_many_rows(self.height, limits)
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
                    mark_formulas_without_value(cells, self._missing[index], self._first_column)
                yield index + 1, cells
        finally:
            self._workbook.close()
            self._sheet = None  # the cells live in the sheet object: let them go now
