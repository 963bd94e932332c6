"""A reporting year's net disbursements in EUR split by classification (ODA, not ODA,
still open), and how much of the year is decided.

Read from aggregates: the ``activity_year_totals`` projection (net disbursed EUR per
activity and year, kept by programmes' events) split by the year's evaluations, then
corrected by the lines an officer decided (few). An activity-year is open while any of
its contexts needs review or lacks a rate, or before it is classified; otherwise its
ODA is its disbursements times the eligible share. The ODA figure is rounded per share
(one rounding per distinct share), the CRS file per line: they can differ by cents.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from oda.models import Classification, Evaluation, Override, OverrideState, Status
from oda.services.queries import lines_to_review
from oda.services.sql import raw
from oda.services.year_status import Progress, YearTotals
from programmes.models import ActivityYearTotal, Transaction
from programmes.services.transactions import REFUND, SPENDING

CENT = Decimal("0.01")
OPEN, ODA, NOT_ODA = "open", "oda", "not_oda"


def _activity_years(year: int):
    """Per activity of ``year``: open (1/0) and the eligible share (×10^10, None: not eligible)."""
    e = Evaluation
    open_ = case((e.status == Status.NEEDS_REVIEW, 1), (e.units_per_eur.is_(None), 1), else_=0)
    return (select(e.activity_id, func.max(open_).label("open"),
                   func.max(case((e.status == Status.ELIGIBLE, raw(e.share)))).label("share"))
            .where(e.year == year, e.lines > 0).group_by(e.activity_id).subquery("activity_years"))


def year_totals(session: Session, year: int) -> YearTotals:
    ay, t = _activity_years(year), ActivityYearTotal
    bucket = case((func.coalesce(ay.c.open, 1) == 1, OPEN), (ay.c.share.is_not(None), ODA), else_=NOT_ODA)
    rows = session.execute(select(bucket, ay.c.share, func.sum(raw(t.disbursed)))
                           .select_from(t).outerjoin(ay, ay.c.activity_id == t.activity_id)
                           .where(t.year == year).group_by(bucket, ay.c.share)).all()
    sums = defaultdict(Decimal)
    for kind, share, cents in rows:
        amount = Decimal(int(cents or 0)).scaleb(-2)
        if kind == ODA:
            oda = _times(amount, Decimal(int(share)).scaleb(-10))
            sums[ODA] += oda
            sums[NOT_ODA] += amount - oda
        else:
            sums[kind] += amount
    for kind, amount in _decided_lines(session, year, ay):
        sums[kind] += amount
    return YearTotals(sums[ODA], sums[NOT_ODA], sums[OPEN])


def _times(amount: Decimal, share: Decimal) -> Decimal:
    return (amount * share).quantize(CENT, rounding=ROUND_HALF_EVEN)


def _decided_lines(session: Session, year: int, ay) -> list[tuple[str, Decimal]]:
    """(bucket, amount) moves for the spending lines of ``year`` with a current override:
    out of their activity-year's bucket, into the one their decision gives."""
    c = Classification
    decided = select(Override.transaction_id).where(Override.state.in_(OverrideState.CURRENT))
    if session.scalar(decided.limit(1)) is None:  # most years: no line decided on its own
        return []
    rows = session.execute(
        select(c.status, c.amount_eur, c.oda_amount_eur, Transaction.kind, ay.c.open, ay.c.share)
        .join(Transaction, Transaction.id == c.transaction_id)
        .outerjoin(ay, ay.c.activity_id == c.activity_id)
        .where(c.transaction_id.in_(decided), c.year == year, Transaction.kind.in_(SPENDING))).all()
    moves = []
    for status, amount, oda, kind, open_, share in rows:
        if amount is None:
            continue
        sign = -1 if kind == REFUND else 1
        amount, oda = sign * amount, sign * (oda or Decimal(0))
        if open_ is None or open_ == 1:
            moves.append((OPEN, -amount))
        elif share is not None:
            counted = _times(amount, Decimal(int(share)).scaleb(-10))
            moves += [(ODA, -counted), (NOT_ODA, counted - amount)]
        else:
            moves.append((NOT_ODA, -amount))
        if status == Status.NEEDS_REVIEW:
            moves.append((OPEN, amount))
        else:
            moves += [(ODA, oda), (NOT_ODA, amount - oda)]
    return moves


def progress(session: Session, year: int, totals: YearTotals, open_lines: int | None = None) -> Progress:
    """Lines and net disbursements of ``year`` decided (eligible or not) out of all;
    ``open_lines``: the year's open lines when the caller has counted them already."""
    lines = int(session.scalar(select(func.coalesce(func.sum(Evaluation.lines), 0))
                               .where(Evaluation.year == year)) or 0)
    if open_lines is None:
        open_lines = sum(lines_to_review(session, year).values())
    return Progress(lines, max(lines - open_lines, 0), totals.total, totals.oda + totals.not_oda)
