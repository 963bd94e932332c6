"""Erasure of an intern's personal data on request.

Identity lives only in ``grants_persons``; applications, payments, the ledger and
events refer to the person by id. Erasure anonymises that row and clears the free
text written about the person's applications (assessment comments, reasons,
report notes), which events never copied. Amounts, dates and the financial trail
stay as they were, so the ledger and the event store remain consistent.
"""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.auth.roles import Permission
from app.db import utcnow
from app.events import publish
from grants.models import Application, Assessment, CommitmentChange, Decision, Person, Report, Tranche
from grants.models.person import ERASED_NAME
from grants.services.errors import NotAllowed, WrongStatus

ERASED_TEXT = "(erased)"


def erase_person(session: Session, person: Person, user=None) -> dict:
    """Anonymise a person and what was written about them; returns counts (``PersonErased``)."""
    if person.erased:
        raise WrongStatus("this person's data were erased already")
    from grants.models import Scheme

    scheme = session.get(Scheme, person.scheme_id)
    if user is not None and not user.can(Permission.MANAGE_GRANTS, programme_id=scheme.programme_id):
        raise NotAllowed("you do not manage the programme of this scheme")
    application_ids = list(session.scalars(select(Application.id).where(Application.person_id == person.id)))
    counts = _clear_free_text(session, application_ids)
    person.full_name, person.email, person.phone = ERASED_NAME, None, None
    person.erased_at = utcnow()
    session.flush()
    publish(session, "PersonErased", "GrantPerson", person.id, {
        "person_id": person.id, "scheme_id": scheme.id, "programme_id": scheme.programme_id,
        "application_ids": application_ids, "cleared": counts})
    return {"applications": len(application_ids), **counts}


def _clear_free_text(session: Session, application_ids: list[int]) -> dict:
    if not application_ids:
        return {"texts": 0}
    statements = [
        update(Application).where(Application.id.in_(application_ids), Application.description.is_not(None))
        .values(description=ERASED_TEXT),
        update(Assessment).where(Assessment.application_id.in_(application_ids), Assessment.comment.is_not(None))
        .values(comment=ERASED_TEXT),
        update(Decision).where(Decision.application_id.in_(application_ids), Decision.reason.is_not(None))
        .values(reason=ERASED_TEXT),
        update(Decision).where(Decision.application_id.in_(application_ids),
                               Decision.override_reason.is_not(None)).values(override_reason=ERASED_TEXT),
        update(CommitmentChange).where(CommitmentChange.application_id.in_(application_ids))
        .values(reason=ERASED_TEXT),
        update(Tranche).where(Tranche.application_id.in_(application_ids), Tranche.cancel_reason.is_not(None))
        .values(cancel_reason=ERASED_TEXT),
        update(Report).where(Report.application_id.in_(application_ids), Report.notes.is_not(None))
        .values(notes=ERASED_TEXT),
    ]
    total = 0
    for statement in statements:
        total += session.execute(statement.execution_options(synchronize_session="fetch")).rowcount
    return {"texts": total}
