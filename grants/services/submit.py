"""Submitting a draft application."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app.db import utcnow
from grants import workflow
from grants.services.calls import is_open_on
from grants.services.common import publish_step, today as _today, user_id
from grants.services.errors import GrantsError


def submit(session: Session, application, user=None, today: date | None = None):
    """Draft → submitted (``ApplicationSubmitted``); the call must be open that day."""
    workflow.ensure(application, "submit", user)
    day = today or _today()
    if application.call is not None and not is_open_on(application.call, day):
        raise GrantsError(f"call {application.call.code} does not take applications on {day.isoformat()}",
                          "call_id")
    if application.person is not None and application.person.erased:
        raise GrantsError("the applicant's data were erased", "person")
    before, after = workflow.move(application, "submit")
    application.submitted_at = utcnow()
    application.submitted_by = user_id(user)
    session.flush()
    publish_step(session, "ApplicationSubmitted", application, before=before,
                 amount_requested=application.amount_requested)
    return application
