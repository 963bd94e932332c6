"""What the streaming xlsx reader needs of the workbook around its sheet, read the way
python-calamine reads it, so both readers give the same cell values.

- ``book_parts``: the workbook's date system (``date1904`` in workbook.xml), the kind of
  number format of every cell style (styles.xml: built-in date formats 14–22, 45 and 47,
  duration format 46, custom formats by calamine's rules) and the shared strings.
- ``SharedStrings``: every distinct text of the file in one UTF-8 buffer with an array of
  offsets (about 8 bytes an entry beyond the text, not a ~60-byte str object each); an entry
  is decoded when a cell refers to it.
- ``serial_value``, ``iso_value``, ``rich_text``: a cell's value as python-calamine 0.9 gives it
  (dates as date, datetime or time, durations as timedelta, strings trimmed unless
  ``xml:space="preserve"`` and with ``_xHHHH_`` escapes decoded).

Every part goes through ``HardenedPart``: its bytes are checked for a document type
declaration (``importers.safety.check_no_dtd``) before lxml parses them with entities, DTDs
and the network switched off.
"""
from __future__ import annotations

import math
import re
import zipfile
from array import array
from datetime import date, datetime, time, timedelta

from lxml import etree

from importers.safety import CHUNK, check_no_dtd

OTHER, DATETIME, DURATION = 0, 1, 2
#: a cell without a value (calamine's Empty): it does not widen the used area
EMPTY = None
#: an error cell (#N/A …): read as "" like calamine, but part of the used area
ERROR = ""
ERROR_VALUES = frozenset(("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"))
BOOLEANS = {"1": True, "true": True, "0": False, "false": False}
#: cell types whose empty ``<v>`` is no value; the ``<v>`` of an inline string is never one
TEXT_KINDS = frozenset(("n", "s", "b", "e"))
INLINE_KINDS = frozenset(("inlineStr", "is"))
WHITESPACE = " \t\n\r\v\f"
#: built-in number formats calamine reads as dates and durations (ECMA-376 18.8.30)
BUILTIN_FORMATS = {**dict.fromkeys(("14", "15", "16", "17", "18", "19", "20", "21", "22", "45", "47"), DATETIME),
                   "46": DURATION}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
ESCAPE = re.compile(r"_x00(\+[0-9A-Fa-f]|[0-9A-Fa-f]{2})_")
#: what calamine strips from a text that does not preserve its spaces (ASCII only)
SPACES = " \t\r\n"
MS_PER_DAY = 86_400_000
EPOCH_ORDINAL = date(1899, 12, 30).toordinal()
MAX_ORDINAL = date.max.toordinal()
DAYS_1900_TO_1904 = 1462.0
MAX_MILLISECONDS = (2**63 - 1) // 1000
ISO_DATETIME = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?")
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
ISO_TIME = re.compile(r"(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d+))?)?")


def xml_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def iterparse(stream, tag: str) -> etree.iterparse:
    """``end`` events of ``tag`` (``{*}row``: any namespace) in a part read through HardenedPart."""
    return etree.iterparse(stream, events=("end",), tag=tag, resolve_entities=False, no_network=True,
                           load_dtd=False, dtd_validation=False, huge_tree=False, remove_comments=True,
                           remove_pis=True)


