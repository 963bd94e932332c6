"""The unit of work of a write endpoint, and the optimistic version check.

Every package's write endpoints use these, so a refused change answers the same
way everywhere (``app.errors.ValidationError.status``): 422 for bad input, 409 for a
step the current state or a money guard does not allow, 403 for a user the rules
exclude (four-eyes, admin-only override); a unique constraint hit by a concurrent
writer answers 409. A row changed meanwhile (``StaleDataError``) reaches the
application's 409 handler.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator, Mapping

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.api import abort, conflict, unprocessable
from app.db import unit_of_work
from app.errors import CONFLICT, FORBIDDEN, ValidationError

log = logging.getLogger(__name__)

CLASH = "The change clashes with data stored meanwhile, such as a duplicate code. Reload and try again."


@contextmanager
def writing(field_names: Mapping[str, str] | None = None) -> Iterator[Session]:
    """One unit of work for a write endpoint: all or nothing.

    ``field_names`` renames a service's field to the name clients send
    (``{"programme_id": "programme_code"}``) in the answer to a refused change.
    """
    try:
        with unit_of_work() as session:
            yield session
    except ValidationError as exc:
        field = (field_names or {}).get(exc.field, exc.field)
        if exc.status == CONFLICT:
            conflict(exc.message, field)
        elif exc.status == FORBIDDEN:
            abort(FORBIDDEN, message=exc.message, messages={"json": {field or "_schema": [exc.message]}})
        unprocessable(exc.message, field)
    except IntegrityError as exc:
        # Not the statement: its parameters may hold personal details.
        log.info("write refused by a database constraint (%s)", type(exc.orig).__name__)
        conflict(CLASH)


def check_version(record, sent: int) -> None:
    """409 unless the client sent the version of ``record`` it read."""
    if record.version != sent:
        conflict(f"This record is at version {record.version}; you sent version {sent}. "
                 "Someone changed it after you read it: reload it and apply your change again.", "version")
