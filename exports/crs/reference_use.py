"""Which DAC List and which Annex 2 table the CRS rows used, for the Metadata sheet.

An ODA officer answering the OECD ("why is Malawi LDC in your 2024 file?", "why 60 % of
the UNESCO contribution?") needs the list or table, its origin (an official OECD file or
the curated subset shipped with Aidledger) and the rows that relied on it. Gathered
while the rows stream by: a counter and a set per list or table.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from exports.xlsx import TEXT
from oda.rules.base import percent
from oda.services.crs_reference import CrsReference, RecipientPlacing

DAC_LIST = "DAC List of ODA Recipients"
ANNEX2 = "Annex 2 table"
#: bi/multi of the rows whose channel's Annex 2 entry applies: core contributions (2) and core support (3)
CORE = frozenset({"2", "3"})


@dataclass
class Use:
    rows: int = 0
    codes: set = field(default_factory=set)


@dataclass
class ReferenceUse:
    reference: CrsReference
    uses: dict = field(default_factory=lambda: defaultdict(Use))

    def placing(self, r) -> RecipientPlacing:
        """The row's recipient placing, counting the DAC List it comes from."""
        placing = self.reference.recipients.get(r.recipient_code or "")
        if placing is None:
            return RecipientPlacing(None, None, None)
        if placing.dac_list is not None:
            use = self.uses[(DAC_LIST, placing.dac_list.name, placing.dac_list.origin)]
            use.rows += 1
            use.codes.add((r.recipient_code, f"{r.recipient_name} ({placing.income_group or 'no income group'})"))
        if r.bi_multi_crs in CORE:
            self._annex2(r.channel)
        return placing

    def _annex2(self, channel: str | None) -> None:
        entry = self.reference.annex2.get(channel or "")
        if entry is None or entry.coefficient is None:
            return
        use = self.uses[(ANNEX2, str(entry.year), entry.origin)]
        use.rows += 1
        use.codes.add((channel, f"{entry.acronym or entry.name} ({percent(entry.coefficient)})"))


    def metadata_items(self) -> list[tuple[str, str, str]]:
        """One Metadata item per list or table: "DAC List of ODA Recipients: DAC List 2024-2025
        (curated)" → "12 CRS rows: 253 Malawi (LDC), …"."""
        items = []
        for (reference, name, origin), item in sorted(self.uses.items(), key=_dac_list_first):
            used_for = ", ".join(f"{code} {label}" for code, label in sorted(item.codes, key=_numeric))
            rows = f"{item.rows} CRS row{'' if item.rows == 1 else 's'}"
            items.append((f"{reference}: {name} ({origin})", f"{rows}: {used_for}", TEXT))
        return items or [("Reference data used by the CRS rows", "no DAC List or Annex 2 entry used", TEXT)]


def _dac_list_first(item):
    reference, name, origin = item[0]
    return (reference != DAC_LIST, name, origin)


def _numeric(item):
    code = str(item[0] or "")
    return (not code.isdigit(), int(code) if code.isdigit() else 0, code)
