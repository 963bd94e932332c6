"""The portfolio overview: every visible programme with its year and period totals."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from programmes.models import Programme, ProgrammeYearTotal
from programmes.services.queries.totals import Totals, totals


@dataclass(frozen=True)
class PortfolioFilter:
    """What the overview's filter form narrows the list to; None means "any"."""

    country: str | None = None
    policy_area: str | None = None
    kind: str | None = None

    @property
    def active(self) -> bool:
        return any((self.country, self.policy_area, self.kind))


@dataclass(frozen=True)
class ProgrammeSummary:
    programme: Programme
    year: Totals
    period: Totals


def portfolio(session: Session, year: int, visible_ids: set[int] | None,
              filters: PortfolioFilter | None = None) -> list[ProgrammeSummary]:
    """Every visible programme with its totals for ``year`` and for all its years, in one query."""
    pyt = ProgrammeYearTotal
    period = (
        select(pyt.programme_id, func.sum(pyt.planned).label("planned"),
               func.sum(pyt.committed).label("committed"), func.sum(pyt.disbursed).label("disbursed"))
        .group_by(pyt.programme_id)
        .subquery()
    )
    this_year = aliased(pyt)
    stmt = (
        select(Programme, this_year.planned, this_year.committed, this_year.disbursed,
               period.c.planned, period.c.committed, period.c.disbursed)
        .outerjoin(this_year, and_(this_year.programme_id == Programme.id, this_year.year == year))
        .outerjoin(period, period.c.programme_id == Programme.id)
        .order_by(Programme.code)
    )
    stmt = _narrow(stmt, visible_ids, filters)
    return [ProgrammeSummary(row[0], totals(*row[1:4]), totals(*row[4:7])) for row in session.execute(stmt)]


def _narrow(stmt, visible_ids: set[int] | None, filters: PortfolioFilter | None):
    if visible_ids is not None:
        stmt = stmt.where(Programme.id.in_(sorted(visible_ids)))
    if filters is None:
        return stmt
    if filters.country:
        stmt = stmt.where(Programme.partner_country == filters.country)
    if filters.policy_area:
        stmt = stmt.where(Programme.policy_area == filters.policy_area)
    if filters.kind:
        stmt = stmt.where(Programme.kind == filters.kind)
    return stmt


def filter_options(session: Session, visible_ids: set[int] | None) -> dict[str, list[str]]:
    """The countries, policy areas and kinds present among the visible programmes."""
    stmt = select(Programme.partner_country, Programme.policy_area, Programme.kind).distinct()
    rows = session.execute(_narrow(stmt, visible_ids, None)).all()
    return {
        "country": sorted({r.partner_country for r in rows if r.partner_country}),
        "policy_area": sorted({r.policy_area for r in rows}),
        "kind": sorted({r.kind for r in rows}),
    }


def grand_total(rows: list[ProgrammeSummary]) -> tuple[Totals, Totals]:
    year, period = Totals(), Totals()
    for row in rows:
        year, period = year + row.year, period + row.period
    return year, period


def default_year(session: Session, visible_ids: set[int] | None, today: date) -> int:
    """The year a reader most likely means: the latest one up to ``today``'s with a plan in the
    visible programmes, else the latest with spending, else the first later one with either (a
    portfolio planned ahead), else this year. A year with spending but no plan yet (the new year
    before its budget is entered) would show every plan at 0 and an overrun on every payment."""
    pyt = ProgrammeYearTotal
    planned, spent = pyt.planned != 0, (pyt.committed != 0) | (pyt.disbursed != 0)
    past = pyt.year <= today.year
    stmt = select(func.max(pyt.year).filter(past & planned), func.max(pyt.year).filter(past & spent),
                  func.min(pyt.year).filter(~past & (planned | spent)))
    if visible_ids is not None:
        stmt = stmt.where(pyt.programme_id.in_(sorted(visible_ids)))
    latest_plan, latest_spending, first_ahead = session.execute(stmt).one()
    return latest_plan or latest_spending or first_ahead or today.year