class HardenedPart:
    """A zip member as a file object whose every chunk is checked for a DTD before lxml sees it."""

    def __init__(self, archive: zipfile.ZipFile, member: str):
        self._stream = archive.open(member)
        self._tail = b""

    def read(self, size: int = CHUNK) -> bytes:
        chunk = self._stream.read(max(size, 0) or CHUNK)
        check_no_dtd(self._tail + chunk)
        self._tail = chunk[-32:]
        return chunk

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> HardenedPart:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Member names by their lower-case form: calamine finds parts whatever their case."""
    return {name.replace("\\", "/").lower(): name for name in archive.namelist()}


def _whole(archive: zipfile.ZipFile, names: dict[str, str], part: str):
    name = names.get(part.lower())
    if name is None:
        return None
    with HardenedPart(archive, name) as stream:
        return etree.parse(stream, xml_parser()).getroot()


class SharedStrings:
    """The shared strings table: one UTF-8 buffer and the end offset of each entry."""

    def __init__(self):
        self._text = bytearray()
        self._ends = array("q")

    def append(self, text: str) -> None:
        self._text += text.encode()
        self._ends.append(len(self._text))

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, index: int) -> str:
        end = self._ends[index]
        return self._text[self._ends[index - 1] if index else 0:end].decode()


class Damaged(ValueError):
    """What calamine says of a cell it cannot read (the file is refused as corrupt)."""


class BookParts:
    """The workbook's date system, number formats and shared strings: what a ``<v>`` needs."""

    def __init__(self, is_1904: bool, formats: list[int], strings: SharedStrings):
        self.is_1904, self.formats, self.strings = is_1904, formats, strings
        self._kinds: dict[str, int] = {}

    def value(self, text: str | None, kind: str | None, style: str | None):
        """A ``<v>``'s value by its cell's type (``t``) and style (``s``); EMPTY for none."""
        if kind is None or kind == "n":
            if not text:
                return EMPTY
            number = _number(text)
            if number is None:
                if kind is None:
                    return text
                raise Damaged("Parse float error: invalid float literal")
            number_format = OTHER if style is None else self._format(style)
            return number if number_format == OTHER else serial_value(number, number_format, self.is_1904)
        if kind == "s":
            if not text:
                return EMPTY
            index = int(text) if text.isascii() and text.isdigit() else 0
            if index >= len(self.strings):
                raise Damaged("Cell string index not found in shared strings table")
            return self.strings[index]
        if kind == "str":
            return unescape(text or "")
        if kind == "b":
            return EMPTY if not text else _boolean(text)
        if kind == "e":
            if not text:
                return EMPTY
            if text not in ERROR_VALUES:
                raise Damaged(f"Unsupported cell error value '{text[:40]}'")
            return ERROR
        if kind == "d":
            return iso_value(text or "")
        if kind in INLINE_KINDS:
            return EMPTY
        raise Damaged(f"Unknown cell 't' attribute: \"{kind[:40]}\"")

    def _format(self, style: str) -> int:
        number_format = self._kinds.get(style)
        if number_format is None:
            index = int(style) if style.isascii() and style.isdigit() else 0
            number_format = self.formats[index] if index < len(self.formats) else OTHER
            self._kinds[style] = number_format
        return number_format


def _number(text: str) -> float | None:
    """The text as a float when calamine reads it as one (Python also takes spaces, ``_`` and
    non-ASCII digits: calamine does not)."""
    try:
        number = float(text)
    except ValueError:
        return None
    if "_" in text or not text.isascii() or text[0] in WHITESPACE or text[-1] in WHITESPACE:
        return None
    return number


def _boolean(text: str) -> bool:
    value = BOOLEANS.get(text.strip(SPACES).lower())
    if value is None:
        raise Damaged(f"Unrecognized boolean cell value: {text[:40]}")
    return value


def has_value(text: str | None, kind: str | None) -> bool:
    """Whether a ``<v>`` gives its cell a value (calamine leaves an empty one without, except
    for formula text and ISO dates); ``<v>`` of an inline string is ignored."""
    if kind is None or kind in TEXT_KINDS:
        return bool(text)
    return kind not in INLINE_KINDS


def book_parts(archive: zipfile.ZipFile, names: dict[str, str]) -> BookParts:
    workbook = _whole(archive, names, "xl/workbook.xml")
    properties = None if workbook is None else workbook.find("{*}workbookPr")
    is_1904 = properties is not None and properties.get("date1904") in ("1", "true")
    return BookParts(is_1904, _cell_formats(_whole(archive, names, "xl/styles.xml")),
                     _shared_strings(archive, names))


def _cell_formats(styles) -> list[int]:
    """The kind of number format of each cell style (``cellXfs``), by its position."""
    if styles is None:
        return []
    custom = {}
    for number_format in styles.iterfind("{*}numFmts/{*}numFmt"):
        code, ident = number_format.get("formatCode"), number_format.get("numFmtId")
        if code is not None and ident is not None:
            custom[ident] = format_kind(code)
    formats = []
    for xf in styles.iterfind("{*}cellXfs/{*}xf"):
        ident = xf.get("numFmtId")
        formats.append(OTHER if ident is None else custom[ident] if ident in custom
                       else BUILTIN_FORMATS.get(ident, OTHER))
    return formats


def format_kind(code: str) -> int:
    """DATETIME, DURATION or OTHER for a custom number format, by calamine's reading of it:
    the first section only; quoted text, escaped and fill characters and [colours] skipped;
    a date or time letter makes a date, [h], [m] or [s] a duration."""
    escaped = quoted = am_pm = hms = False
    brackets = 0
    previous = " "
    for ch in code:
        if escaped:
            escaped = False
        elif ch in "_\\*":
            escaped = True
        elif quoted:
            quoted = ch != '"'
        elif ch == '"':
            quoted = True
        elif ch == ";":
            return OTHER
        elif ch == "[":
            brackets += 1
        elif ch == "]" and brackets == 1 and hms:
            return DURATION
        elif ch == "]":
            brackets = max(brackets - 1, 0)
        elif ch in "aA" and not am_pm and not brackets:
            am_pm = True
        elif ch in "pmPM/" and am_pm and not brackets:
            return DATETIME
        elif ch in "dmhysDMHYS" and not am_pm and not brackets:
            return DATETIME
        elif not (hms and ch.lower() == previous.lower()):
            hms = previous == "[" and ch in "mhsMHS"
        previous = ch
    return OTHER


