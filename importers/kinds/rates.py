"""Exchange rates: annual averages in units of a currency per USD, as the DAC and IMF publish them."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from app.messages import said
from app.rates.services import RateOrigin, get_rate, one_revaluation_per_year, set_rate
from importers.kinds.base import (N_, IMPORTED, UNCHANGED, UPDATED, ApplyContext, Column, Kind, RowResult,
                                  apply_through_services)
from importers.kinds.spending import parse_currency
from app.values import CellError, parse_amount, parse_integer, parse_text


def parse_rate(value):
    rate, currency = parse_amount(value, places=10)
    if currency is not None:
        raise CellError(said("write the rate as a plain number, without a currency"))
    if rate is not None and rate <= 0:
        raise CellError(said("an exchange rate must be positive"))
    return rate


class RatesKind(Kind):
    name = "rates"
    title = "Exchange rates"
    description = N_("Annual average rates per currency and year, in units per USD (DAC/IMF convention).")
    columns = (
        Column("year", True, ("Jaar",), N_("The calendar year of the average."), 2024),
        Column("currency", True, ("Munt", "Valuta"), N_("ISO code."), "MWK"),
        Column("units_per_usd", True, ("Eenheden per USD", "Per USD", "Koers", "Rate"),
               N_("Units of the currency per USD, up to 10 decimals."), Decimal("1734.5")),
        Column("source", False, ("Bron",), N_("Where the rate comes from; the file name when empty."),
               "IMF IFS annual average"),
    )

    def new_state(self) -> dict:
        return {"keys": {}}

    def parse(self, row: RowResult, cells: dict, state: dict) -> None:
        year = self.read(row, cells, "year", parse_integer, "a year", required=True)
        currency = self.read(row, cells, "currency", parse_currency, required=True)
        rate = self.read(row, cells, "units_per_usd", parse_rate, required=True)
        source = self.read(row, cells, "source", parse_text, 200)
        row.values = {"year": year, "currency": currency, "units_per_usd": rate, "source": source}
        row.key = f"{year} {currency}"
        if not row.has_error:
            first = state["keys"].setdefault((year, currency), row.row_number)
            if first != row.row_number:
                row.error("currency", said("the rate of %(currency)s for %(year)s appears already on row %(first)s",
                                       currency=currency, year=str(year), first=first))

    def apply(self, session: Session, rows: list[RowResult], ctx: ApplyContext) -> None:
        """An officer's rates (the DAC's): they replace IMF and curated ones; the ledger is
        revalued once per year of the file."""
        with one_revaluation_per_year(session):
            apply_through_services(self, session, rows, ctx, self._apply_row)

    def _apply_row(self, session: Session, row: RowResult, ctx: ApplyContext) -> None:
        v = row.values
        before = get_rate(session, v["year"], v["currency"])
        old = None if before is None else (before.units_per_usd, before.source, before.origin)
        source = v["source"] or ctx.cache.get("filename") or "spreadsheet import"
        rate = set_rate(session, v["year"], v["currency"], v["units_per_usd"], source, RateOrigin.OFFICER)
        row.entity_id = str(rate.id)
        if old is None:
            row.outcome = IMPORTED
        else:
            row.outcome = UNCHANGED if old == (rate.units_per_usd, rate.source, rate.origin) else UPDATED
