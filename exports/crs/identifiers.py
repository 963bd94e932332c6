"""CRS identification numbers: 10 digits, the original commitment year first, never changed.

An activity gets its number the first time an export needs it and keeps it for
its whole life (later commitments, disbursements, other reporting years), even
when its attributes change later. Numbers are handed out in one INSERT … SELECT per
export, in activity order within each commitment year: the original commitment is
the activity's commitment date, else its first booked commitment, else its first
transaction (for humanitarian aid without a booked commitment the DAC allows the
disbursement date as commitment date).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import BigInteger, Integer, String, cast, extract, func, literal, select
from sqlalchemy.orm import Session

from app.db import UTCDateTime, utcnow
from app.sql import transaction_lock, without_jit
from exports.crs.queries import MANY_ACTIVITIES, candidate_counts, first_dates, oda_candidates
from exports.models import CrsIdentifier
from programmes.models import Activity

SEQUENCE_DIGITS = 6
MAX_SEQUENCE = 10**SEQUENCE_DIGITS - 1
#: PostgreSQL advisory lock: two exports never hand out the same number
ASSIGN_LOCK_KEY = 7_141_005
INSERTED = ("activity_id", "crs_id", "commitment_year", "commitment_date", "assigned_at", "assigned_for_year")


class CrsIdError(RuntimeError):
    pass


@dataclass(frozen=True)
class Assignment:
    """What one hand-out did: how many numbers it gave, and how many activities may have ODA."""

    count: int = 0
    with_oda: int = 0

    def wait(self) -> "Assignment":
        """Done already (handed out in place); as ``BackgroundAssignment.wait``."""
        return self


def assign_crs_ids(session: Session, year: int) -> Assignment:
    """Give every activity with ODA in ``year`` that has no CRS id yet its number, in the
    session's transaction (which the caller commits)."""
    _lock(session)
    with_oda, missing = candidate_counts(session, year)
    if not missing:
        return Assignment(0, with_oda)
    now = utcnow()
    session.execute(CrsIdentifier.__table__.insert().from_select(
        list(INSERTED), _numbered(session, year, now, many=missing > MANY_ACTIVITIES)))
    _check_new_numbers(session, now)
    return Assignment(missing, with_oda)


def _numbered(session: Session, year: int, now, many: bool):
    """The new rows: each missing activity's original commitment, its year, the next sequence."""
    candidates = oda_candidates(year)
    known = select(CrsIdentifier.activity_id).where(CrsIdentifier.activity_id == candidates.c.activity_id)
    missing = select(candidates.c.activity_id).where(~known.exists())
    dates = first_dates(session, missing, many)
    origin = func.coalesce(Activity.commitment_date, dates.c.first_commitment, dates.c.first)
    origins = (select(Activity.id.label("activity_id"), origin.label("origin"))
               .join(dates, dates.c.activity_id == Activity.id).cte("origins"))
    origin_year = cast(extract("year", origins.c.origin), Integer)
    last = (select(CrsIdentifier.commitment_year.label("year"),
                   func.max(cast(func.substr(CrsIdentifier.crs_id, 5), Integer)).label("sequence"))
            .group_by(CrsIdentifier.commitment_year).cte("last_sequences"))
    sequence = (func.row_number().over(partition_by=origin_year, order_by=origins.c.activity_id)
                + func.coalesce(last.c.sequence, 0))
    # the year followed by the six-digit sequence: year × 10^6 + sequence, as text
    crs_id = cast(cast(origin_year, BigInteger) * (MAX_SEQUENCE + 1) + sequence, String)
    return (select(origins.c.activity_id, crs_id, origin_year, origins.c.origin, literal(now, UTCDateTime()),
                   literal(year, Integer))
            .select_from(origins.outerjoin(last, last.c.year == origin_year)))


def _check_new_numbers(session: Session, now) -> None:
    """Refuse (the caller rolls back) numbers that are not the four-digit commitment year
    followed by six digits: a year past 999,999 activities would run into the next
    year's numbers (2023 × 10^6 + 1,000,000 = 2024000000)."""
    c = CrsIdentifier
    low, high, overflowing = session.execute(
        select(func.min(c.commitment_year), func.max(c.commitment_year),
               func.count().filter(func.substr(c.crs_id, 1, 4) != cast(c.commitment_year, String)))
        .where(c.assigned_at == now)).one()
    if low is not None and not (1000 <= low and high <= 9999):
        raise CrsIdError(f"a commitment year must have four digits (found {low}–{high})")
    if overflowing:
        raise CrsIdError(f"more than {MAX_SEQUENCE:,} activities committed in one year")


class BackgroundAssignment:
    """``assign_crs_ids`` in a thread of its own (its own write transaction), started
    once the export has written its first progress and while it writes its first
    sheets. It is one set-based statement, so the thread spends its time in the
    database, not in Python. The export reads the numbers once it committed
    (``queries.crs_numbers``), so every CRS row finds its number."""

    def __init__(self, open_writer: Callable[[], Session], year: int):
        self.open_writer, self.year = open_writer, year
        self._result: Assignment | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=f"crs-ids-{year}", daemon=True)

    def start(self) -> "BackgroundAssignment":
        self._thread.start()
        return self

    def wait(self) -> Assignment:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result

    def _run(self) -> None:
        try:
            with self.open_writer() as writer:
                self._result = assign_crs_ids(writer, self.year)
                writer.commit()
        except BaseException as exc:  # raised again by wait(), in the export's thread
            self._error = exc


def _lock(session: Session) -> None:
    """SQLite serialises writers already; PostgreSQL needs the lock until commit. There the
    hand-out also runs without JIT compilation: the planner overestimates the statement
    (millions of rows) and spent 0.3 s compiling it for 0.5 s of work (measured)."""
    transaction_lock(session, ASSIGN_LOCK_KEY)
    without_jit(session)
