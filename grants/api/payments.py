"""Commitment, payment schedule, payments, reports, decreases, withdrawal, closing, erasure."""
from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema, fields

from app.api.writes import check_version, writing
from app.auth.guards import require, visible_programme_ids
from app.auth.roles import Permission
from app.db import get_session
from grants.access import (application_view, programme_of_application, programme_of_mismatch, programme_of_person,
                           programme_of_report, programme_of_tranche)
from grants.api import blp, current_user, found
from grants.models import Application, LedgerMismatch, Person, Report, Tranche
from grants.schemas.api import (ApplicationSchema, CloseSchema, CommitmentSchema, DecreaseSchema, PaymentSchema,
                                ReasonSchema, ReceiveReportSchema, ReportSchema, TrancheSchema,
                                TrancheUpdateSchema)
from grants.services import changes, close, reports, schedule
from grants.services.commit import create_commitment
from grants.services.common import today
from grants.services.erasure import erase_person
from grants.services.guards import reports_of, tranche_block_reason
from grants.services.matching import dismiss_mismatch, retry_mismatch
from grants.services.overview import overview
from grants.services.payments import payments_of, record_payment


def _application(session, application_id) -> Application:
    return found(session.get(Application, application_id))


def _tranche_out(session, application, tranche) -> dict:
    data = {k: getattr(tranche, k) for k in ("id", "number", "due_date", "amount", "condition", "document_number",
                                             "status", "paid_amount", "version")}
    data["blocked_by"] = (tranche_block_reason(session, application, tranche, today())
                          if tranche.status == "planned" else None)
    return data


