"""CRS identification numbers: 10 digits, the original commitment year first, never changed.

An activity gets its number the first time an export needs it and keeps it for
its whole life (later commitments, disbursements, other reporting years), even
when its attributes change later. Numbers are handed out in one set per export.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.bulk import driver_insert, stored_values
from app.db import utcnow
from exports.crs.queries import activities_with_oda, first_dates
from exports.models import CrsIdentifier

SEQUENCE_DIGITS = 6
MAX_SEQUENCE = 10**SEQUENCE_DIGITS - 1
#: PostgreSQL advisory lock: two exports never hand out the same number
ASSIGN_LOCK_KEY = 7_141_005
INSERTED = ("activity_id", "crs_id", "commitment_year", "commitment_date", "assigned_at", "assigned_for_year")


class CrsIdError(RuntimeError):
    pass


def format_crs_id(commitment_year: int, sequence: int) -> str:
    if not 1000 <= commitment_year <= 9999:
        raise CrsIdError(f"a commitment year must have four digits, not {commitment_year}")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise CrsIdError(f"more than {MAX_SEQUENCE:,} activities committed in {commitment_year}")
    return f"{commitment_year:04d}{sequence:0{SEQUENCE_DIGITS}d}"


def original_commitment(on_activity: date | None, first_commitment: date | None, first_any: date) -> date:
    """The commitment date a CRS id starts from (for humanitarian aid without a booked
    commitment, the DAC allows the disbursement date as commitment date)."""
    return on_activity or first_commitment or first_any


@dataclass(frozen=True)
class Assignment:
    """What one hand-out did: the numbers it gave, and how many activities have ODA in the year."""

    #: {activity id: (CRS id, commitment year, original commitment date)} of the numbers given now
    assigned: dict = field(default_factory=dict)
    with_oda: int = 0

    @property
    def count(self) -> int:
        return len(self.assigned)


def assign_crs_ids(session: Session, year: int) -> Assignment:
    """Give every activity with ODA in ``year`` that has no CRS id yet its number, in the
    session's transaction."""
    _lock(session)
    with_oda = activities_with_oda(session, year)
    missing = sorted(activity_id for activity_id, known in with_oda if not known)
    if not missing:
        return Assignment({}, len(with_oda))
    numbers = _number(missing, first_dates(session, missing), _last_sequences(session))
    _insert(session, numbers, year)
    return Assignment(numbers, len(with_oda))


def _number(missing: list[int], dates: dict, last: dict[int, int]) -> dict:
    """The next sequence of each commitment year, in activity order."""
    last, numbers = dict(last), {}
    for activity_id in missing:
        origin = original_commitment(*dates[activity_id])
        sequence = last.get(origin.year, 0) + 1
        last[origin.year] = sequence
        numbers[activity_id] = (format_crs_id(origin.year, sequence), origin.year, origin)
    return numbers


def _insert(session: Session, numbers: dict, year: int) -> None:
    value = stored_values(session)
    assigned_at = value(utcnow().replace(tzinfo=None))
    driver_insert(session, CrsIdentifier.__tablename__, INSERTED, [
        (activity_id, crs_id, commitment_year, value(origin), assigned_at, year)
        for activity_id, (crs_id, commitment_year, origin) in numbers.items()])


class BackgroundAssignment:
    """``assign_crs_ids`` in a thread, while the export writes its first sheets.

    The ledger is read in a read session (on SQLite nobody waits for it); only the
    insert takes a write transaction, which checks first that no other export handed
    out numbers meanwhile (if one did, the numbers are worked out again there). The
    export's own reads may have started before the insert committed: it takes the new
    numbers from ``wait()``.
    """

    def __init__(self, open_reader: Callable[[], Session], open_writer: Callable[[], Session], year: int):
        self.open_reader, self.open_writer, self.year = open_reader, open_writer, year
        self._result: Assignment | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=f"crs-ids-{year}", daemon=True)
        self._thread.start()

    def wait(self) -> Assignment:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result

    def _run(self) -> None:
        try:
            self._result = self._assign()
        except BaseException as exc:  # raised again by wait(), in the export's thread
            self._error = exc

    def _assign(self) -> Assignment:
        with self.open_reader() as reader:
            with_oda = activities_with_oda(reader, self.year)
            missing = sorted(activity_id for activity_id, known in with_oda if not known)
            if not missing:
                return Assignment({}, len(with_oda))
            seen = _issued(reader)
            numbers = _number(missing, first_dates(reader, missing), _last_sequences(reader))
            reader.rollback()
        with self.open_writer() as writer:
            _lock(writer)
            if _issued(writer) != seen:  # another export numbered activities meanwhile
                result = assign_crs_ids(writer, self.year)
            else:
                _insert(writer, numbers, self.year)
                result = Assignment(numbers, len(with_oda))
            writer.commit()
        return result


def _issued(session: Session) -> tuple:
    """How many numbers exist and the highest: changes whenever any export hands one out."""
    return tuple(session.execute(select(func.count(), func.max(CrsIdentifier.crs_id))).one())


def _last_sequences(session: Session) -> dict[int, int]:
    stmt = select(CrsIdentifier.commitment_year, func.max(CrsIdentifier.crs_id)).group_by(
        CrsIdentifier.commitment_year)
    return {year: int(crs_id[4:]) for year, crs_id in session.execute(stmt)}


def _lock(session: Session) -> None:
    # SQLite serialises writers already; PostgreSQL needs the lock until commit
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ASSIGN_LOCK_KEY})


def crs_id_of(session: Session, activity_id: int) -> str | None:
    return session.scalar(select(CrsIdentifier.crs_id).where(CrsIdentifier.activity_id == activity_id))
