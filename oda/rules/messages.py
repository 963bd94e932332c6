"""A rule's reason as a message: a msgid of the catalogue and its parameters, said in the
reader's language when shown, and in English (the msgid itself) when stored and digested.

A parameter is a value shown as it is (a code, a year, a label), a nested :class:`Message` (a
phrase that is translated too), :class:`Items` (phrases joined by punctuation) or a
:class:`CodeName`: the name of a code of a reference list, stored with its list and code so that
it is named in the reader's language when read (Zuid-Afrika, Landbouwontwikkeling). The
English sentence is what the explanation's digest is computed from, so two explanations are
equal when they say the same thing, whatever language reads them later.

Stored form (``Message.as_json``): the messages of ``app.messages``, read by its ``render``,
which translates every msgid with the function it is given (flask_babel's gettext for a
page, none for English): once per explanation, never per line.
"""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

from app.messages import render


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    return message


#: each rule's name in words (a msgid): what the pages and the CRS workbook's sheets call it
RULE_LABELS = {"official": N_("Official"), "main_objective": N_("Main objective"), "concessional": N_("Concessional"),
               "recipient": N_("Recipient"), "multilateral": N_("Multilateral / Annex 2"),
               "codes": N_("Codes valid in the year"), "exchange_rate": N_("Exchange rate")}


class Items(NamedTuple):
    """Phrases (or values) joined by ``sep``: "the interest rate, the commitment date"."""

    values: tuple
    sep: str = "; "


class Percent(NamedTuple):
    """A percentage ("58.33"), written in the reader's notation: 58.33 % or 58,33 %."""

    value: str


class CodeName(NamedTuple):
    """The name of ``code`` in the reference list ``list_name``: in English (the name the rule read,
    what the digest reads), or as the reader says it (``oda.reference.dutch_names.reader_name``)."""

    list_name: str
    code: str
    name: str


class Message(NamedTuple):
    msgid: str
    params: tuple[tuple[str, Any], ...] = ()
    #: capitalise the first letter of the sentence (its first phrase is a lower-case one)
    cap: bool = False

    def as_json(self) -> dict:
        data: dict = {"id": self.msgid, "params": {name: _param_json(value) for name, value in self.params}}
        if self.cap:
            data["cap"] = True
        return data

    def english(self) -> str:
        return str(render(self.as_json()))


def msg(msgid: str, cap: bool = False, **params) -> Message:
    return Message(msgid, tuple(sorted(params.items())), cap)


def _param_json(value):
    if isinstance(value, Message):
        return value.as_json()
    if isinstance(value, Items):
        return {"items": [_param_json(v) for v in value.values], "sep": value.sep}
    if isinstance(value, Percent):
        return {"percent": value.value}
    if isinstance(value, CodeName):
        return {"named": value.list_name, "code": value.code, "name": value.name}
    return value if isinstance(value, (int, str)) else str(value)


def reason_text(reason: dict, translate: Callable[[str], str] | None = None) -> str:
    """A stored reason (``RuleResult.as_json``) in the reader's language; a reason stored
    before reasons were messages (no ``message``) keeps its English sentence."""
    message = reason.get("message")
    if message is None:
        return reason.get("reason") or ""
    return str(render(message, translate))
