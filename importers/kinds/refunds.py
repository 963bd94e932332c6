"""The spending import's check that a refund does not exceed what was disbursed.

A refund returns money paid on its activity: more than the activity's net disbursements
up to the refund's date (the ledger and the file together, in EUR) is most likely a
wrong activity code or amount. The row is imported all the same, with a warning that
says so. One set query reads the ledger of the activities the file refunds; the lines
the file itself carries (new, corrected or unchanged) count as the file says, never
twice.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy.orm import Session

from app.messages import said
from importers.kinds.base import RowResult
from programmes.services.ledger import net_disbursed_by_date
from programmes.services.transactions import REFUND, SPENDING

#: on one date, what the ledger held and the file's payments count before the file's refunds
LEDGER_FIRST, PAYMENT, RETURN = 0, 1, 2


class FileLine(NamedTuple):
    """A spending line of the file on an activity the file refunds; ``eur`` None: no rate."""

    activity_id: int
    date: date
    kind: str
    eur: Decimal | None
    row: RowResult


class Movement(NamedTuple):
    """A change of an activity's net disbursements, in EUR; ``row``: a refund row of the file."""

    date: date
    order: int
    row_number: int
    eur: Decimal
    row: RowResult | None = None


def warn_refunds_beyond_disbursed(session: Session, lines: list[FileLine], replaced: list, codes: dict) -> None:
    """Warn on each refund row larger than its activity's net disbursements up to its date.

    ``lines``: the file's planned spending lines on the refunded activities; ``replaced``:
    the ledger's current version of those of them already booked (they count as the file
    says, not twice); ``codes``: {activity id: activity code}, for the message."""
    movements = _ledger_movements(session, sorted(codes))
    for old in replaced:
        if old.kind in SPENDING and old.amount_eur is not None:
            movements[old.activity_id].append(Movement(old.date, LEDGER_FIRST, 0, -_signed(old.kind, old.amount_eur)))
    for line in lines:
        if line.kind in SPENDING and line.eur is not None:
            refund = line.kind == REFUND
            movements[line.activity_id].append(Movement(line.date, RETURN if refund else PAYMENT,
                                                        line.row.row_number, _signed(line.kind, line.eur),
                                                        line.row if refund else None))
    for activity_id, changes in movements.items():
        _check_activity(codes[activity_id], changes)


def _ledger_movements(session: Session, activity_ids: list) -> dict:
    """Net disbursements per activity and date, as the ledger holds them (summed in SQL)."""
    movements = defaultdict(list)
    for activity_id, when, eur in net_disbursed_by_date(session, activity_ids):
        movements[activity_id].append(Movement(_as_date(when), LEDGER_FIRST, 0, eur))
    return movements


def _check_activity(code: str, movements: list[Movement]) -> None:
    disbursed = Decimal("0.00")
    for movement in sorted(movements, key=lambda m: m[:3]):
        if movement.row is not None and -movement.eur > disbursed:
            movement.row.warn("amount", said("a refund of %(refund)s EUR is more than the %(disbursed)s EUR "
                                             "disbursed on %(code)s up to %(date)s: check the activity code and "
                                             "the amount", refund=str(-movement.eur),
                                             disbursed=f"{max(disbursed, 0):.2f}", code=code,
                                             date=f"{movement.date:%d/%m/%Y}"))
        disbursed += movement.eur


def _signed(kind: str, amount: Decimal) -> Decimal:
    """What a line adds to net disbursements (``net_disbursed`` in Python)."""
    return -amount if kind == REFUND else amount


def _as_date(value) -> date:
    """SQLite hands the date back as ISO text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
