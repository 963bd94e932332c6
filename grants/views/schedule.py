"""The payment schedule page: tranches, payments, and the reminders and mismatches around them."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from app.auth.guards import require
from app.auth.roles import Permission
from app.db import get_session, unit_of_work
from app.errors import ValidationError
from grants.access import (application_view, programme_of_application, programme_of_mismatch, programme_of_reminder,
                           programme_of_tranche)
from grants.models import LedgerMismatch, Reminder, Tranche
from grants.models.enums import TrancheCondition
from grants.schemas.forms import PaymentForm, ReasonForm, TrancheForm
from grants.services.common import today
from grants.services.guards import tranche_block_reason
from grants.services.matching import dismiss_mismatch, retry_mismatch
from grants.services.payments import payments_of, record_payment
from grants.services.reminders import dismiss_reminder
from grants.services.schedule import cancel_tranche, schedule_tranche, scheduled_total, tranches_of
from grants.views import StepFailed, _, bp, domain_failure, done, get_application, parse, user


def _schedule_page(application, failure: StepFailed | None = None):
    session, day = get_session(), today()
    tranches = [(t, tranche_block_reason(session, application, t, day) if t.status == "planned" else None)
                for t in tranches_of(session, application)]
    context = {"app": application_view(application, user()), "application": application, "tranches": tranches,
               "payments": payments_of(session, application), "scheduled": scheduled_total(session, application),
               "conditions": list(TrancheCondition), "form": request.form, "error": failure, "today": day,
               "actions": set(application_view(application, user())["allowed_actions"])}
    return render_template("grants/schedule.html", **context), failure.status if failure else 200


@bp.route("/applications/<id:application_id>/schedule")
@require(Permission.VIEW_PORTFOLIO, programme_from=programme_of_application)
def schedule(application_id):
    return _schedule_page(get_application(application_id))


def _schedule_step(application_id: int, step, message: str):
    application = get_application(application_id)
    try:
        try:
            with unit_of_work() as session:
                step(session, application)
        except ValidationError as exc:
            raise domain_failure(exc) from None
    except StepFailed as failure:
        get_session().refresh(application)
        return _schedule_page(application, failure)
    return done(message, application_id, "grants.schedule")


@bp.route("/applications/<id:application_id>/tranches", methods=["POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_application)
def add_tranche(application_id):
    return _schedule_step(application_id, lambda s, a: schedule_tranche(s, a, user=user(), **parse(TrancheForm())),
                          _("Tranche scheduled."))


@bp.route("/applications/<id:application_id>/payments", methods=["POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_application)
def add_payment(application_id):
    def step(session, application):
        data = parse(PaymentForm())
        tranche = session.get(Tranche, data.pop("tranche_id"))
        if tranche is None:
            raise StepFailed(_("Choose a tranche."), "tranche_id", 422)
        record_payment(session, application, tranche, user=user(), **data)
    return _schedule_step(application_id, step, _("Payment recorded."))


@bp.route("/tranches/<id:tranche_id>/cancel", methods=["POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_tranche)
def cancel(tranche_id):
    tranche = get_session().get(Tranche, tranche_id)
    return _schedule_step(tranche.application_id,
                          lambda s, a: cancel_tranche(s, a, tranche, parse(ReasonForm())["reason"], user()),
                          _("Tranche cancelled."))


@bp.route("/reminders/<id:reminder_id>/dismiss", methods=["POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_reminder)
def dismiss(reminder_id):
    with unit_of_work() as session:
        dismiss_reminder(session, session.get(Reminder, reminder_id))
    return redirect(url_for("grants.overview"))


@bp.route("/mismatches/<id:mismatch_id>/retry", methods=["POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_mismatch)
def retry(mismatch_id):
    with unit_of_work() as session:
        outcome = retry_mismatch(session, session.get(LedgerMismatch, mismatch_id))
    flash(_("Ledger payment matched.") if outcome == "matched" else _("Still not matched: %(o)s", o=outcome),
          "success" if outcome == "matched" else "error")
    return redirect(url_for("grants.overview"))


@bp.route("/mismatches/<id:mismatch_id>/dismiss", methods=["POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_mismatch)
def dismiss_ledger_mismatch(mismatch_id):
    try:
        with unit_of_work() as session:
            dismiss_mismatch(session, session.get(LedgerMismatch, mismatch_id), parse(ReasonForm())["reason"])
    except (StepFailed, ValidationError) as exc:
        flash(exc.message, "error")
        return redirect(url_for("grants.overview"))
    flash(_("Mismatch set aside."), "success")
    return redirect(url_for("grants.overview"))
