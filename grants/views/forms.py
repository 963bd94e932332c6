"""Forms with several fields: a new application, the assessment form, the decision."""
from __future__ import annotations

from flask import render_template, request
from sqlalchemy import select

from app.auth.guards import require
from app.auth.roles import Permission, Role
from app.db import get_session, unit_of_work
from app.errors import ValidationError
from grants.access import application_view, programme_of_application, programme_of_scheme
from grants.models import Assessment, Call, Scheme
from grants.models.enums import CallStatus
from grants.schemas.forms import ApplicationForm, AssessmentForm, DecisionForm
from grants.services.applications import create_application
from grants.services.assess import record_assessment
from grants.services.calls import remaining_budget
from grants.services.decide import approve, reject
from grants.services.organisations import organisation_named
from grants.views import StepFailed, _, bp, domain_failure, done, get_application, parse, user
from programmes.models.enums import MainObjective

PERSON_KEYS = ("full_name", "email", "phone")


@bp.route("/schemes/<id:scheme_id>/applications/new", methods=["GET", "POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_scheme)
def new_application(scheme_id):
    session = get_session()
    scheme = session.get(Scheme, scheme_id)
    calls = session.scalars(select(Call).where(Call.scheme_id == scheme_id, Call.status == CallStatus.OPEN.value)
                            .order_by(Call.year.desc())).all()
    context = {"scheme": scheme, "calls": calls, "form": request.form, "error": None}
    if request.method == "GET":
        return render_template("grants/application_form.html", **context)
    try:
        application = _create(session, scheme, parse(ApplicationForm()))
    except StepFailed as failure:
        return render_template("grants/application_form.html", **{**context, "error": failure}), failure.status
    return done(_("Application %(reference)s registered as a draft.", reference=application.reference),
                application.id)


def _create(session, scheme, data: dict):
    person = {k: data.pop(k) for k in PERSON_KEYS if k in data} if scheme.uses_people else None
    name, kind = data.pop("organisation_name", None), data.pop("organisation_kind", "ngo")
    call_id = data.pop("call_id", None)
    try:
        with unit_of_work() as session:
            call = session.get(Call, call_id) if call_id else None
            if not scheme.uses_people:
                for key in PERSON_KEYS:
                    data.pop(key, None)
                if name:
                    data["organisation_id"] = organisation_named(session, name, kind).id
            return create_application(session, scheme, call=call, person=person, user=user(), **data)
    except ValidationError as exc:
        raise domain_failure(exc) from None


def _assessment_page(application, failure=None):
    context = {"app": application_view(application, user()), "application": application,
               "scheme": application.scheme, "form": request.form, "error": failure,
               "objectives": list(MainObjective)}
    return render_template("grants/assessment_form.html", **context), failure.status if failure else 200


@bp.route("/applications/<id:application_id>/assess", methods=["GET", "POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_application)
def assess(application_id):
    """The assessment form: the scheme's checklist (yes/no) and a score per criterion."""
    application = get_application(application_id)
    if request.method == "GET":
        return _assessment_page(application)
    scheme = application.scheme
    try:
        data = parse(AssessmentForm())
        checklist = {item["code"]: request.form.get(f"check_{item['code']}") in ("yes", "on")
                     for item in scheme.checklist}
        scores = {c["code"]: _score(request.form.get(f"score_{c['code']}"), c) for c in scheme.criteria}
        try:
            with unit_of_work() as session:
                record_assessment(session, application, user(), checklist, scores, **data)
        except ValidationError as exc:
            raise domain_failure(exc) from None
    except StepFailed as failure:
        get_session().refresh(application)
        return _assessment_page(application, failure)
    return done(_("Assessment recorded."), application_id)


def _score(raw, criterion) -> int:
    text = (raw or "").strip()
    if not text.isdigit() or len(text) > 3:
        raise StepFailed(_("Score %(label)s with a whole number.", label=criterion["label"]), "scores", 422)
    return int(text)


def _decision_page(application, failure=None):
    session = get_session()
    latest = session.scalar(select(Assessment).where(Assessment.application_id == application.id)
                            .order_by(Assessment.id.desc()).limit(1))
    remaining = remaining_budget(session, application.call) if application.call else None
    context = {"app": application_view(application, user()), "application": application, "latest": latest,
               "remaining": remaining, "form": request.form, "error": failure, "objectives": list(MainObjective),
               "is_admin": user().has_role(Role.ADMIN)}
    return render_template("grants/decision_form.html", **context), failure.status if failure else 200


@bp.route("/applications/<id:application_id>/decide", methods=["GET", "POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_application)
def decide(application_id):
    """Approve with an amount (at most what was asked) or reject with a reason."""
    application = get_application(application_id)
    if request.method == "GET":
        return _decision_page(application)
    try:
        data = parse(DecisionForm())
        try:
            with unit_of_work() as session:
                if data["outcome"] == "reject":
                    reject(session, application, user(), data.get("reason"))
                elif data.get("amount") is None:
                    raise StepFailed(_("amount: Give the approved amount."), "amount", 422)
                else:
                    approve(session, application, user(), data["amount"], reason=data.get("reason"),
                            main_objective=data.get("main_objective"), override_budget=data["override_budget"],
                            override_reason=data.get("override_reason"))
        except ValidationError as exc:
            raise domain_failure(exc) from None
    except StepFailed as failure:
        get_session().refresh(application)
        return _decision_page(application, failure)
    return done(_("Decision recorded."), application_id)


