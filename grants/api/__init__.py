"""/api/v1/grants: schemes, calls, applications, assessments, decisions, schedules, payments."""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator

from flask import g
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.api import Blueprint, abort, conflict, unprocessable
from app.db import unit_of_work
from programmes.services.errors import ValidationError

log = logging.getLogger(__name__)

blp = Blueprint("grants_api", __name__, url_prefix="/grants",
                description="Grant schemes, calls, applications and their payments")


@contextmanager
def writing() -> Iterator[Session]:
    """One unit of work for a write endpoint, all or nothing.

    A refused step answers in the API's error shape naming the field: 422 for bad
    input, 409 for a step the status or a money guard does not allow, 403 for a
    user the rules exclude (four-eyes, admin-only override). A unique constraint
    hit by a concurrent writer answers 409.
    """
    try:
        with unit_of_work() as session:
            yield session
    except ValidationError as exc:
        status = getattr(exc, "status", 422)
        if status == 409:
            conflict(exc.message, exc.field)
        elif status == 403:
            abort(403, message=exc.message, messages={"json": {exc.field or "_schema": [exc.message]}})
        unprocessable(exc.message, exc.field)
    except IntegrityError as exc:
        # Not the statement: its parameters may hold an applicant's details.
        log.info("grants write refused by a database constraint (%s)", type(exc.orig).__name__)
        conflict("The change clashes with data stored meanwhile, such as a duplicate code. Reload and try again.")


def found(obj, what: str = "record"):
    if obj is None:
        abort(404, message=f"There is no such {what}.")
    return obj


def check_version(record, sent: int | None) -> None:
    if sent is not None and record.version != sent:
        conflict(f"This record is at version {record.version}; you sent version {sent}. "
                 "Someone changed it after you read it: reload it and apply your change again.", "version")


def current_user():
    return g.user


from grants.api import applications, payments, schemes  # noqa: E402,F401 - registers the routes
