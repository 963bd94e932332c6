"""Budget execution per programme and year, grouped by partner country.

Planned, committed and disbursed come from the programmes package's budget
projection through its query function ``portfolio`` (never by summing the ledger
here), so the figures are the ones the programme pages show.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.orm import Session

from app.messages import N_
from exports.reports.queries import recipient_names
from programmes.services.queries import Totals, portfolio

NO_COUNTRY = ""
#: the name of the block of programmes without partner country (a msgid)
NO_COUNTRY_NAME = N_("No partner country (multilateral, grants)")


@dataclass(frozen=True)
class ExecutionLine:
    programme_id: int
    programme_code: str
    programme_name: str
    year: int
    totals: Totals

    @property
    def disbursed_share(self) -> Decimal | None:
        return self.totals.burn_rate

    @property
    def remaining(self) -> Decimal:
        return self.totals.planned - self.totals.disbursed


@dataclass
class CountryBlock:
    code: str
    name: str
    lines: list[ExecutionLine] = field(default_factory=list)
    subtotal: Totals = field(default_factory=Totals)


@dataclass
class BudgetExecution:
    first: int
    last: int
    countries: list[CountryBlock]
    total: Totals

    @property
    def is_empty(self) -> bool:
        return not self.countries


def budget_execution(session: Session, first: int, last: int, visible_ids: set[int] | None) -> BudgetExecution:
    """Programme-years of ``first``–``last`` within the programme's period or with bookings."""
    blocks: dict[str, CountryBlock] = {}
    total = Totals()
    for year in range(first, last + 1):
        for item in portfolio(session, year, visible_ids):
            programme = item.programme
            if year not in programme.years and item.year == Totals():
                continue
            code = programme.partner_country or NO_COUNTRY
            block = blocks.setdefault(code, CountryBlock(code, ""))
            block.lines.append(ExecutionLine(programme.id, programme.code, programme.name, year, item.year))
            block.subtotal = block.subtotal + item.year
            total = total + item.year
    names = recipient_names(session, set(blocks))
    for block in blocks.values():
        block.name = names.get(block.code, block.code) if block.code else NO_COUNTRY_NAME
        block.lines.sort(key=lambda line: (line.programme_code, line.year))
    ordered = sorted(blocks.values(), key=lambda b: (b.code == NO_COUNTRY, b.name))
    return BudgetExecution(first, last, ordered, total)
