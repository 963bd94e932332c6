"""Who may see what: programme scope of each grants resource, and the personal-data rule.

Guards need the programme a URL points into (``programme_from=``); these functions
find it for each kind of id. Personal details of an application are shown only to
the scheme's managers (MANAGE_GRANTS on the scheme's programme).
"""
from __future__ import annotations

from sqlalchemy import select

from app.db import get_session
from grants.models import Application, Call, LedgerMismatch, Person, Report, Reminder, Scheme, Tranche
from grants.workflow import allowed_actions, may_manage


def _programme(stmt) -> int | None:
    return get_session().scalar(stmt)


def programme_of_scheme(scheme_id=None, **_) -> int | None:
    return _programme(select(Scheme.programme_id).where(Scheme.id == scheme_id))


def programme_of_call(call_id=None, **_) -> int | None:
    return _programme(select(Scheme.programme_id).join(Call, Call.scheme_id == Scheme.id).where(Call.id == call_id))


def programme_of_application(application_id=None, **_) -> int | None:
    return _programme(select(Scheme.programme_id).join(Application, Application.scheme_id == Scheme.id)
                      .where(Application.id == application_id))


def programme_of_person(person_id=None, **_) -> int | None:
    return _programme(select(Scheme.programme_id).join(Person, Person.scheme_id == Scheme.id)
                      .where(Person.id == person_id))


def _via_application(model, key):
    def lookup(**kwargs) -> int | None:
        return _programme(select(Scheme.programme_id).join(Application, Application.scheme_id == Scheme.id)
                          .join(model, model.application_id == Application.id).where(model.id == kwargs.get(key)))
    return lookup


programme_of_tranche = _via_application(Tranche, "tranche_id")
programme_of_report = _via_application(Report, "report_id")
programme_of_mismatch = _via_application(LedgerMismatch, "mismatch_id")
programme_of_reminder = _via_application(Reminder, "reminder_id")

BASE_FIELDS = ("id", "reference", "scheme_id", "call_id", "status", "organisation_id", "recipient_code",
               "crs_overrides", "amount_requested", "currency", "approved_amount", "committed_amount",
               "decreased_amount", "paid_amount", "activity_id", "commitment_date", "submitted_at", "decided_at",
               "closed_at", "version")
DETAIL_FIELDS = ("title", "description", "host_organisation", "destination", "start_date", "end_date")


def sees_personal_data(user, application) -> bool:
    return not application.is_personal or may_manage(user, application)


def application_view(application, user) -> dict:
    """The application as this user may see it (a dict for schemas and templates)."""
    data = {field: getattr(application, field) for field in BASE_FIELDS}
    restricted = not sees_personal_data(user, application)
    organisation = application.organisation
    data.update(personal=application.is_personal, restricted=restricted,
                allowed_actions=allowed_actions(application, user), scheme=application.scheme,
                call=application.call, organisation_name=organisation.name if organisation is not None else None)
    if restricted:
        data["title"] = f"{application.scheme.name}: {application.reference}"
        return data
    data.update({field: getattr(application, field) for field in DETAIL_FIELDS})
    person = application.person
    if person is not None:
        data["person"] = {"id": person.id, "full_name": person.full_name, "email": person.email,
                          "phone": person.phone, "erased": person.erased}
    return data