def _shared_strings(archive: zipfile.ZipFile, names: dict[str, str]) -> SharedStrings:
    strings = SharedStrings()
    name = names.get("xl/sharedstrings.xml")
    if name is None:
        return strings
    with HardenedPart(archive, name) as stream:
        for _event, item in iterparse(stream, "{*}si"):
            strings.append(rich_text(item, item.tag[:-2] + "t"))
            item.clear()
            while item.getprevious() is not None:
                del item.getparent()[0]
    return strings


def rich_text(element, t_tag: str) -> str:
    """The text of a shared string (``<si>``) or inline string (``<is>``): every ``<t>`` but
    the phonetic ones (``<rPh>``), each trimmed unless it preserves its spaces. ``t_tag``:
    the name of ``<t>`` in the part's namespace (the common case, one ``<t>``, is quickest)."""
    if len(element) == 1 and element[0].tag == t_tag:
        return _text_of(element[0])
    return "".join(_text_of(t) for t in element.iter("{*}t") if next(t.iterancestors("{*}rPh"), None) is None)


def _text_of(t) -> str:
    text = (t.text or "") if not len(t) else "".join(t.itertext())
    if t.get(XML_SPACE) != "preserve":
        text = text.strip(SPACES)
    return unescape(text)


def unescape(text: str) -> str:
    """``_x000D_`` and the like, as Excel escapes characters XML cannot hold."""
    return ESCAPE.sub(_escaped, text) if "_x00" in text else text


def _escaped(match: re.Match) -> str:
    return chr(int(match.group(1), 16))


def serial_value(value: float, kind: int, is_1904: bool):
    """A date- or duration-formatted number as python-calamine gives it: a timedelta for a
    duration, a time below 1, a date for a whole number, else a datetime (to the millisecond);
    the number itself outside the years 1–9999 (where calamine's own conversion fails)."""
    if kind == DURATION:
        ms = _rounded(value * MS_PER_DAY)
        return value if ms is None else timedelta(milliseconds=ms)
    shifted = value + DAYS_1900_TO_1904 if is_1904 else value
    if shifted < 60.0:
        shifted += 1.0  # Excel's 29 February 1900, which never was
    if value >= 1.0 and value.is_integer():
        ordinal = EPOCH_ORDINAL + int(shifted)
        return date.fromordinal(ordinal) if ordinal <= MAX_ORDINAL else value
    ms = _rounded(shifted * MS_PER_DAY)
    if ms is None:
        return value
    days, ms = divmod(ms, MS_PER_DAY)
    clock = (ms // 3_600_000, ms // 60_000 % 60, ms // 1000 % 60, ms % 1000 * 1000)
    if value < 1.0:
        return time(*clock)
    ordinal = EPOCH_ORDINAL + days
    if not 1 <= ordinal <= MAX_ORDINAL:
        return value
    day = date.fromordinal(ordinal)
    return datetime(day.year, day.month, day.day, *clock)


def _rounded(ms: float) -> int | None:
    """Rust's ``f64::round() as i64`` (half away from zero, NaN as 0); None beyond what chrono's
    ``TimeDelta::milliseconds`` takes (calamine panics there)."""
    if ms != ms:
        return 0
    if math.isinf(ms) or abs(ms) > MAX_MILLISECONDS:
        return None
    whole = math.floor(abs(ms))
    if abs(ms) - whole >= 0.5:
        whole += 1
    return whole if ms >= 0 else -whole


def iso_value(text: str):
    """A ``t="d"`` cell (ISO 8601 text) as python-calamine gives it: datetime, time or date,
    or the text when it is none of these."""
    try:
        if "T" in text:
            match = ISO_DATETIME.fullmatch(text)
            if match:
                return datetime(*map(int, match.groups()[:6]), _micros(match.group(7)))
        elif ":" in text:
            match = ISO_TIME.fullmatch(text)
            if match:
                return time(int(match[1]), int(match[2]), int(match[3] or 0), _micros(match[4]))
        else:
            match = ISO_DATE.fullmatch(text)
            if match:
                return date(*map(int, match.groups()))
    except ValueError:
        pass
    return text


def _micros(fraction: str | None) -> int:
    return int((fraction or "0")[:6].ljust(6, "0"))
