"""Applications: registering a draft and changing it until it is submitted."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.roles import Permission
from app.events.payload import changes, jsonable, snapshot
from grants import workflow
from grants.models import Application
from grants.models.enums import ApplicationStatus, CallStatus
from grants.services.allowances import internship_allowance
from grants.services.common import clean_text, money, publish_step, today, user_id
from grants.services.errors import GrantsError, GuardViolation, NotAllowed
from grants.services.organisations import get_organisation
from grants.services.persons import PERSON_FIELDS, clean_person, register_person, update_person
from grants.services.schemes import crs_codes

#: fields that may identify an intern: kept out of event payloads on personal applications
PERSONAL_DETAIL = ("title", "description", "host_organisation", "destination", "start_date", "end_date")
DRAFT_FIELDS = ("title", "description", "organisation_id", "host_organisation", "destination", "start_date",
                "end_date", "recipient_code", "amount_requested", "crs_overrides", "call_id")
EVENT_FIELDS = DRAFT_FIELDS
SCALE_FIELDS = {"destination", "start_date", "end_date"}
_RECIPIENT = re.compile(r"^[0-9]{1,5}$")


def get_application(session: Session, application_id) -> Application | None:
    return session.get(Application, application_id) if isinstance(application_id, int) else None


def next_reference(session: Session, scheme, year: int) -> str:
    prefix = f"{scheme.code}-{year}-"
    existing = session.scalars(select(Application.reference).where(Application.reference.like(prefix + "%")))
    numbers = [int(r[len(prefix):]) for r in existing if r[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def create_application(session: Session, scheme, *, amount_requested=None, title=None, description=None,
                       call=None, organisation_id=None, person=None, host_organisation=None,
                       destination=None, start_date=None, end_date=None, recipient_code=None,
                       crs_overrides=None, user=None) -> Application:
    """Register a draft application (``ApplicationCreated``).

    Internship schemes take a ``person`` ({full_name, email, phone}), stored apart
    from the application; other schemes take an ``organisation_id``.
    """
    if not scheme.active:
        raise GrantsError(f"scheme {scheme.code} does not take applications now", "scheme")
    if user is not None and not user.can(Permission.MANAGE_GRANTS, programme_id=scheme.programme_id):
        raise NotAllowed("you do not manage the programme of this scheme")
    year = call.year if call is not None else (start_date.year if isinstance(start_date, date) else today().year)
    application = Application(
        scheme=scheme, reference=next_reference(session, scheme, year), status=ApplicationStatus.DRAFT.value,
        call=call, call_id=call.id if call else None, title=title, description=description,
        organisation_id=organisation_id, host_organisation=host_organisation, destination=destination,
        start_date=start_date, end_date=end_date, recipient_code=recipient_code,
        crs_overrides=crs_overrides or {}, amount_requested=amount_requested,
        decreased_amount=Decimal("0"), paid_amount=Decimal("0"), created_by=user_id(user))
    if not scheme.uses_people and person is not None:
        raise GrantsError(f"scheme {scheme.code} takes applications from organisations, not persons", "person")
    details = clean_person(person) if scheme.uses_people else None
    with session.no_autoflush:
        _validate(session, application)
    if details is not None:
        application.person = register_person(session, scheme, details)
    session.add(application)
    session.flush()
    publish_step(session, "ApplicationCreated", application, **_public_snapshot(application))
    return application


def update_draft(session: Session, application: Application, user=None, **fields) -> dict:
    """Change a draft; the event lists personal changes by field name only."""
    workflow.ensure(application, "edit", user)
    person_data = {k: fields.pop(k) for k in list(fields) if k in PERSON_FIELDS}
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise GrantsError(f"{sorted(unknown)[0]} cannot be changed", sorted(unknown)[0])
    before = snapshot(application, EVENT_FIELDS)
    with session.no_autoflush:  # validation queries must not flush half-checked values
        follows_scale = _asks_full_allowance(session, application) and "amount_requested" not in fields
        for key, value in fields.items():
            setattr(application, key, value)
        if follows_scale and SCALE_FIELDS & set(fields):
            application.amount_requested = None  # the full allowance of the new period or destination
        if "call_id" in fields:
            application.call = _call(session, application, fields["call_id"])
        person_changed = []
        if person_data:
            if application.person is None:
                raise GrantsError("this application has no personal applicant", sorted(person_data)[0])
            person_changed = update_person(application.person, person_data)
        _validate(session, application)
    diff = changes(before, snapshot(application, EVENT_FIELDS))
    if not diff and not person_changed:
        return {}
    session.flush()
    if application.is_personal:
        public = {k: v for k, v in diff.items() if k not in PERSONAL_DETAIL}
        payload = {"changes": jsonable(public), "personal_fields_changed": sorted(
            person_changed + [k for k in diff if k in PERSONAL_DETAIL])}
    else:
        payload = {"changes": jsonable(diff)}
    publish_step(session, "ApplicationChanged", application, **payload)
    return diff


def _asks_full_allowance(session: Session, application: Application) -> bool:
    if not application.scheme.uses_people:
        return False
    try:
        allowance = internship_allowance(session, application.scheme, application.destination,
                                         application.start_date, application.end_date)
    except GrantsError:
        return False
    return application.amount_requested == allowance.total


def _call(session: Session, application: Application, call_id):
    from grants.models import Call

    if call_id is None:
        return None
    call = session.get(Call, call_id) if isinstance(call_id, int) else None
    if call is None:
        raise GrantsError("unknown call", "call_id")
    return call


def _validate(session: Session, app: Application) -> None:
    scheme = app.scheme
    if app.call is not None:
        if app.call.scheme_id != scheme.id:
            raise GrantsError(f"call {app.call.code} belongs to another scheme", "call_id")
        if app.call.status != CallStatus.OPEN:
            raise GrantsError(f"call {app.call.code} is closed", "call_id")
    app.description = clean_text(app.description, "description", 10000)
    app.host_organisation = clean_text(app.host_organisation, "host_organisation", 200)
    app.destination = clean_text(app.destination, "destination", 80)
    app.recipient_code = clean_text(app.recipient_code, "recipient_code", 5)
    if app.recipient_code and not _RECIPIENT.match(app.recipient_code):
        raise GrantsError("a recipient is a DAC recipient code (digits)", "recipient_code")
    app.crs_overrides = crs_codes(app.crs_overrides or {}, "crs_overrides")
    if app.start_date and app.end_date and app.end_date < app.start_date:
        raise GrantsError("the end date is before the start date", "end_date")
    if scheme.uses_people:
        _validate_internship(session, app)
    else:
        if app.organisation_id is None:
            raise GrantsError("an application needs the applying organisation", "organisation_id")
        get_organisation(session, app.organisation_id)
        app.title = clean_text(app.title, "title", 300, required=True)
    if app.amount_requested is None:
        raise GrantsError("an application needs the amount asked", "amount_requested")
    app.amount_requested = money(app.amount_requested, "amount_requested")
    if app.amount_requested <= 0:
        raise GrantsError("the amount asked must be positive", "amount_requested")


def _validate_internship(session: Session, app: Application) -> None:
    if not app.host_organisation:
        raise GrantsError("an internship needs a host organisation", "host_organisation")
    if not app.destination:
        raise GrantsError("an internship needs a destination", "destination")
    allowance = internship_allowance(session, app.scheme, app.destination, app.start_date, app.end_date)
    if app.amount_requested is None:
        app.amount_requested = allowance.total
    elif money(app.amount_requested, "amount_requested") > allowance.total:
        raise GuardViolation(f"the allowance for this period and destination is {allowance.total}; "
                             f"more cannot be asked", "amount_requested")
    app.title = f"Internship at {app.host_organisation}, {app.destination}"


def _public_snapshot(application: Application) -> dict:
    facts = snapshot(application, EVENT_FIELDS)
    facts["person_id"] = application.person_id
    if application.is_personal:
        for field in PERSONAL_DETAIL:
            facts.pop(field, None)
    return facts
