"""Small IATI element builders shared by the activity and the organisation file.

Text from the ledger is data typed by people: it may hold characters XML 1.0 forbids
(control characters, unpaired surrogates), which ``clean`` drops; markup such as
``<script>`` or a spreadsheet formula is written as plain text (lxml escapes it), and
an XML file has no formulas to execute.
"""
from __future__ import annotations

from datetime import date

from lxml import etree

from exports.iati.identity import GOVERNMENT, Narrative, clean

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CURRENCY = "EUR"
SubElement = etree.SubElement


def narrative(parent, text: str | None, lang: str | None = None) -> None:
    element = SubElement(parent, "narrative", {XML_LANG: lang} if lang else {})
    element.text = clean(text)


def narratives(parent, names: tuple[Narrative, ...]) -> None:
    for name in names:
        narrative(parent, name.text, name.lang)


def amount(cents: int) -> str:
    """Integer cents as the decimal IATI values are written in (``-1234.50``)."""
    sign, whole = ("-" if cents < 0 else ""), abs(cents)
    return f"{sign}{whole // 100}.{whole % 100:02d}"


def value(parent, cents: int, value_date: date) -> None:
    element = SubElement(parent, "value", {"currency": CURRENCY, "value-date": value_date.isoformat()})
    element.text = amount(cents)


def period(parent, year: int) -> None:
    SubElement(parent, "period-start", {"iso-date": date(year, 1, 1).isoformat()})
    SubElement(parent, "period-end", {"iso-date": date(year, 12, 31).isoformat()})


def reporting_org(parent, organisation_id: str, names: tuple[Narrative, ...]) -> None:
    element = SubElement(parent, "reporting-org", {"ref": organisation_id, "type": GOVERNMENT})
    narratives(element, names)
