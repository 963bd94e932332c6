"""Which DAC List and which Annex 2 table the CRS rows used, for the Metadata sheet.

An ODA officer answering the OECD ("why is Malawi LDC in your 2024 file?", "why 60 % of
the UNESCO contribution?") needs the list or table, its origin (an official OECD file or
the curated subset shipped with Aidledger) and the rows that relied on it. Gathered
while the rows stream by: a counter and a set per list or table.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext, ngettext

from app.messages import N_
from exports.words import share_text
from exports.xlsx import TEXT
from oda.reference.dutch_names import reader_name
from oda.services.crs_reference import CrsReference, RecipientPlacing

DAC_LIST = N_("DAC List of ODA Recipients")
ANNEX2 = N_("Annex 2 table")
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
    recipient_labels: dict = field(default_factory=dict)

    def placing(self, r) -> RecipientPlacing:
        """The row's recipient placing, counting the DAC List it comes from."""
        placing = self.reference.recipients.get(r.recipient_code or "")
        if placing is None:
            return RecipientPlacing(None, None, None)
        if placing.dac_list is not None:
            use = self.uses[(DAC_LIST, placing.dac_list.name, placing.dac_list.origin)]
            use.rows += 1
            use.codes.add((r.recipient_code, self._recipient(r.recipient_code, r.recipient_name, placing.income_group)))
        if r.bi_multi_crs in CORE:
            self._annex2(r.channel)
        return placing

    def _annex2(self, channel: str | None) -> None:
        entry = self.reference.annex2.get(channel or "")
        if entry is None or entry.coefficient is None:
            return
        use = self.uses[(ANNEX2, str(entry.year), entry.origin)]
        use.rows += 1
        use.codes.add((channel, f"{entry.acronym or entry.name} ({share_text(entry.coefficient)})"))

    def _recipient(self, code: str, name: str | None, income_group: str | None) -> str:
        """"Malawi (LDC)", said once per recipient in the run's language ("Zuid-Afrika (UMIC)")."""
        key = (code, income_group)
        if key not in self.recipient_labels:
            group = income_group or gettext("no income group")
            self.recipient_labels[key] = f"{reader_name('recipients', code, name)} ({group})"
        return self.recipient_labels[key]

    def metadata_items(self) -> list[tuple[str, str, str]]:
        """One Metadata item per list or table, in the run's language: "DAC List of ODA Recipients:
        DAC List 2024-2025 (curated)" → "12 CRS rows: 253 Malawi (LDC), …"."""
        items = []
        for (reference, name, origin), item in sorted(self.uses.items(), key=_dac_list_first):
            used_for = ", ".join(f"{code} {label}" for code, label in sorted(item.codes, key=_numeric))
            rows = ngettext("%(num)s CRS row", "%(num)s CRS rows", item.rows)
            items.append((gettext("%(reference)s: %(name)s (%(origin)s)", reference=gettext(reference), name=name,
                                  origin=gettext(origin)), f"{rows}: {used_for}", TEXT))
        return items or [(gettext("Reference data used by the CRS rows"),
                          gettext("no DAC List or Annex 2 entry used"), TEXT)]


def _dac_list_first(item):
    reference, name, origin = item[0]
    return (reference != DAC_LIST, name, origin)


def _numeric(item):
    code = str(item[0] or "")
    return (not code.isdigit(), int(code) if code.isdigit() else 0, code)
