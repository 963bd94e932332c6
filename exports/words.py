"""Writing a workbook in the language of the person who asked for it: the one mechanism.

``exports.services.execute`` builds every export run inside ``app.web.speaking(run.language)``
(the user's language from the page and the API, ``--lang`` or LANG on the command line, English
for the scheduler), so ``gettext`` says the requester's language while a workbook is written.
Each workbook declares its words once, as msgids (``N_``): the CRS workbook's sheets for the
officer in ``exports.crs.words``, the report workbooks in ``exports.reports.workbooks``, the sheet Changes in
``exports.crs.diff``; the helpers
here say them. English says every msgid as it is, so an English file is what it always was.
Numbers inside a text are written in the reader's notation (10000.00, 10000,00); cells keep
their number formats, which Excel shows in the reader's own notation.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Sequence

from babel.numbers import format_decimal
from flask_babel import get_locale, gettext

from app.messages import render
from app.web import current_language
from exports.xlsx import Column
from oda.rules.base import percent_param


def said_columns(columns: Sequence[Column]) -> tuple[Column, ...]:
    """``columns`` with their headers (msgids) in the run's language."""
    return tuple(Column(gettext(c.header), c.kind, c.width) for c in columns)


def said_items(items: Sequence[tuple]) -> list[tuple]:
    """Metadata items (label msgid, value, kind) with their labels in the run's language."""
    return [(gettext(label), value, kind) for label, value, kind in items]


def stored_code(code: str | None, words: dict) -> str | None:
    """A stored code as the sheet says it: the code in English, its words in another language."""
    if code is None or current_language() == "en":
        return code
    return gettext(words.get(code, code))


def amount_text(amount: Decimal) -> str:
    """An amount inside a text: 10000.00, or 10000,00 for a Dutch reader."""
    return format_decimal(amount, format="0.00", locale=get_locale())


def share_text(share: Decimal) -> str:
    """A share inside a text: 58.33 %, or 58,33 % for a Dutch reader."""
    return str(render({"percent": percent_param(Decimal(str(share))).value}, gettext))
