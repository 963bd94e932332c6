"""From approval to a commitment in the ledger of the scheme's programme."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from grants import workflow
from grants.models.enums import CRS_DEFAULT_FIELDS
from grants.services.common import publish_step, require_date, today as _today
from grants.services.errors import GrantsError
from programmes.models import Organisation
from programmes.services.activities import create_activity, get_activity_by_code
from programmes.services.transactions import record_transaction

SOURCE = "grants"


def crs_attributes(session: Session, application) -> dict:
    """The grant's CRS attributes: the scheme's defaults, then what a reviewer recorded.

    The channel falls back to the organisation's channel code; the recipient to the
    application's own recipient (e.g. 1029 Southern Africa for cyclone Idai relief).
    """
    attributes = {k: v for k, v in application.scheme.crs_defaults.items() if k in CRS_DEFAULT_FIELDS}
    if application.recipient_code:
        attributes["recipient_code"] = application.recipient_code
    attributes.update({k: v for k, v in application.crs_overrides.items() if k in CRS_DEFAULT_FIELDS})
    if not attributes.get("channel_code") and application.organisation_id:
        organisation = session.get(Organisation, application.organisation_id)
        if organisation is not None and organisation.channel_code:
            attributes["channel_code"] = organisation.channel_code
    return attributes


def activity_title(application) -> str:
    """Titles travel in ActivityCreated events: never a person's name in them."""
    if application.is_personal:
        return f"{application.scheme.name}: grant {application.reference}"
    return application.title


def commitment_document(application) -> str:
    return f"{application.reference}/C"


def create_commitment(session: Session, application, user=None, commitment_date: date | None = None,
                      today: date | None = None):
    """Approved → committed: an activity in the scheme's programme and its commitment.

    The commitment is the full approved amount on the date of the signed decision
    (for humanitarian grants this may be the payment date). Emits ActivityCreated
    and CommitmentRecorded (programmes) and ``GrantCommitted``.
    """
    workflow.ensure(application, "commit", user)
    day = today or _today()
    when = require_date(commitment_date or day, "commitment_date")
    if when > day:
        raise GrantsError("a commitment cannot be dated in the future", "commitment_date")
    if get_activity_by_code(session, application.reference) is not None:
        raise GrantsError(f"activity {application.reference} exists already", "reference")
    activity = create_activity(
        session, code=application.reference, title=activity_title(application),
        programme_id=application.programme_id, organisation_id=application.organisation_id,
        commitment_date=when, commitment_amount=application.approved_amount, currency=application.currency,
        start_date=application.start_date, end_date=application.end_date, **crs_attributes(session, application))
    transaction = record_transaction(
        session, activity, "commitment", when, application.approved_amount, commitment_document(application),
        currency=application.currency, source=SOURCE, description=f"Grant {application.reference}")
    before, _ = workflow.move(application, "commit")
    application.activity_id = activity.id
    application.commitment_date = when
    session.flush()
    publish_step(session, "GrantCommitted", application, before=before, activity_id=activity.id,
                 transaction_id=transaction.id, amount=application.approved_amount, commitment_date=when,
                 main_objective=activity.main_objective)
    return activity
