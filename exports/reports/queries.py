"""Read side of the yearly ODA reports over oda's results (each line's classification,
``oda.models.LineOutcome``, as the CRS export reads it).

ODA figures here are net disbursements (disbursements minus refunds) of the eligible
share, in EUR, per calendar year of the transaction, summed in SQL as integer cents.
What is still open (needs review, not classified) is reported beside them, never
silently counted as ODA or dropped.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, and_, case, extract, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from exports.crs.queries import CL, T, cents
from oda.models import Recipient, Status
from programmes.models import Activity, Programme
from programmes.services.transactions import SPENDING, net_disbursed


def _signed(value):
    return net_disbursed(T.c.kind, value)


def _sum(condition, value):
    return type_coerce(func.coalesce(func.sum(case((condition, value), else_=0)), 0), BigInteger())


def _years(first: int, last: int):
    return and_(T.c.date >= date(first, 1, 1), T.c.date < date(last + 1, 1, 1), T.c.kind.in_(SPENDING))


def oda_by_policy_area(session: Session, first: int, last: int) -> dict[int, dict[str, dict]]:
    """{year: {policy area: {"oda": Decimal, "open": Decimal}}} for net disbursements."""
    year = extract("year", T.c.date)
    eligible = CL.status == Status.ELIGIBLE
    still_open = or_(CL.status == Status.NEEDS_REVIEW, CL.transaction_id.is_(None))
    stmt = (
        select(year.label("year"), Programme.policy_area,
               _sum(eligible, _signed(func.coalesce(CL.oda_amount_eur_minor, 0))).label("oda"),
               _sum(still_open, _signed(func.coalesce(CL.amount_eur_minor, T.c.amount_eur_minor, 0))).label("open"))
        .select_from(CL.joined())
        .join(Activity, Activity.id == T.c.activity_id)
        .join(Programme, Programme.id == Activity.programme_id)
        .where(_years(first, last))
        .group_by(year, Programme.policy_area)
    )
    result: dict[int, dict[str, dict]] = {}
    for row in session.execute(stmt):
        result.setdefault(int(row.year), {})[row.policy_area] = {"oda": cents(row.oda), "open": cents(row.open)}
    return result


def climate_marked_oda(session: Session, first: int, last: int) -> list[tuple[int, int, int, object]]:
    """(year, adaptation score, mitigation score, ODA net disbursements) for Rio-marked activities."""
    year = extract("year", T.c.date)
    adaptation = func.coalesce(Activity.marker_climate_adaptation, 0)
    mitigation = func.coalesce(Activity.marker_climate_mitigation, 0)
    stmt = (
        select(year, adaptation, mitigation,
               type_coerce(func.sum(_signed(func.coalesce(CL.oda_amount_eur_minor, 0))), BigInteger()))
        .select_from(CL.joined())
        .join(Activity, Activity.id == T.c.activity_id)
        .where(CL.classified, _years(first, last), CL.status == Status.ELIGIBLE, or_(adaptation > 0, mitigation > 0))
        .group_by(year, adaptation, mitigation)
    )
    return [(int(y), int(a), int(m), cents(amount)) for y, a, m, amount in session.execute(stmt)]


def recipient_names(session: Session, codes: set[str]) -> dict[str, str]:
    codes = sorted(c for c in codes if c)
    if not codes:
        return {}
    return dict(session.execute(select(Recipient.code, Recipient.name_en).where(Recipient.code.in_(codes))).all())
