"""CSV as finance's tools write it: UTF-8 with or without BOM, UTF-16, Windows-1252;
comma, semicolon or tab separated."""
from __future__ import annotations

import codecs
import csv
from typing import Callable, Iterator

from app.messages import said
from importers.errors import ImportRefused

CHUNK = 1 << 20
DELIMITERS = (";", ",", "\t")
SAMPLE_LINES = 12


def detect_encoding(path: str) -> str:
    """The text encoding, decided by BOM, then by whether every byte is valid UTF-8."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in head:
        encoding = _utf16_without_bom(head)
    elif _decodes(path, "utf-8"):
        return "utf-8"
    else:
        encoding = "cp1252"
    if not _decodes(path, encoding):
        raise ImportRefused("encoding", said("The text of the file is in an unknown encoding. Save it as CSV UTF-8 "
                                             "(or Windows-1252) and upload it again."))
    return encoding


def _utf16_without_bom(head: bytes) -> str:
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > len(odd) * 0.4 and even.count(0) < len(even) * 0.1:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.4 and odd.count(0) < len(odd) * 0.1:
        return "utf-16-be"
    raise ImportRefused("unsupported_format", said("This is not a text (CSV) file; upload .xlsx or .csv."))


def _decodes(path: str, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                text = decoder.decode(chunk)
                if "\x00" in text:
                    return False
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def sniff_delimiter(path: str, encoding: str, header_score: Callable[[list], int]) -> str:
    """The separator whose split of the first lines best matches the kind's headers."""
    with open(path, encoding=encoding, newline="") as fh:
        lines = [line for _, line in zip(range(SAMPLE_LINES), fh)]
    best, best_score = None, 0
    for delimiter in DELIMITERS:
        score = max((header_score(row) for row in csv.reader(lines, delimiter=delimiter)), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    if best is not None:
        return best
    counts = {d: sum(line.count(d) for line in lines) for d in DELIMITERS}
    return max(counts, key=counts.get) if any(counts.values()) else ","


class CsvRows:
    height = None

    def __init__(self, path: str, encoding: str, delimiter: str):
        self.path, self.encoding, self.delimiter = path, encoding, delimiter

    def rows(self) -> Iterator[tuple[int, list]]:
        with open(self.path, encoding=self.encoding, newline="") as fh:
            try:
                for number, cells in enumerate(csv.reader(fh, delimiter=self.delimiter), 1):
                    yield number, cells
            except csv.Error as exc:
                raise ImportRefused("corrupt", said("The CSV file cannot be read: %(error)s.",
                                                    error=str(exc))) from None
