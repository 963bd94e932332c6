"""Applications, their assessments and decisions."""
from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api import paginate_select
from app.api.writes import check_version, writing
from app.auth.guards import check, require, visible_programme_ids
from app.auth.roles import Permission
from app.db import get_session
from grants.access import application_view, programme_of_application, sees_personal_data
from grants.api import blp, current_user, found
from grants.models import Application, Assessment, Call, Decision, Scheme
from grants.schemas.api import (ApplicationQuerySchema, ApplicationSchema, ApplicationUpdateSchema,
                                AssessmentSchema, DecisionInputSchema, DecisionSchema)
from grants.services import applications as services
from grants.services.assess import record_assessment, start_assessment
from grants.services.decide import approve, reject
from grants.services.organisations import organisation_named
from grants.services.overview import applications_query
from grants.services.submit import submit


def _application(session, application_id) -> Application:
    return found(session.get(Application, application_id))


def _out(application):
    return application_view(application, current_user())


@blp.route("/applications")
class Applications(MethodView):
    @require(Permission.VIEW_PORTFOLIO)
    @blp.arguments(ApplicationQuerySchema, location="query")
    @blp.response(200, ApplicationSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Applications you may see; personal details only for the scheme's managers."""
        stmt = applications_query(visible_programme_ids(), args.get("scheme_id"), args.get("call_id"),
                                  args.get("status"), args.get("q")).options(selectinload(Application.person))
        return [_out(a) for a in paginate_select(get_session(), stmt, pagination_parameters)]

    @require(Permission.MANAGE_GRANTS)
    @blp.arguments(ApplicationSchema)
    @blp.response(201, ApplicationSchema)
    def post(self, data):
        """Register a draft application (an organisation's, or an intern's with their details)."""
        with writing() as session:
            scheme = found(session.get(Scheme, data.pop("scheme_id")))
            check(Permission.MANAGE_GRANTS, scheme.programme_id)
            call_id = data.pop("call_id", None)
            call = found(session.get(Call, call_id)) if call_id is not None else None
            name, kind = data.pop("organisation_name", None), data.pop("organisation_kind", "ngo")
            if name and not data.get("organisation_id"):
                data["organisation_id"] = organisation_named(session, name, kind).id
            application = services.create_application(session, scheme, call=call, user=current_user(), **data)
        return _out(application)


@blp.route("/applications/<id:application_id>")
class ApplicationDetail(MethodView):
    @require(Permission.VIEW_PORTFOLIO, programme_from=programme_of_application)
    @blp.response(200, ApplicationSchema)
    def get(self, application_id):
        return _out(_application(get_session(), application_id))

    @require(Permission.MANAGE_GRANTS, programme_from=programme_of_application)
    @blp.arguments(ApplicationUpdateSchema)
    @blp.response(200, ApplicationSchema)
    def patch(self, data, application_id):
        """Change a draft."""
        with writing() as session:
            application = _application(session, application_id)
            check_version(application, data.pop("version"))
            services.update_draft(session, application, user=current_user(), **data)
        return _out(application)


def _step(application_id, action):
    with writing() as session:
        application = _application(session, application_id)
        action(session, application, current_user())
    return _out(application)


@blp.route("/applications/<id:application_id>/submit", methods=["POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_application)
@blp.response(200, ApplicationSchema)
def submit_application(application_id):
    """Draft → submitted."""
    return _step(application_id, submit)


@blp.route("/applications/<id:application_id>/start-assessment", methods=["POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_application)
@blp.response(200, ApplicationSchema)
def start_application_assessment(application_id):
    """Submitted → in assessment."""
    return _step(application_id, start_assessment)


@blp.route("/applications/<id:application_id>/assessments")
class Assessments(MethodView):
    @require(Permission.VIEW_PORTFOLIO, programme_from=programme_of_application)
    @blp.response(200, AssessmentSchema(many=True))
    def get(self, application_id):
        """Assessments of an application (comments only for the scheme's managers on personal ones)."""
        session = get_session()
        application = _application(session, application_id)
        rows = session.scalars(select(Assessment).where(Assessment.application_id == application.id)
                               .order_by(Assessment.id)).all()
        if sees_personal_data(current_user(), application):
            return rows
        return [{**{k: getattr(a, k) for k in AssessmentSchema().fields if k != "comment"}} for a in rows]

    @require(Permission.MANAGE_GRANTS, programme_from=programme_of_application)
    @blp.arguments(AssessmentSchema)
    @blp.response(201, AssessmentSchema)
    def post(self, data, application_id):
        """Record your checklist answers and scores."""
        with writing() as session:
            application = _application(session, application_id)
            return record_assessment(session, application, current_user(), **data)


@blp.route("/applications/<id:application_id>/decision")
class Decisions(MethodView):
    @require(Permission.VIEW_PORTFOLIO, programme_from=programme_of_application)
    @blp.response(200, DecisionSchema(many=True))
    def get(self, application_id):
        session = get_session()
        application = _application(session, application_id)
        rows = session.scalars(select(Decision).where(Decision.application_id == application.id)
                               .order_by(Decision.id)).all()
        if sees_personal_data(current_user(), application):
            return rows
        return [{k: getattr(d, k) for k in ("id", "outcome", "amount", "budget_override", "decided_by",
                                            "decided_at")} for d in rows]

    @require(Permission.MANAGE_GRANTS, programme_from=programme_of_application)
    @blp.arguments(DecisionInputSchema)
    @blp.response(201, DecisionSchema)
    def post(self, data, application_id):
        """Approve (with the amount) or reject (with the reason). Above the call's remaining
        budget only an admin may approve, with ``override_budget`` and ``override_reason``."""
        with writing() as session:
            application = _application(session, application_id)
            user = current_user()
            if data["outcome"].startswith("reject"):
                return reject(session, application, user, data.get("reason"))
            if data.get("amount") is None:
                from grants.services.errors import GrantsError

                raise GrantsError("an approval needs the amount", "amount")
            return approve(session, application, user, data["amount"], reason=data.get("reason"),
                           main_objective=data.get("main_objective"),
                           override_budget=data.get("override_budget", False),
                           override_reason=data.get("override_reason"))
