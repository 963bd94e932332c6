"""Values as people type them (spreadsheet cells, form fields), turned into exact Python
values or a clear error in the reader's language. The importers and every form use these
parsers, so a value one accepts the other accepts too, with the same message.

Anything that could mean two things is an error for the row, never a guess:
``1.000`` (one or a thousand?), month-first dates, two-digit years.
"""
from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from app.messages import Said, said


class _FormulaWithoutValue:
    """Placed by the readers where a formula cell has no value cached by Excel."""

    def __repr__(self) -> str:
        return "<formula without a cached value>"


FORMULA_WITHOUT_VALUE = _FormulaWithoutValue()


class CellError(ValueError):
    """The value of one cell or field cannot be used; the message says why and what to write."""


def _what(what: str) -> Said:
    """The kind of value in the reader's language (the phrases are listed in dynamic_messages.py)."""
    return said(what)


INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
BELGIAN_DATE = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})$")
CURRENCY_SIGNS = {"€": "EUR", "$": "USD", "£": "GBP"}
AMOUNT_CURRENCY = re.compile(r"^([A-Za-z]{3}|[€$£])?(.*?)([A-Za-z]{3}|[€$£])?$")
MINUS_SIGNS = "-\u2212\u2013"


def clean_text(value) -> str | None:
    """Text with outer whitespace (also non-breaking) and invisible characters removed; None when blank."""
    if value is None:
        return None
    if type(value) is str and value.isascii():
        return value.strip() or None
    if value is FORMULA_WITHOUT_VALUE:
        raise CellError(said("a formula without a computed value: open the file in Excel, let it calculate, "
                          "save and upload again"))
    if isinstance(value, float):
        value = format_number(value)
    text = str(value).translate(INVISIBLE).replace("\u00a0", " ").replace("\u202f", " ").strip()
    return text or None


def is_blank(value) -> bool:
    if value is None or value is FORMULA_WITHOUT_VALUE:
        return value is None
    if isinstance(value, str):
        return not value.translate(INVISIBLE).strip()
    return False


def format_number(value: float) -> str:
    """A float as Excel shows it: at most 15 significant digits, no exponent for integers."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format(value, ".15g")


def parse_text(value, max_length: int, what: str = "text") -> str | None:
    text = clean_text(value)
    if text is not None and len(text) > max_length:
        raise CellError(said("%(what)s is %(length)d characters long; at most %(max)d fit",
                          what=_what(what), length=len(text), max=max_length))
    return text


def parse_code(value, max_length: int) -> str | None:
    """A code such as 31120 or C01; a number typed in Excel (31120.0) becomes "31120"."""
    if isinstance(value, bool):
        raise CellError(said("not a code: %(value)s", value=repr(value)))
    if isinstance(value, float) and not value.is_integer():
        raise CellError(said("not a code: %(value)s", value=format_number(value)))
    text = clean_text(value)
    if text is not None and len(text) > max_length:
        raise CellError(said("the code %(code)s is longer than %(max)d characters", code=repr(text), max=max_length))
    return text


def parse_integer(value, what: str = "a whole number") -> int | None:
    if value is None or isinstance(value, bool):
        if value is None:
            return None
        raise CellError(said("not %(what)s: %(value)s", what=_what(what), value=repr(value)))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(said("not %(what)s: %(value)s", what=_what(what), value=format_number(value)))
    text = clean_text(value)
    if text is None:
        return None
    if re.fullmatch(r"[+-]?\d{1,9}", text):
        return int(text)
    raise CellError(said("not %(what)s: %(value)s", what=_what(what), value=repr(text)))


FLAG_WORDS = {"1": True, "1.0": True, "yes": True, "ja": True, "true": True, "waar": True, "x": True,
              "0": False, "0.0": False, "no": False, "nee": False, "false": False, "onwaar": False}


def parse_flag(value) -> bool:
    """A CRS flag (FTC, PBA …): 1 or blank as the CRS writes it, also yes/no, ja/nee,
    true/false and Excel's TRUE/FALSE; anything else (2, "maybe") is an error."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = clean_text(value)
    if text is None:
        return False
    flag = FLAG_WORDS.get(text.casefold())
    if flag is None:
        raise CellError(said("not a flag: %(value)s; write 1 (or yes) when it applies, leave it blank otherwise",
                          value=repr(text)))
    return flag


