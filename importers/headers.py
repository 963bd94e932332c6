"""Finding the header row (up to ten title or blank rows may stand above it) and
mapping its labels to a kind's fields, case-, space- and accent-insensitively."""
from __future__ import annotations

from dataclasses import dataclass, field

from app.messages import said
from importers.errors import ImportRefused
from app.values import clean_text, normalise_label

MAX_TITLE_ROWS = 10


@dataclass
class ColumnMap:
    header_row: int
    positions: dict[str, int]
    labels: dict[str, str]
    headers: list[str]
    ignored: list[str] = field(default_factory=list)

    def label(self, field_name: str | None) -> str | None:
        if field_name is None:
            return None
        return self.labels.get(field_name, field_name)

    def as_json(self) -> dict:
        return {"header_row": self.header_row, "fields": self.labels, "ignored": self.ignored}


def _header_text(cell) -> str:
    try:
        return clean_text(cell) or ""
    except ValueError:
        return ""


def header_score(cells: list, kind) -> int:
    """How many of the kind's fields a row names (0 for a data or title row)."""
    return len({kind.lookup[n] for n in (normalise_label(_header_text(c)) for c in cells) if n in kind.lookup})


def find_header(first_rows: list[tuple[int, list]], kind) -> ColumnMap:
    """The first row naming every required column, or a refusal saying what is missing."""
    best = None
    for number, cells in first_rows[:MAX_TITLE_ROWS + 1]:
        mapped = _map_row(cells, kind)
        if best is None or len(mapped[0]) > len(best[1][0]):
            best = (number, mapped)
        if set(kind.required) <= set(mapped[0]):
            return _column_map(number, cells, mapped, kind)
    _refuse_without_header(first_rows, kind, best)


def _map_row(cells: list, kind) -> tuple[dict[str, int], dict[str, str], dict[str, list[str]]]:
    positions, labels, duplicates = {}, {}, {}
    for index, cell in enumerate(cells):
        text = _header_text(cell)
        name = kind.lookup.get(normalise_label(text))
        if name is None:
            continue
        if name in positions:
            duplicates.setdefault(name, [labels[name]]).append(text)
            continue
        positions[name], labels[name] = index, text
    return positions, labels, duplicates


def _column_map(number: int, cells: list, mapped, kind) -> ColumnMap:
    positions, labels, duplicates = mapped
    if duplicates:
        name, texts = next(iter(duplicates.items()))
        raise ImportRefused("ambiguous_columns", said("Several columns mean %(field)s: %(labels)s. Keep one of "
                                                      "them.", field=name, labels=", ".join(repr(t) for t in texts)))
    headers = [_header_text(c) for c in cells]
    while headers and not headers[-1]:
        headers.pop()
    mapped_positions = set(positions.values())
    ignored = [h for i, h in enumerate(headers) if h and i not in mapped_positions]
    return ColumnMap(number, positions, labels, headers, ignored)


def _refuse_without_header(first_rows, kind, best) -> None:
    from importers.kinds import KINDS

    for other in KINDS.values():
        if other.name == kind.name or other.reads_own_format:
            continue
        for _, cells in first_rows[:MAX_TITLE_ROWS + 1]:
            if set(other.required) <= set(_map_row(cells, other)[0]):
                raise ImportRefused("wrong_kind", said(
                    "This file looks like “%(other)s” (kind %(name)s), not “%(kind)s”: choose that kind or check "
                    "the file.", other=said(other.title), name=other.name, kind=said(kind.title)))
    expected = ", ".join(kind.required)
    if best is not None and best[1][0]:
        missing = ", ".join(f for f in kind.required if f not in best[1][0])
        raise ImportRefused("missing_columns", said("Row %(row)s looks like the header but lacks the column(s) "
                                                    "%(missing)s. Expected at least: %(expected)s.",
                                                    row=best[0], missing=missing, expected=expected))
    raise ImportRefused("no_header", said("No header row found in the first %(rows)s rows. Expected columns: "
                                          "%(expected)s (download the template).",
                                          rows=MAX_TITLE_ROWS + 1, expected=expected))
