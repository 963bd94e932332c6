"""Closing a grant: reports in, tranches settled, the unspent balance released."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from app.db import utcnow
from grants import workflow
from grants.models.enums import CommitmentChangeKind, TrancheStatus
from grants.services.changes import take_off
from grants.services.common import publish_step, require_date, today as _today
from grants.services.errors import GrantsError
from grants.services.guards import reports_of
from grants.services.reports import final_report
from grants.services.schedule import tranches_of


def close(session: Session, application, user=None, when: date | None = None, today: date | None = None):
    """Final report due (or committed) → closed (``ApplicationClosed``).

    Refused while a report is outstanding or a tranche is still planned. What was
    committed and not paid is released with a negative commitment.
    """
    workflow.ensure(application, "close", user)
    if application.scheme.final_report_required:
        final = final_report(session, application)
        if final is None or final.received_on is None:
            raise GrantsError("the final report has not been received", "final_report")
    missing = [r for r in reports_of(session, application) if r.received_on is None]
    if missing:
        raise GrantsError(f"the {missing[0].kind} report due {missing[0].due_date.isoformat()} is outstanding",
                          "reports")
    planned = [t for t in tranches_of(session, application) if t.status == TrancheStatus.PLANNED]
    if planned:
        raise GrantsError(f"tranche {planned[0].number} is still planned: pay it or cancel it first", "tranches")
    day = require_date(when or today or _today(), "date")
    released, change = application.unpaid_amount, None
    if released > Decimal("0"):
        change = take_off(session, application, CommitmentChangeKind.CLOSURE, released,
                          "unspent balance released at closure", max(day, application.commitment_date or day),
                          user)
    before, _ = workflow.move(application, "close")
    application.closed_at = utcnow()
    session.flush()
    publish_step(session, "ApplicationClosed", application, before=before, released_amount=released,
                 transaction_id=change.transaction_id if change else None, paid_amount=application.paid_amount)
    return application
