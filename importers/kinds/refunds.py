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

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.sql import among
from importers.bulk import TRANSACTIONS, select_in
from importers.kinds.base import RowResult
from programmes.services.transactions import REFUND, SPENDING, net_disbursed

#: positions in RowResult.values (those of importers.kinds.spending)
DATE, ACTIVITY, KIND = 1, 2, 7
#: on one date, what the ledger held and the file's payments count before the file's refunds
LEDGER_FIRST, PAYMENT, RETURN = 0, 1, 2


class Movement(NamedTuple):
    """A change of an activity's net disbursements, in EUR; ``row``: a refund row of the file."""

    date: date
    order: int
    row_number: int
    eur: Decimal
    row: RowResult | None = None


def refunded_codes(rows: list[RowResult]) -> set:
    """The activity codes the file books a refund on (usually few)."""
    return {r.values[ACTIVITY] for r in rows if r.values[KIND] == REFUND}


def warn_refunds_beyond_disbursed(session: Session, rows: list[RowResult], activities: dict, eur_of,
                                  replaced: list) -> None:
    """Warn on each refund row larger than its activity's net disbursements up to its date.

    ``rows``: the file's planned rows; ``activities``: {code: (id, programme id)};
    ``eur_of(row)``: a row's EUR amount or None; ``replaced``: the ledger's current
    version of the file's lines on those activities (they count as the file says)."""
    codes = refunded_codes(rows)
    ids = {activities[code][0]: code for code in codes if code in activities}
    if not ids:
        return
    movements = _ledger_movements(session, sorted(ids))
    for old in replaced:
        if old.kind in SPENDING and old.amount_eur is not None:
            movements[old.activity_id].append(Movement(old.date, LEDGER_FIRST, 0, -_signed(old.kind, old.amount_eur)))
    for row in rows:
        values = row.values
        if row.has_error or values[ACTIVITY] not in codes or values[KIND] not in SPENDING:
            continue
        eur = eur_of(row)
        if eur is None:
            continue
        refund = values[KIND] == REFUND
        movements[activities[values[ACTIVITY]][0]].append(
            Movement(values[DATE], RETURN if refund else PAYMENT, row.row_number, -eur if refund else eur,
                     row if refund else None))
    for activity_id, changes in movements.items():
        _check_activity(ids[activity_id], changes)


def _ledger_movements(session: Session, activity_ids: list) -> dict:
    """Net disbursements per activity and date, as the ledger holds them (cents summed in SQL)."""
    t = TRANSACTIONS
    net = sa.func.sum(net_disbursed(t.c.kind, t.c.amount_eur_minor))
    found = select_in(session, lambda chunk: (
        sa.select(t.c.activity_id, t.c.date, net)
        .where(among(session, t.c.activity_id, chunk), t.c.kind.in_(SPENDING), t.c.amount_eur_minor.is_not(None))
        .group_by(t.c.activity_id, t.c.date)), activity_ids)
    movements = defaultdict(list)
    for activity_id, when, cents in found:
        movements[activity_id].append(Movement(_as_date(when), LEDGER_FIRST, 0, Decimal(int(cents)).scaleb(-2)))
    return movements


def _check_activity(code: str, movements: list[Movement]) -> None:
    disbursed = Decimal("0.00")
    for movement in sorted(movements, key=lambda m: m[:3]):
        if movement.row is not None and -movement.eur > disbursed:
            movement.row.warn("amount", f"a refund of {-movement.eur} EUR is more than the {max(disbursed, 0):.2f} "
                                        f"EUR disbursed on {code} up to {movement.date:%d/%m/%Y}: check the "
                                        "activity code and the amount")
        disbursed += movement.eur


def _signed(kind: str, amount: Decimal) -> Decimal:
    return -amount if kind == REFUND else amount


def _as_date(value) -> date:
    """SQLite hands the date back as ISO text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
