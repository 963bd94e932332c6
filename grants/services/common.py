"""Small helpers shared by the grants use cases: events, text and dates."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from app.db import utcnow
from app.errors import ValidationError, money_value
from app.events import publish
from app.events.payload import jsonable
from grants.services.errors import GrantsError

AGGREGATE = "GrantApplication"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def today() -> date:
    return utcnow().date()


def publish_step(session: Session, type: str, application, **facts):
    """Publish an event about an application; payloads never carry a person's data."""
    payload = {"application_id": application.id, "reference": application.reference,
               "scheme_id": application.scheme_id, "programme_id": application.programme_id,
               "call_id": application.call_id, "status": application.status, **facts}
    return publish(session, type, AGGREGATE, application.id, jsonable(payload))


def shareable(application, text: str | None) -> str | None:
    """Free text may name the person on a personal application: keep it out of events.

    The text stays in the grants tables, where erasure can reach it.
    """
    return None if application.is_personal else text


def clean_text(value, field: str, max_length: int, required: bool = False) -> str | None:
    """Strip a user's text, refuse control characters and overlong input."""
    if value is None:
        text = ""
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise GrantsError(f"{field} must be text", field)
    if _CONTROL.search(text):
        raise GrantsError(f"{field} contains control characters", field)
    if len(text) > max_length:
        raise GrantsError(f"{field} is longer than {max_length} characters", field)
    if not text:
        if required:
            raise GrantsError(f"{field} is required", field)
        return None
    return text


def require_date(value, field: str) -> date:
    if not isinstance(value, date):
        raise GrantsError(f"{field} must be a date", field)
    return value


def user_id(user) -> int | None:
    return None if user is None else user.id


def money(value, field: str) -> Decimal:
    """An exact amount with at most two decimals, as a grants error when it is not."""
    try:
        return money_value(value, field)
    except ValidationError as exc:
        raise GrantsError(exc.message, exc.field) from None
