"""The spending import's check that a refund does not exceed what was disbursed.

A refund returns money paid on its activity: more than the activity's net disbursements
up to the refund's date (the ledger and the file together, in EUR) is most likely a
wrong activity code or amount. The row is imported all the same, with a warning that
says so. One set query reads the ledger of the activities the file refunds; the lines
the file itself carries (new, corrected or unchanged) count as the file says, never
twice.
"""
from __future__ import annotations

from array import array
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy.orm import Session

from app.bulk import chunks
from app.messages import said
from importers.kinds.base import RowResult
from programmes.services.ledger import net_disbursed_by_date
from programmes.services.transactions import REFUND, SPENDING

#: on one date, what the ledger held and the file's payments count before the file's refunds
LEDGER_FIRST, RETURN = 0, 2
#: the activities whose ledger is read at once: the check's memory does not grow with the ledger
#: (read whole, 1,000,000 imported lines' movements held about 310 MB)
ACTIVITIES_AT_ONCE = 500


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


class RefundCheck:
    """The check over a file read a chunk at a time. Which activities the file refunds is
    known only after its last row, so it keeps, until ``check``:

    - the refund rows (each a row result and its line, the rows ``holds``);
    - when the import does not write (a check, a rejected file): every other spending
      line of the file and the ledger's version of the lines the file replaces, per
      activity, as a day and signed EUR cents in two arrays (12 bytes a line).

    When it writes, the ledger holds the file's lines by the time of ``check``: the ledger
    then is the ledger before plus the file minus what the file replaced, which is what
    the check counts; only the file's own refunds are taken out of it, to be counted in
    the order of their rows."""

    def __init__(self, written: bool):
        self.written = written
        self.codes: dict[int, str] = {}
        self.refunds: list[FileLine] = []
        self.held: set[int] = set()
        self.others: dict[int, tuple[array, array]] = {}

    @property
    def counts_every_line(self) -> bool:
        """Whether ``planned`` and ``replaced`` need every line, or (when the import writes)
        only the refunds."""
        return not self.written

    def refunded(self, activity_id: int, code: str) -> None:
        """The file has a refund row on this activity (whatever becomes of the row)."""
        self.codes[activity_id] = code

    def planned(self, line: FileLine) -> None:
        """A line of the file that the import books (new, corrected or unchanged)."""
        if line.kind not in SPENDING or line.eur is None:
            return
        if line.kind == REFUND:
            self.refunds.append(line)
            self.held.add(id(line.row))
        elif not self.written:
            self._count(line.activity_id, line.date, _signed(line.kind, line.eur))

    def replaced(self, old) -> None:
        """The ledger's version of a line of the file: it counts as the file says, not twice."""
        if old.kind in SPENDING and old.amount_eur is not None and not self.written:
            self._count(old.activity_id, old.date, -_signed(old.kind, old.amount_eur))

    def holds(self, row: RowResult) -> bool:
        """A refund row whose result waits for ``check``."""
        return id(row) in self.held

    def check(self, session: Session) -> list[RowResult]:
        """Warn on each refund row larger than its activity's net disbursements up to its
        date; the refund rows, with their warnings."""
        refunds = defaultdict(list)
        for line in self.refunds:
            refunds[line.activity_id].append(line)
        for part in chunks(sorted(self.codes), ACTIVITIES_AT_ONCE):
            movements = _ledger_movements(session, part)
            for activity_id in part:
                changes = movements[activity_id]
                days, cents = self.others.get(activity_id, ((), ()))
                changes += [Movement(date.fromordinal(day), LEDGER_FIRST, 0, _euros(amount))
                            for day, amount in zip(days, cents)]
                for line in refunds[activity_id]:
                    if self.written:  # in the ledger by now: counted again below, in the order of the rows
                        changes.append(Movement(line.date, LEDGER_FIRST, 0, line.eur))
                    changes.append(Movement(line.date, RETURN, line.row.row_number, -line.eur, line.row))
                _check_activity(self.codes[activity_id], changes)
        return [line.row for line in self.refunds]

    def _count(self, activity_id: int, day: date, eur: Decimal) -> None:
        days, cents = self.others.setdefault(activity_id, (array("l"), array("q")))
        days.append(day.toordinal())
        cents.append(int(eur.scaleb(2)))


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


def _euros(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _as_date(value) -> date:
    """SQLite hands the date back as ISO text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
