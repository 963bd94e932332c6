"""CRS identification numbers: 10 digits, the original commitment year first, never changed.

An activity gets its number the first time an export needs it and keeps it for
its whole life (later commitments, disbursements, other reporting years), even
when its attributes change later. Numbers are handed out in one set per export.
"""
from __future__ import annotations

from datetime import date

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


def assign_crs_ids(session: Session, year: int) -> tuple[int, int]:
    """Give every activity with ODA in ``year`` that has no CRS id yet its number.

    Returns (numbers handed out, activities with ODA in the year).
    """
    _lock(session)
    with_oda = activities_with_oda(session, year)
    missing = sorted(activity_id for activity_id, known in with_oda if not known)
    if not missing:
        return 0, len(with_oda)
    dates = first_dates(session, missing)
    last = _last_sequences(session)
    value = stored_values(session)
    assigned_at, rows = value(utcnow().replace(tzinfo=None)), []
    for activity_id in missing:
        origin = original_commitment(*dates[activity_id])
        sequence = last.get(origin.year, 0) + 1
        last[origin.year] = sequence
        rows.append((activity_id, format_crs_id(origin.year, sequence), origin.year, value(origin), assigned_at,
                     year))
    driver_insert(session, CrsIdentifier.__tablename__, INSERTED, rows)
    return len(rows), len(with_oda)


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
