"""Budget lines: the planned amount of a programme per year (and optionally per sector)."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from importers.kinds.base import (N_, IMPORTED, UNCHANGED, UPDATED, ApplyContext, Column, Kind, RowResult,
                                  apply_through_services)
from app.messages import said
from app.values import CellError, parse_amount, parse_code, parse_integer
from programmes.models import BudgetLine
from programmes.services.programmes import get_programme_by_code, set_budget_line


def parse_sector(value) -> str:
    code = parse_code(value, 5)
    if code is None:
        return ""
    if not (code.isdigit() and len(code) in (3, 5)):
        raise CellError(said("not a DAC sector code: %(code)s (3 or 5 digits, or empty for the whole programme)",
                             code=repr(code)))
    return code


def parse_planned(value):
    amount, currency = parse_amount(value)
    if currency not in (None, "EUR"):
        raise CellError(said("budget lines are in EUR, not %(currency)s", currency=currency))
    return amount


class BudgetsKind(Kind):
    name = "budgets"
    title = "Budget lines"
    description = (N_("The plan per programme and year (optionally per sector); a changed plan keeps its old value "
                   "in an event."))
    service_fields = {"planned_amount": "planned_amount", "year": "year"}
    columns = (
        Column("programme_code", True, ("Programmacode", "Programma", "Programme"), N_("An existing programme."),
               "MWI-CSP3"),
        Column("year", True, ("Jaar", "Begrotingsjaar"), N_("A year inside the programme's period."), 2023),
        Column("sector", False, ("Sector", "Sectorcode"), N_("3- or 5-digit DAC code; empty for the whole programme."),
               "311"),
        Column("planned_amount", True, ("Gepland bedrag", "Begroot bedrag", "Planned", "Budget"),
               N_("EUR, at most two decimals, not negative."), Decimal("5000000.00")),
    )

    def new_state(self) -> dict:
        return {"keys": {}}

    def parse(self, row: RowResult, cells: dict, state: dict) -> None:
        code = self.read(row, cells, "programme_code", parse_code, 30, required=True)
        year = self.read(row, cells, "year", parse_integer, "a year", required=True)
        sector = self.read(row, cells, "sector", parse_sector)
        amount = self.read(row, cells, "planned_amount", parse_planned, required=True)
        row.values = {"programme_code": code, "year": year, "sector": sector or "", "planned_amount": amount}
        row.key = " ".join(str(p) for p in (code, year, sector) if p)
        if not row.has_error:
            first = state["keys"].setdefault((code, year, sector or ""), row.row_number)
            if first != row.row_number:
                row.error("year", said("the same programme, year and sector appear already on row %(first)s",
                                       first=first))

    def apply(self, session: Session, rows: list[RowResult], ctx: ApplyContext) -> None:
        apply_through_services(self, session, rows, ctx, self._apply_row)

    def _apply_row(self, session: Session, row: RowResult, ctx: ApplyContext) -> None:
        v = row.values
        programme = get_programme_by_code(session, v["programme_code"])
        if programme is None:
            row.error("programme_code", said("no programme with code %(code)s", code=v["programme_code"]))
            return
        before = session.scalar(select(BudgetLine.planned_amount).where(
            BudgetLine.programme_id == programme.id, BudgetLine.year == v["year"], BudgetLine.sector == v["sector"]))
        line = set_budget_line(session, programme, v["year"], v["planned_amount"], v["sector"])
        row.entity_id = str(line.id)
        if before is None:
            row.outcome = IMPORTED
        else:
            row.outcome = UNCHANGED if before == line.planned_amount else UPDATED
