"""The organisation file (``iati-organisations``): the reporting organisation's money per year.

- total-budget: the plans of the published programmes, per year (indicative);
- recipient-country-budget: the plans of country programmes, per partner country and year;
- total-expenditure: the ODA disbursed (net of refunds) in the activity file, per year.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from exports.iati.activity import IatiContext
from exports.iati.elements import CURRENCY, XML_LANG, SubElement, narratives, period, reporting_org, value
from exports.iati.groups import INDICATIVE
from exports.iati.identity import REPORTING_ORG_NAMES
from exports.iati.writer import VERSION


class OrganisationMoney(NamedTuple):
    #: {year: EUR cents}
    budgets: dict[int, int]
    #: {(ISO country code, year): EUR cents}
    country_budgets: dict[tuple[str, int], int]
    #: {year: EUR cents}
    expenditure: dict[int, int]


def write_organisation(path: Path, ctx: IatiContext, money: OrganisationMoney) -> None:
    root = etree.Element("iati-organisations", {"version": VERSION,
                                                "generated-datetime": ctx.generated_at.isoformat(timespec="seconds")})
    organisation = SubElement(root, "iati-organisation", {
        "last-updated-datetime": ctx.generated_at.isoformat(timespec="seconds"), XML_LANG: ctx.language,
        "default-currency": CURRENCY})
    SubElement(organisation, "organisation-identifier").text = ctx.organisation_id
    narratives(SubElement(organisation, "name"), REPORTING_ORG_NAMES)
    reporting_org(organisation, ctx.organisation_id, REPORTING_ORG_NAMES)
    for year, cents in sorted(money.budgets.items()):
        _yearly(SubElement(organisation, "total-budget", {"status": INDICATIVE}), year, cents)
    for (country, year), cents in sorted(money.country_budgets.items()):
        element = SubElement(organisation, "recipient-country-budget", {"status": INDICATIVE})
        SubElement(element, "recipient-country", {"code": country})
        _yearly(element, year, cents)
    for year, cents in sorted(money.expenditure.items()):
        _yearly(SubElement(organisation, "total-expenditure"), year, cents)
    etree.ElementTree(root).write(str(path), encoding="utf-8", xml_declaration=True, pretty_print=True)


def _yearly(element, year: int, cents: int) -> None:
    period(element, year)
    value(element, cents, date(year, 1, 1))
