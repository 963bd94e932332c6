"""xlsx through openpyxl's read-only mode: streams with flat memory, but slower.

``data_only=True`` gives the value Excel cached for a formula; a formula without
one reads as None, so the same formula scan as for calamine marks those cells.
"""
from __future__ import annotations

from typing import Iterator

from openpyxl import load_workbook

from app.messages import said
from importers.errors import ImportRefused
from importers.limits import Limits
from importers.readers.xlsx_parts import formulas_without_value, refuse_too_many_rows
from importers.safety import Inspected
from app.values import FORMULA_WITHOUT_VALUE


class OpenpyxlRows:
    def __init__(self, path: str, inspected: Inspected, limits: Limits):
        try:
            self._workbook = load_workbook(path, read_only=True, data_only=True, keep_links=False)
            self._sheet = self._workbook.worksheets[0]
        except Exception as exc:
            raise ImportRefused("corrupt", said("The workbook cannot be read: %(error)s",
                                                error=type(exc).__name__)) from None
        self.height = self._sheet.max_row
        if self.height:
            refuse_too_many_rows(self.height, limits)
        self._missing = {}
        if inspected.has_formulas and inspected.sheet_member:
            self._missing = formulas_without_value(path, inspected.sheet_member)

    def rows(self) -> Iterator[tuple[int, list]]:
        try:
            for number, values in enumerate(self._sheet.iter_rows(min_row=1, min_col=1, values_only=True), 1):
                cells = list(values)
                for column in self._missing.get(number - 1, ()):
                    if column < len(cells):
                        cells[column] = FORMULA_WITHOUT_VALUE
                yield number, cells
        finally:
            self._workbook.close()