@blp.route("/applications/<id:application_id>/commitment", methods=["POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_application)
@blp.arguments(CommitmentSchema)
@blp.response(201, ApplicationSchema)
def commit_application(data, application_id):
    """Approved → committed: an activity in the scheme's programme with the scheme's CRS defaults."""
    with writing() as session:
        application = _application(session, application_id)
        create_commitment(session, application, current_user(), data.get("commitment_date"))
    return application_view(application, current_user())


@blp.route("/applications/<id:application_id>/tranches")
class Tranches(MethodView):
    @require(Permission.VIEW_PORTFOLIO, programme_from=programme_of_application)
    @blp.response(200, TrancheSchema(many=True))
    def get(self, application_id):
        """The payment schedule, each planned tranche with what blocks it."""
        session = get_session()
        application = _application(session, application_id)
        return [_tranche_out(session, application, t) for t in schedule.tranches_of(session, application)]

    @require(Permission.MANAGE_GRANTS, programme_from=programme_of_application)
    @blp.arguments(TrancheSchema)
    @blp.response(201, TrancheSchema)
    def post(self, data, application_id):
        """Add a tranche (due date, amount, condition, the ledger's document number)."""
        with writing() as session:
            application = _application(session, application_id)
            tranche = schedule.schedule_tranche(session, application, user=current_user(), **data)
            return _tranche_out(session, application, tranche)


def _tranche(session, tranche_id):
    tranche = found(session.get(Tranche, tranche_id))
    return session.get(Application, tranche.application_id), tranche


@blp.route("/tranches/<id:tranche_id>", methods=["PATCH"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_tranche)
@blp.arguments(TrancheUpdateSchema)
@blp.response(200, TrancheSchema)
def change_tranche(data, tranche_id):
    with writing() as session:
        application, tranche = _tranche(session, tranche_id)
        check_version(tranche, data.pop("version"))
        schedule.change_tranche(session, application, tranche, user=current_user(), **data)
        return _tranche_out(session, application, tranche)


@blp.route("/tranches/<id:tranche_id>/cancel", methods=["POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_tranche)
@blp.arguments(ReasonSchema)
@blp.response(200, TrancheSchema)
def cancel_tranche(data, tranche_id):
    with writing() as session:
        application, tranche = _tranche(session, tranche_id)
        schedule.cancel_tranche(session, application, tranche, data["reason"], user=current_user())
        return _tranche_out(session, application, tranche)


@blp.route("/applications/<id:application_id>/payments")
class Payments(MethodView):
    @require(Permission.VIEW_PORTFOLIO, programme_from=programme_of_application)
    @blp.response(200, PaymentSchema(many=True))
    def get(self, application_id):
        session = get_session()
        return payments_of(session, _application(session, application_id))

    @require(Permission.MANAGE_GRANTS, programme_from=programme_of_application)
    @blp.arguments(PaymentSchema)
    @blp.response(201, PaymentSchema)
    def post(self, data, application_id):
        """Record a payment of a tranche by hand (never above what is approved and unpaid)."""
        with writing() as session:
            application = _application(session, application_id)
            tranche = found(session.get(Tranche, data.pop("tranche_id")))
            return record_payment(session, application, tranche, user=current_user(), **data)


@blp.route("/applications/<id:application_id>/decrease", methods=["POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_application)
@blp.arguments(DecreaseSchema)
@blp.response(200, ApplicationSchema)
def decrease(data, application_id):
    """Lower the commitment, with a reason: a negative commitment in the ledger."""
    with writing() as session:
        application = _application(session, application_id)
        changes.decrease_commitment(session, application, data["amount"], data["reason"], current_user(),
                                    when=data.get("date"))
    return application_view(application, current_user())


@blp.route("/applications/<id:application_id>/withdraw", methods=["POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_application)
@blp.arguments(ReasonSchema)
@blp.response(200, ApplicationSchema)
def withdraw(data, application_id):
    """Withdraw the application; what was committed and not paid is released."""
    with writing() as session:
        application = _application(session, application_id)
        changes.withdraw(session, application, data["reason"], current_user(), when=data.get("date"))
    return application_view(application, current_user())


@blp.route("/applications/<id:application_id>/reports")
class Reports(MethodView):
    @require(Permission.VIEW_PORTFOLIO, programme_from=programme_of_application)
    @blp.response(200, ReportSchema(many=True))
    def get(self, application_id):
        session = get_session()
        return reports_of(session, _application(session, application_id))

    @require(Permission.MANAGE_GRANTS, programme_from=programme_of_application)
    @blp.arguments(ReportSchema)
    @blp.response(201, ReportSchema)
    def post(self, data, application_id):
        """Ask for an interim report by a date."""
        with writing() as session:
            application = _application(session, application_id)
            return reports.add_interim_report(session, application, data.get("due_date"), current_user())


@blp.route("/applications/<id:application_id>/final-report", methods=["POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_application)
@blp.arguments(ReportSchema)
@blp.response(201, ReportSchema)
def request_final_report(data, application_id):
    """Committed → final report due (by default some days after the end date)."""
    with writing() as session:
        application = _application(session, application_id)
        return reports.request_final_report(session, application, data.get("due_date"), current_user())


@blp.route("/reports/<id:report_id>/received", methods=["POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_report)
@blp.arguments(ReceiveReportSchema)
@blp.response(200, ReportSchema)
def receive_report(data, report_id):
    with writing() as session:
        report = found(session.get(Report, report_id))
        application = session.get(Application, report.application_id)
        return reports.receive_report(session, application, report, user=current_user(), **data)


@blp.route("/applications/<id:application_id>/close", methods=["POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_application)
@blp.arguments(CloseSchema)
@blp.response(200, ApplicationSchema)
def close_application(data, application_id):
    """Close the grant; the unspent balance is released with a negative commitment."""
    with writing() as session:
        application = _application(session, application_id)
        close.close(session, application, current_user(), when=data.get("date"))
    return application_view(application, current_user())


class ErasedSchema(Schema):
    applications = fields.Integer()
    texts = fields.Integer()


@blp.route("/persons/<id:person_id>/erase", methods=["POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_person)
@blp.response(200, ErasedSchema)
def erase(person_id):
    """Anonymise an applicant on request; the financial records stay."""
    with writing() as session:
        return erase_person(session, found(session.get(Person, person_id)), current_user())


class MismatchSchema(Schema):
    id = fields.Integer()
    transaction_id = fields.Integer()
    tranche_id = fields.Integer(allow_none=True)
    application_id = fields.Integer(allow_none=True)
    reason = fields.String()
    outcome = fields.String()


@blp.route("/mismatches/<id:mismatch_id>/retry", methods=["POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_mismatch)
@blp.response(200, MismatchSchema)
def retry(mismatch_id):
    """Try again to match a ledger payment after the schedule or the ledger was fixed."""
    with writing() as session:
        mismatch = found(session.get(LedgerMismatch, mismatch_id))
        outcome = retry_mismatch(session, mismatch)
        return {**{k: getattr(mismatch, k) for k in MismatchSchema().fields if k != "outcome"}, "outcome": outcome}


@blp.route("/mismatches/<id:mismatch_id>/dismiss", methods=["POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_mismatch)
@blp.arguments(ReasonSchema)
@blp.response(200, MismatchSchema)
def dismiss(data, mismatch_id):
    with writing() as session:
        mismatch = dismiss_mismatch(session, found(session.get(LedgerMismatch, mismatch_id)), data["reason"])
        return {**{k: getattr(mismatch, k) for k in MismatchSchema().fields if k != "outcome"},
                "outcome": "dismissed"}


class OverviewSchema(Schema):
    overdue_reports = fields.List(fields.Dict())
    blocked_tranches = fields.List(fields.Dict())
    open_mismatches = fields.Integer()
    open_reminders = fields.Integer()


@blp.route("/overview")
@require(Permission.VIEW_PORTFOLIO)
@blp.response(200, OverviewSchema)
def grants_overview():
    """Overdue reports and the planned tranches (due within a year) they block, for the
    programmes you may see."""
    data = overview(get_session(), visible_programme_ids(), today(), within_days=366)
    return {
        "overdue_reports": [{"application_id": a.id, "reference": a.reference, "report_id": r.id,
                             "kind": r.kind, "due_date": r.due_date.isoformat()} for r, a in data.overdue],
        "blocked_tranches": [{"application_id": v.application.id, "reference": v.application.reference,
                              "tranche_id": v.tranche.id, "number": v.tranche.number,
                              "due_date": v.tranche.due_date.isoformat(), "blocked_by": v.blocked_by}
                             for v in data.tranches if v.blocked_by],
        "open_mismatches": len(data.mismatches), "open_reminders": len(data.reminders),
    }
