"""Messages that are said in the reader's language when shown, not in the writer's when stored.

A stored message is ``{"id": msgid, "params": {...}, "cap": true?}``; a parameter is a value
shown as it is, a nested message, ``{"items": [...], "sep": "; "}``, a number written in the
reader's notation (``{"number": 1048576}``: 1,048,576 or 1.048.576), or the name of a code of a
reference list, ``{"named": list, "code": code, "name": English name}`` (a country, a purpose
code), said in the reader's language by whoever answers ``code_name``. ``render`` says it with
the translation function it is given (flask_babel's gettext on a page; none: English, the msgid
and the English names).

``said(msgid, **params)`` is a message for code that works with text (a CellError, a row's
reason): a ``str`` in the current language, as ``gettext`` gives it, that also remembers its
msgid and parameters (``.message``), so whoever stores it can store the message, and its
English sentence (``english``) beside it.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Callable

from babel import numbers
from flask_babel import format_decimal, format_number, gettext

from app.hooks import Hook

#: (list name, code, English name) → the name as the reader of the current language says it; the
#: oda package answers (it knows the reference lists and their Dutch names); unanswered: English
code_name = Hook("a code's name in the reader's language")


def N_(message: str) -> str:  # noqa: N802 - gettext's "mark now, translate when shown"
    return message


class Said(str):
    """Text in the current language that remembers the message it says (``message``)."""

    message: dict


def said(msgid: str, **params) -> Said:
    text = Said(gettext(msgid, **{name: str(v) if isinstance(v, Said) else v for name, v in params.items()}))
    text.message = {"id": msgid, "params": {name: message_of(v) for name, v in params.items()}}
    return text


def numeral(value: int) -> Said:
    """A count or a size in a said message, in the current notation (1,048,576 or 1.048.576),
    that every later reader sees in theirs."""
    text = Said(format_number(value))
    text.message = {"number": value}
    return text


def english(text: str) -> str:
    """The English sentence of a said text (as stored beside its message); other text as it is."""
    return str(render(text.message)) if isinstance(text, Said) else text


def message_of(value):
    """The stored form of a parameter: a said text's message, a plain value as it is."""
    if isinstance(value, Said):
        return value.message
    return value if isinstance(value, (int, float, str)) or value is None else str(value)


def render(data, translate: Callable[[str], str] | None = None):
    """The sentence of a stored message in the language of ``translate`` (English when None); a
    plain value is returned as it is (so that ``%(n)d`` still formats a number)."""
    if isinstance(data, dict) and "id" in data:
        template = translate(data["id"]) if translate else data["id"]
        params = {name: render(value, translate) for name, value in (data.get("params") or {}).items()}
        text = template % params if params else template
        return text[:1].upper() + text[1:] if data.get("cap") else text
    if isinstance(data, dict) and "items" in data:
        return data.get("sep", "; ").join(str(render(v, translate)) for v in data["items"])
    if isinstance(data, dict) and "percent" in data:
        return _percent(data["percent"], translate)
    if isinstance(data, dict) and "number" in data:
        return _number(data["number"], translate)
    if isinstance(data, dict) and "named" in data:
        return _code_name(data, translate)
    return "" if data is None else data


def _code_name(data: dict, translate) -> str:
    """A code's name: as stored (English) when said in English, else in the reader's language."""
    name = data["name"]
    if translate is None:
        return name
    return code_name(data["named"], data["code"], name) or name


def _percent(value: str, translate) -> str:
    """A stored percentage ("58.33"): as stored in English, in the reader's notation otherwise."""
    if translate is None:
        return f"{value} %"
    return f"{format_decimal(Decimal(value), format='#,##0.##')} %"


def _number(value: int, translate) -> str:
    """A stored number ("number"): as English writes it when said in English, in the reader's
    notation otherwise."""
    return numbers.format_decimal(value, locale="en") if translate is None else format_number(value)
