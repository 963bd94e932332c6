"""Small, safe reads of an xlsx package's XML parts (defusedxml: no DTDs, no entities)."""
from __future__ import annotations

import posixpath
import re
import zipfile

from defusedxml.ElementTree import fromstring, iterparse

from app.messages import numeral, said
from app.values import FORMULA_WITHOUT_VALUE
from importers.errors import ImportRefused
from importers.limits import Limits

CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attr(element, name: str) -> str | None:
    for key, value in element.attrib.items():
        if local_name(key) == name:
            return value
    return None


def first_sheet_member(archive: zipfile.ZipFile) -> str | None:
    """The zip member of the workbook's first sheet (the one the readers take)."""
    workbook = fromstring(archive.read("xl/workbook.xml"), forbid_dtd=True)
    first = next((el for el in workbook.iter() if local_name(el.tag) == "sheet"), None)
    if first is None:
        return None
    rel_id = _attr(first, "id")
    try:
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True)
    except KeyError:
        return None
    for rel in rels.iter():
        if local_name(rel.tag) == "Relationship" and rel.attrib.get("Id") == rel_id:
            target = rel.attrib.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return None


def column_index(letters: str) -> int:
    """0-based column number of ``AB`` and the like."""
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def formulas_without_value(path: str, member: str) -> dict[int, set[int]]:
    """{row index: {column index}} (0-based) of formula cells that have no cached value.

    Such cells read as blank in every reader; the import must call them errors.
    Only run when the sheet has formulas at all (the safety scan says so).
    """
    missing: dict[int, set[int]] = {}
    row_index = -1
    col_index = -1
    with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
        for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
            name = local_name(element.tag)
            if event == "start":
                if name == "row":
                    r = element.attrib.get("r")
                    row_index = int(r) - 1 if r and r.isdigit() else row_index + 1
                    col_index = -1
                elif name == "c":
                    ref = CELL_REF.match(element.attrib.get("r", ""))
                    col_index = column_index(ref.group(1)) if ref else col_index + 1
                continue
            if name == "c":
                if lacks_cached_value(element):
                    missing.setdefault(row_index, set()).add(col_index)
                element.clear()
            elif name == "row":
                element.clear()
    return missing


def mark_formulas_without_value(cells: list, columns, first_column: int) -> None:
    """Put FORMULA_WITHOUT_VALUE in a row's cells at the sheet's ``columns`` (0-based) of its
    formulas without a cached value; ``cells`` start at the sheet's ``first_column``."""
    for column in columns:
        position = column - first_column
        if position < 0:
            continue
        if position >= len(cells):
            cells.extend([""] * (position + 1 - len(cells)))
        cells[position] = FORMULA_WITHOUT_VALUE


def lacks_cached_value(cell) -> bool:
    """A formula with no <v>, or an empty <v> that is not a formula's empty-text result."""
    has_formula = False
    for child in cell:
        name = local_name(child.tag)
        if name == "f":
            has_formula = True
        elif name == "v" and ((child.text or "") != "" or cell.attrib.get("t") == "str"):
            return False
        elif name == "is":
            return False
    return has_formula


def refuse_too_many_rows(height: int, limits: Limits) -> None:
    """The xlsx readers' limit: the sheet's rows up to its last value, title rows allowed for."""
    if height > limits.max_rows + 11:
        raise ImportRefused("too_many_rows", said("The sheet has %(rows)s rows; at most %(limit)s can be imported "
                                                  "at once.", rows=numeral(height), limit=numeral(limits.max_rows)))


def short_reason(exc: Exception) -> str:
    """The first line of a reader's error, for the message that refuses the file."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
