"""Activities: projects, contributions and grants with their CRS attributes."""
from __future__ import annotations

from sqlalchemy import exists, extract, select
from sqlalchemy.orm import Session

from app.errors import ValidationError, money_value
from app.events import publish
from app.events.payload import changes, snapshot
from app.year_lock import refuse_locked
from programmes.models import Activity, Transaction
from programmes.models.enums import (CRS_FLAG_FIELDS, CRS_FLAGS, CRS_RECORD_FIELDS, POLICY_MARKERS, ActivityStatus,
                                     MainObjective)
from programmes.services.crs_record import validate_crs_record

MARKER_FIELDS = tuple(f"marker_{m}" for m in POLICY_MARKERS)
ACTIVITY_FIELDS = (
    "code", "title", "description", "programme_id", "organisation_id", "recipient_code", "purpose_code",
    "aid_type", "flow_type", "finance_type", "channel_code", "bi_multi", "geography", "main_objective",
    "commitment_date", "commitment_amount", "currency", "start_date", "end_date", "status",
) + MARKER_FIELDS + CRS_FLAG_FIELDS + CRS_RECORD_FIELDS

#: attributes no CRS column or ODA rule reads (changeable on a submitted year)
NOT_IN_CRS = frozenset({"status"})


def _validate(activity: Activity) -> None:
    if not activity.code or not activity.code.strip():
        raise ValidationError("an activity needs a code", "code")
    if not activity.title or not activity.title.strip():
        raise ValidationError("an activity needs a title", "title")
    if activity.main_objective not in set(MainObjective):
        raise ValidationError(f"unknown main objective {activity.main_objective!r}", "main_objective")
    if activity.status not in set(ActivityStatus):
        raise ValidationError(f"unknown status {activity.status!r}", "status")
    if activity.commitment_amount is not None:
        activity.commitment_amount = money_value(activity.commitment_amount, "commitment_amount")
        if activity.commitment_amount < 0:
            raise ValidationError("a commitment amount cannot be negative", "commitment_amount")
    if activity.start_date and activity.end_date and activity.end_date < activity.start_date:
        raise ValidationError("the end date is before the start date", "end_date")
    for marker, highest in POLICY_MARKERS.items():
        value = getattr(activity, f"marker_{marker}")
        if value is not None and not (0 <= value <= highest):
            raise ValidationError(f"the {marker} marker takes 0–{highest} or blank", f"marker_{marker}")
    for name in CRS_FLAG_FIELDS:
        if getattr(activity, name) is None:
            setattr(activity, name, False)
        elif type(getattr(activity, name)) is not bool:
            raise ValidationError(f"{CRS_FLAGS[name.removeprefix('flag_')]} is yes or no", name)
    validate_crs_record(activity)


def get_activity_by_code(session: Session, code: str) -> Activity | None:
    return session.scalar(select(Activity).where(Activity.code == code))


def create_activity(session: Session, **fields) -> Activity:
    if get_activity_by_code(session, fields.get("code", "")) is not None:
        raise ValidationError(f"activity {fields['code']} exists already", "code")
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValidationError(f"unknown fields: {', '.join(sorted(unknown))}", sorted(unknown)[0])
    activity = Activity(**{"flow_type": "10", "finance_type": "110", "currency": "EUR",
                           "main_objective": "development", "status": "active", **fields})
    _validate(activity)
    session.add(activity)
    session.flush()
    publish(session, "ActivityCreated", "Activity", activity.id, snapshot(activity, ACTIVITY_FIELDS))
    return activity


def update_activity(session: Session, activity: Activity, **fields) -> dict:
    """Change attributes; emits ``ActivityChanged`` with before and after of each field."""
    before = snapshot(activity, ACTIVITY_FIELDS)
    committed_before = activity.commitment_date
    for key, value in fields.items():
        if key not in ACTIVITY_FIELDS:
            raise ValidationError(f"unknown field {key}", key)
        setattr(activity, key, value)
    _validate(activity)
    diff = changes(before, snapshot(activity, ACTIVITY_FIELDS))
    if "programme_id" in diff and _has_transactions(session, activity.id):
        raise ValidationError("an activity with transactions cannot move to another programme", "programme_id")
    if set(diff) - NOT_IN_CRS:
        refuse_locked(session, _crs_years(session, activity, committed_before),
                      next(iter(sorted(set(diff) - NOT_IN_CRS))))
    if diff:
        session.flush()
        publish(session, "ActivityChanged", "Activity", activity.id,
                {"programme_id": activity.programme_id, "changes": diff})
    return diff


def _crs_years(session: Session, activity: Activity, committed_before) -> set[int]:
    """The years whose CRS the activity's attributes feed: those of its lines and of the
    commitment entered on it (which stands in for a commitment line)."""
    line_year = extract("year", Transaction.date)
    with session.no_autoflush:
        years = {int(y) for y in session.scalars(select(line_year).where(Transaction.activity_id == activity.id)
                                                 .group_by(line_year))}
    return years | {d.year for d in (committed_before, activity.commitment_date) if d is not None}


def _has_transactions(session: Session, activity_id: int) -> bool:
    return session.scalar(select(exists().where(Transaction.activity_id == activity_id)))
