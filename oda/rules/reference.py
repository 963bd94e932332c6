"""The reference data the rules read, held in memory for one classification run.

Built from the database by ``oda.services.snapshot.load_snapshot`` (or from plain
rows in tests). Small: a few thousand codes, a few hundred recipients and rates.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

VALID = "valid"
WITHDRAWN = "withdrawn"
NOT_ACTIVE = "not_active"
UNKNOWN_CODE = "unknown"


@dataclass(frozen=True)
class CodeInfo:
    code: str
    name: str
    status: str = "active"
    activation_date: date | None = None
    withdrawal_date: date | None = None
    category: str | None = None

    def status_in(self, year: int) -> str:
        """valid / withdrawn / not_active for flows of ``year``.

        A code withdrawn during the year is not valid for that year's report (the
        report is made after the year ends); one activated during the year is.
        """
        year_end = date(year, 12, 31)
        if self.activation_date is not None and self.activation_date > year_end:
            return NOT_ACTIVE
        if self.withdrawal_date is not None:
            return WITHDRAWN if self.withdrawal_date < year_end else VALID
        return WITHDRAWN if self.status == "withdrawn" else VALID


@dataclass(frozen=True)
class RecipientInfo:
    code: str
    name: str
    kind: str  # country / region / unspecified
    iso3: str | None = None
    status: str = "active"
    #: the DAC geographical region ("Eastern Africa"), whose regional code is "<region>, regional"
    region: str | None = None


@dataclass(frozen=True)
class EligibilityInfo:
    recipient_code: str
    year_from: int
    year_to: int | None
    on_list: bool
    income_group: str | None
    list_name: str
    origin: str
    note: str | None = None

    def covers(self, year: int) -> bool:
        return self.year_from <= year and (self.year_to is None or year <= self.year_to)


@dataclass(frozen=True)
class Annex2Info:
    channel_code: str
    year: int
    coefficient: Decimal | None
    name: str
    origin: str
    core_aid_type: str | None = None
    acronym: str | None = None

    @property
    def label(self) -> str:
        return f"{self.acronym or self.name} ({self.channel_code})"


@dataclass
class ReferenceSnapshot:
    version: int = 0
    codes: dict[str, dict[str, CodeInfo]] = field(default_factory=dict)
    recipients: dict[str, RecipientInfo] = field(default_factory=dict)
    eligibility: dict[str, list[EligibilityInfo]] = field(default_factory=dict)
    annex2: dict[str, list[Annex2Info]] = field(default_factory=dict)
    #: (year, currency) → units per EUR; EUR itself needs no rate
    rates: dict[tuple[int, str], Decimal] = field(default_factory=dict)
    #: (year, currency) → units per USD as published, to say which rate is missing
    usd_rates: dict[tuple[int, str], Decimal] = field(default_factory=dict)

    # --- code lists -------------------------------------------------------------
    def code(self, list_name: str, code: str | None) -> CodeInfo | None:
        if not code:
            return None
        return self.codes.get(list_name, {}).get(code)

    def code_status(self, list_name: str, code: str | None, year: int) -> str:
        info = self.code(list_name, code)
        return UNKNOWN_CODE if info is None else info.status_in(year)

    def code_name(self, list_name: str, code: str | None) -> str:
        info = self.code(list_name, code)
        return f"{code} {info.name}" if info else str(code)

    # --- recipients -------------------------------------------------------------
    def recipient(self, code: str | None) -> RecipientInfo | None:
        return self.recipients.get(code or "")

    def eligibility_in(self, code: str, year: int) -> EligibilityInfo | None:
        """The list entry covering ``year``; official lists win over curated facts."""
        entries = [e for e in self.eligibility.get(code, ()) if e.covers(year)]
        if not entries:
            return None
        entries.sort(key=lambda e: (e.origin == "official", e.year_from))
        return entries[-1]

    def graduation_year(self, code: str) -> int | None:
        """First year from which the recipient is off the list for good, if known."""
        off = [e.year_from for e in self.eligibility.get(code, ()) if not e.on_list and e.year_to is None]
        return min(off) if off else None

    def official_list_years(self) -> set[int]:
        years: set[int] = set()
        for entries in self.eligibility.values():
            for e in entries:
                if e.origin == "official" and e.year_to is not None:
                    years.update(range(e.year_from, e.year_to + 1))
        return years

    # --- Annex 2 ----------------------------------------------------------------
    def annex2_entry(self, channel: str | None, year: int) -> Annex2Info | None:
        """The coefficient for ``year``, else the most recent earlier year (official first)."""
        entries = [e for e in self.annex2.get(channel or "", ()) if e.year <= year]
        if not entries:
            return None
        entries.sort(key=lambda e: (e.year, e.origin == "official"))
        return entries[-1]

    def annex2_later_entry(self, channel: str | None, year: int) -> Annex2Info | None:
        later = sorted((e for e in self.annex2.get(channel or "", ()) if e.year > year), key=lambda e: e.year)
        return later[0] if later else None

    def annex2_tables(self, up_to: int) -> list[tuple[int, str]]:
        """The Annex 2 tables (year, origin) loaded for ``up_to`` or earlier years."""
        return sorted({(e.year, e.origin) for entries in self.annex2.values() for e in entries if e.year <= up_to})

    # --- exchange rates ---------------------------------------------------------
    def units_per_eur(self, currency: str, year: int) -> Decimal | None:
        if currency == "EUR":
            return Decimal("1")
        return self.rates.get((year, currency))

    def has_usd_rate(self, currency: str, year: int) -> bool:
        return (year, currency) in self.usd_rates
