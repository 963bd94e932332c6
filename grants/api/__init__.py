"""/api/v1/grants: schemes, calls, applications, assessments, decisions, schedules, payments."""
from __future__ import annotations

from flask import g

from app.api import Blueprint, abort

blp = Blueprint("grants_api", __name__, url_prefix="/grants",
                description="Grant schemes, calls, applications and their payments")


def found(obj, what: str = "record"):
    if obj is None:
        abort(404, message=f"There is no such {what}.")
    return obj


def current_user():
    return g.user


from grants.api import applications, payments, schemes  # noqa: E402,F401 - registers the routes
