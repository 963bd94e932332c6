"""The programme API blueprint and what its endpoints share: lookups, scope, and the
names clients send for the fields a service names (``writing(API_FIELD_NAMES)``)."""
from __future__ import annotations

from flask import g
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.api import Blueprint, abort, unprocessable
from app.api.fields import CONTROL_CHARACTERS
from app.auth.guards import check, visible_programme_ids
from app.auth.roles import Permission
from programmes.models import Activity, Organisation, Programme

blp = Blueprint("programmes_api", __name__,
                description="Programmes, budget lines, activities and the transaction ledger")

#: service field names → the names clients send
API_FIELD_NAMES = {"programme_id": "programme_code", "activity_id": "activity_code"}


def only_visible(stmt: Select, programme_column) -> Select:
    """Limit a list to the programmes the current user may see."""
    visible = visible_programme_ids()
    return stmt if visible is None else stmt.where(programme_column.in_(sorted(visible)))


def _plausible_code(code: str, max_length: int) -> bool:
    return bool(code) and len(code) <= max_length and not CONTROL_CHARACTERS.search(code)


def programme_or_404(session: Session, code: str, permission: Permission) -> Programme:
    """The programme, if the user holds ``permission`` in it; outside their scope it is as missing."""
    missing = "There is no programme with this code."
    programme = None
    if _plausible_code(code, 30):
        programme = session.scalar(select(Programme).where(Programme.code == code))
    if programme is None:
        abort(404, message=missing)
    check(permission, programme.id, not_found=missing)
    return programme


def activity_or_404(session: Session, activity_id: int, permission: Permission) -> Activity:
    """The activity, if the user holds ``permission`` in its programme; otherwise as missing."""
    missing = f"There is no activity {activity_id}."
    activity = session.get(Activity, activity_id)
    if activity is None:
        abort(404, message=missing)
    check(permission, activity.programme_id, not_found=missing)
    return activity


def programme_named_in_body(session: Session, code: str, permission: Permission) -> Programme:
    """The programme a body names, if the user holds ``permission`` in it; outside their
    scope it gets the same 422 as a code that does not exist."""
    programme = session.scalar(select(Programme).where(Programme.code == code))
    if programme is None or not g.user.can(permission, programme_id=programme.id):
        unprocessable(f"There is no programme {code}.", "programme_code")
    return programme


def activity_named_in_body(session: Session, code: str, permission: Permission) -> Activity:
    """The activity a body names, if the user holds ``permission`` in its programme;
    outside their scope it gets the same 422 as a code that does not exist."""
    activity = session.scalar(select(Activity).where(Activity.code == code))
    if activity is None or not g.user.can(permission, programme_id=activity.programme_id):
        unprocessable(f"There is no activity {code}.", "activity_code")
    return activity


def check_organisation(session: Session, organisation_id: int | None) -> None:
    if organisation_id is not None and session.get(Organisation, organisation_id) is None:
        unprocessable(f"There is no organisation {organisation_id}.", "organisation_id")
