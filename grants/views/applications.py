"""An application's page and the one-button steps taken from it."""
from __future__ import annotations

from typing import NamedTuple

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.guards import require
from app.auth.roles import Permission
from app.db import get_session, unit_of_work
from app.errors import ValidationError
from grants.access import application_view, programme_of_application, programme_of_person, programme_of_report
from grants.models import Application, Assessment, CommitmentChange, Decision, Person, Report
from grants.schemas.forms import DateForm, DecreaseForm, ReasonForm
from grants.services import changes, close, reports
from grants.services.commit import create_commitment, crs_attributes
from grants.services.common import today
from grants.services.erasure import erase_person
from grants.services.guards import reports_of, tranche_block_reason
from grants.services.payments import payments_of
from grants.services.schedule import tranches_of
from grants.services.submit import submit
from grants.services.assess import start_assessment
from grants.views import StepFailed, _, bp, domain_failure, done, get_application, parse, user
from programmes.services.queries.codes import code_name


class CrsAttribute(NamedTuple):
    key: str
    label: str
    code: str
    #: the code's name in the reference data (the template words the main objective itself)
    name: str | None


#: the grant's CRS attributes as the page names them, and the reference list that names their codes
CRS_ATTRIBUTE_LABELS = {
    "recipient_code": (_l("Recipient"), "recipient"), "purpose_code": (_l("Purpose"), "purpose_code"),
    "aid_type": (_l("Type of aid"), "aid_type"), "channel_code": (_l("Channel"), "channel_code"),
    "flow_type": (_l("Type of flow"), "flow_type"), "finance_type": (_l("Type of finance"), "finance_type"),
    "bi_multi": (_l("Bi/multi"), "bi_multi"), "main_objective": (_l("Main objective"), None),
}


def crs_display(session, attributes: dict) -> list[CrsAttribute]:
    """Each CRS attribute with its label and the name of its code ("Type of aid: Imputed student costs (H01)")."""
    shown = []
    for key, value in attributes.items():
        label, list_name = CRS_ATTRIBUTE_LABELS.get(key, (key, None))
        name = code_name(session, list_name, str(value)) if list_name and value not in (None, "") else None
        shown.append(CrsAttribute(key, str(label), str(value), name))
    return shown


def detail_context(session, application) -> dict:
    view = application_view(application, user())
    day = today()

    def rows(model):
        return session.scalars(select(model).where(model.application_id == application.id).order_by(model.id)).all()

    return {
        "app": view, "application": application, "today": day,
        "assessments": rows(Assessment), "decisions": rows(Decision), "changes": rows(CommitmentChange),
        "tranches": [(t, tranche_block_reason(session, application, t, day) if t.status == "planned" else None)
                     for t in tranches_of(session, application)],
        "payments": payments_of(session, application), "reports": reports_of(session, application),
        "crs": crs_display(session, crs_attributes(session, application)), "actions": set(view["allowed_actions"]),
    }


def render_detail(application, failure: StepFailed | None = None):
    context = detail_context(get_session(), application)
    status = failure.status if failure else 200
    return render_template("grants/application.html", error=failure, **context), status


@bp.route("/applications/<id:application_id>")
@require(Permission.VIEW_PORTFOLIO, programme_from=programme_of_application)
def application(application_id):
    return render_detail(get_application(application_id))


def _perform(application_id: int, step, message: str):
    """Run one step in its own transaction; on refusal show the page again with the reason."""
    application = get_application(application_id)
    try:
        with unit_of_work() as session:
            step(session, application)
    except StepFailed as failure:
        get_session().refresh(application)
        return render_detail(application, failure)
    except ValidationError as exc:
        get_session().refresh(application)
        return render_detail(application, domain_failure(exc))
    return done(message, application_id)


def _guarded(rule: str):
    return lambda view: bp.route(rule, methods=["POST"])(
        require(Permission.MANAGE_GRANTS, programme_from=programme_of_application)(view))


@_guarded("/applications/<id:application_id>/submit")
def submit_step(application_id):
    return _perform(application_id, lambda s, a: submit(s, a, user()), _("Application submitted."))


@_guarded("/applications/<id:application_id>/start-assessment")
def start_assessment_step(application_id):
    return _perform(application_id, lambda s, a: start_assessment(s, a, user()), _("Assessment started."))


@_guarded("/applications/<id:application_id>/commit")
def commit_step(application_id):
    def step(session, application):
        form = parse(DateForm())
        create_commitment(session, application, user(), form.get("commitment_date"))
    return _perform(application_id, step, _("Commitment created."))


@_guarded("/applications/<id:application_id>/decrease")
def decrease_step(application_id):
    def step(session, application):
        form = parse(DecreaseForm())
        changes.decrease_commitment(session, application, form["amount"], form["reason"], user(), form.get("date"))
    return _perform(application_id, step, _("Commitment decreased."))


@_guarded("/applications/<id:application_id>/withdraw")
def withdraw_step(application_id):
    def step(session, application):
        form = parse(ReasonForm())
        changes.withdraw(session, application, form["reason"], user(), form.get("date"))
    return _perform(application_id, step, _("Application withdrawn."))


@_guarded("/applications/<id:application_id>/interim-report")
def interim_report_step(application_id):
    def step(session, application):
        form = parse(DateForm())
        if not form.get("due_date"):
            raise StepFailed(_("due_date: Give the date the report is due."), "due_date", 422)
        reports.add_interim_report(session, application, form["due_date"], user())
    return _perform(application_id, step, _("Interim report requested."))


@_guarded("/applications/<id:application_id>/final-report")
def final_report_step(application_id):
    def step(session, application):
        reports.request_final_report(session, application, parse(DateForm()).get("due_date"), user())
    return _perform(application_id, step, _("Final report requested."))


@_guarded("/applications/<id:application_id>/close")
def close_step(application_id):
    return _perform(application_id, lambda s, a: close.close(s, a, user(), parse(DateForm()).get("date")),
                    _("Grant closed."))


@bp.route("/reports/<id:report_id>/received", methods=["POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_report)
def report_received(report_id):
    report = get_session().get(Report, report_id)

    def step(session, application):
        form = parse(DateForm())
        reports.receive_report(session, application, report, form.get("received_on"), form.get("notes"), user())
    return _perform(report.application_id, step, _("Report received."))


@bp.route("/persons/<id:person_id>/erase", methods=["POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_person)
def erase(person_id):
    """Erase an applicant's personal data (asks for the typed confirmation ERASE)."""
    person = get_session().get(Person, person_id)
    application = get_session().scalar(select(Application).where(Application.person_id == person_id).limit(1))

    def step(session, _application):
        if request.form.get("confirm") != "ERASE":
            raise StepFailed(_("Type ERASE to confirm the erasure."), "confirm", 422)
        erase_person(session, person, user())
    return _perform(application.id, step, _("The applicant's personal data were erased."))