def parse_date(value) -> date | None:
    """Real Excel dates, ISO text, or day-first text (31/12/2024, 31.12.2024, 31-12-2024)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (bool, int, float)):
        raise CellError(said("%(value)s is a number, not a date: format the cell as a date or write 31/12/2024",
                          value=repr(value)))
    text = clean_text(value)
    if text is None:
        return None
    match = ISO_DATE.match(text)
    if match:
        year, month, day = map(int, match.groups())
    else:
        match = BELGIAN_DATE.match(text)
        if not match:
            raise CellError(said("not a date: %(value)s (write 31/12/2024, 31.12.2024 or 2024-12-31)",
                                 value=repr(text)))
        day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(said("no such day: %(value)s (dates are read day first: dd/mm/yyyy)",
                             value=repr(text))) from None


def parse_amount(value, places: int = 2) -> tuple[Decimal | None, str | None]:
    """(amount, currency named in the cell or None). Numbers, or text in Dutch (1.234,56)
    or English (1,234.56) notation, with a currency sign, minus or parentheses."""
    if isinstance(value, bool):
        raise CellError(said("not an amount: %(value)s", value=repr(value)))
    if isinstance(value, int):
        return _limit_places(Decimal(value), places, str(value)), None
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(said("not an amount: the cell holds an error or infinity"))
        if places == 2 and abs(value) < 1e13:
            cents = round(value * 100)
            if cents / 100 == value:  # the number Excel shows has at most two decimals: no text round trip
                return Decimal(cents).scaleb(-2), None
        shown = format_number(value)
        return _limit_places(Decimal(shown), places, shown), None
    if isinstance(value, Decimal):
        return _limit_places(value, places, str(value)), None
    text = clean_text(value)
    if text is None:
        return None, None
    return _parse_amount_text(text, places)


def _parse_amount_text(text: str, places: int) -> tuple[Decimal, str | None]:
    compact = "".join(ch for ch in text if not ch.isspace())
    negative = False
    if compact.startswith("(") and compact.endswith(")"):
        negative, compact = True, compact[1:-1]
    compact, sign_before = _strip_sign(compact)
    match = AMOUNT_CURRENCY.match(compact)
    prefix, number, suffix = match.groups() if match else (None, compact, None)
    if prefix and suffix:
        raise CellError(said("not an amount: %(value)s", value=repr(text)))
    currency = _currency_of(prefix or suffix)
    if number.startswith("(") and number.endswith(")") and not (negative or sign_before):
        negative, number = True, number[1:-1]  # € (250,00): Excel's accounting format
    number, sign_inside = _strip_sign(number)
    if sign_before and sign_inside:
        raise CellError(said("not an amount: %(value)s", value=repr(text)))
    if sign_before or sign_inside:
        if negative:
            raise CellError(said("not an amount: %(value)s (both a minus and parentheses)", value=repr(text)))
        negative = sign_before == "-" or sign_inside == "-"
    amount = _read_number(number, text)
    return _limit_places(-amount if negative else amount, places, text), currency


def _strip_sign(text: str) -> tuple[str, str | None]:
    if text[:1] in MINUS_SIGNS:
        return text[1:], "-"
    if text[-1:] in MINUS_SIGNS:
        return text[:-1], "-"
    if text[:1] == "+":
        return text[1:], "+"
    return text, None


def _currency_of(sign: str | None) -> str | None:
    if sign is None:
        return None
    return CURRENCY_SIGNS.get(sign, sign.upper())


def _read_number(number: str, original: str) -> Decimal:
    readings = {value for value in (_reading(number, ".", ","), _reading(number, ",", ".")) if value is not None}
    if not readings:
        raise CellError(said("not an amount: %(value)s", value=repr(original)))
    if len(readings) > 1:
        first, second = sorted(readings)
        raise CellError(said("ambiguous amount %(value)s: it reads as %(first)s or %(second)s; write 1.234,56 or "
                          "1,234.56 with the decimals", value=repr(original), first=format(first.normalize(), "f"),
                          second=format(second.normalize(), "f")))
    return readings.pop()


def _reading(number: str, thousands: str, decimal_mark: str) -> Decimal | None:
    """The value of ``number`` with the given separators, or None when it does not fit them."""
    whole, has_mark, fraction = number.partition(decimal_mark)
    if decimal_mark in fraction or (has_mark and not fraction.isdigit()):
        return None
    if thousands in whole:
        groups = whole.split(thousands)
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            return None
        whole = "".join(groups)
    if not whole.isdigit() and not (whole == "" and fraction):
        return None
    try:
        return Decimal(f"{whole or '0'}.{fraction or '0'}")
    except InvalidOperation:
        return None


CENT = Decimal("0.01")


def _limit_places(amount: Decimal, places: int, original: str) -> Decimal:
    quantum = CENT if places == 2 else Decimal(1).scaleb(-places)
    if amount != amount.quantize(quantum):
        raise CellError(said("%(value)s has more than %(places)d decimals", value=original, places=places))
    return amount.quantize(quantum) if places == 2 else amount.normalize()


@lru_cache(maxsize=4096)
def normalise_label(text) -> str:
    """Case-, space-, punctuation- and accent-insensitive form of a header or a choice."""
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(ch for ch in decomposed.lower() if ch.isalnum() and not unicodedata.combining(ch))


def jsonable_cell(value):
    """A raw cell as JSON keeps it (dates as ISO text, which the importer reads back)."""
    if value is FORMULA_WITHOUT_VALUE:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def choice_parser(options: dict[str, str], what: str):
    """A parser accepting any spelling of the given choices (keys are labels, values the stored codes)."""
    table = {normalise_label(label): code for label, code in options.items()}
    shown = ", ".join(sorted(set(options.values())))

    def parse(value) -> str | None:
        text = clean_text(value)
        if text is None:
            return None
        code = table.get(normalise_label(text))
        if code is None:
            raise CellError(said("unknown %(what)s %(value)s: write one of %(choices)s",
                              what=_what(what), value=repr(text), choices=shown))
        return code

    return parse
