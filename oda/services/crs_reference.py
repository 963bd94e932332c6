"""The reference facts a CRS row of year Y carries: the recipient's region and income
group, and which DAC List and Annex 2 table they come from.

Built once per export from the same snapshot the rules read (``eligibility_in`` and
``annex2_entry``: official entries first, curated ones where no official file covers
the year), as small maps keyed by recipient and channel code: a few hundred entries,
so that writing a row costs a dict lookup, not a query.
"""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy.orm import Session

from oda.rules.reference import Annex2Info, ReferenceSnapshot
from oda.services.snapshot import load_snapshot


class ListUsed(NamedTuple):
    """A DAC List of ODA Recipients as it was in force for a row: its name and origin."""

    name: str
    origin: str


class RecipientPlacing(NamedTuple):
    #: DAC regional recipient code of the recipient's region (1027 Eastern Africa, regional …)
    region_code: str | None
    #: income group on the DAC List in force for the year (LDC, Other LIC, LMIC, UMIC)
    income_group: str | None
    #: the list that says so (None: no list covers the year, or a regional code)
    dac_list: ListUsed | None


#: the CRS income group of regional and unspecified recipients (998, 1027 …): the DAC List
#: groups countries only, and the CRS files such flows as "unallocated by income"
UNALLOCATED_BY_INCOME = "Unallocated by income"


class CrsReference(NamedTuple):
    recipients: dict[str, RecipientPlacing]
    #: channel code → the Annex 2 entry in force for the year (that year's table or the latest earlier one)
    annex2: dict[str, Annex2Info]


def crs_reference(session: Session, year: int) -> CrsReference:
    return reference_for_year(load_snapshot(session), year)


def reference_for_year(snap: ReferenceSnapshot, year: int) -> CrsReference:
    regional = {info.name.removesuffix(", regional"): code for code, info in snap.recipients.items()
                if info.kind == "region"}
    recipients = {}
    for code, info in snap.recipients.items():
        if info.kind != "country":
            recipients[code] = RecipientPlacing(code, UNALLOCATED_BY_INCOME, None)
            continue
        entry = snap.eligibility_in(code, year)
        recipients[code] = RecipientPlacing(
            regional.get(info.region or ""), entry.income_group if entry else None,
            ListUsed(entry.list_name, entry.origin) if entry else None)
    annex2 = {channel: entry for channel in snap.annex2 if (entry := snap.annex2_entry(channel, year))}
    return CrsReference(recipients, annex2)
