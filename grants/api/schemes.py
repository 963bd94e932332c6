"""Schemes and calls."""
from __future__ import annotations

from flask import abort, g
from flask.views import MethodView
from sqlalchemy import select

from app.api import paginate_select
from app.api.writes import check_version, writing
from app.auth.guards import check, require, visible_programme_ids
from app.auth.roles import Permission, Role
from app.db import get_session
from grants.access import programme_of_call, programme_of_scheme
from grants.api import blp, found
from grants.models import Call, Scheme
from grants.schemas.api import AllowanceRateSchema, CallSchema, CallUpdateSchema, SchemeSchema, scheme_update_schema
from grants.services import calls as call_services
from grants.services import schemes as scheme_services
from grants.services.overview import call_figures, calls_query


def call_out(session, call) -> dict:
    figures = call_figures(session, call)
    return {**{c: getattr(call, c) for c in ("id", "scheme_id", "code", "title", "description", "year",
                                              "budget_ceiling", "opens_on", "closes_on", "status", "version")},
            "reserved": figures.reserved, "remaining": figures.remaining, "applications": figures.applications}


@blp.route("/schemes")
class Schemes(MethodView):
    @require(Permission.VIEW_PORTFOLIO)
    @blp.response(200, SchemeSchema(many=True))
    def get(self):
        """List the grant schemes and their configuration."""
        stmt = select(Scheme).order_by(Scheme.code)
        visible = visible_programme_ids()
        if visible is not None:
            stmt = stmt.where(Scheme.programme_id.in_(visible or {-1}))
        return get_session().scalars(stmt).all()

    @require(Permission.MANAGE_GRANTS)
    @blp.arguments(SchemeSchema)
    @blp.response(201, SchemeSchema)
    def post(self, data):
        """Create a scheme (admins only: it sets the rules every decision follows)."""
        if not g.user.has_role(Role.ADMIN):
            abort(403)
        with writing() as session:
            return scheme_services.create_scheme(session, **data)


@blp.route("/schemes/<id:scheme_id>")
class SchemeDetail(MethodView):
    @require(Permission.VIEW_PORTFOLIO, programme_from=programme_of_scheme)
    @blp.response(200, SchemeSchema)
    def get(self, scheme_id):
        """One scheme with its allowance scale."""
        return found(get_session().get(Scheme, scheme_id))

    @require(Permission.MANAGE_GRANTS, programme_from=programme_of_scheme)
    @blp.arguments(scheme_update_schema())
    @blp.response(200, SchemeSchema)
    def patch(self, data, scheme_id):
        """Change a scheme's criteria, scales and deadlines; the four-eyes rule, the assessment
        and the programme only an admin may change."""
        with writing() as session:
            scheme = found(session.get(Scheme, scheme_id))
            check_version(scheme, data.pop("version"))
            scheme_services.update_scheme(session, scheme, user=g.user, **data)
            return scheme


@blp.route("/schemes/<id:scheme_id>/allowance-rates", methods=["PUT"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_scheme)
@blp.arguments(AllowanceRateSchema)
@blp.response(200, AllowanceRateSchema)
def put_allowance_rate(data, scheme_id):
    """Set the monthly living allowance of a destination."""
    with writing() as session:
        scheme = found(session.get(Scheme, scheme_id))
        return scheme_services.set_allowance_rate(session, scheme, **data)


@blp.route("/calls")
class Calls(MethodView):
    @require(Permission.VIEW_PORTFOLIO)
    @blp.response(200, CallSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """Calls for applications with their ceiling and what is left of it."""
        session = get_session()
        calls = paginate_select(session, calls_query(visible_programme_ids()), pagination_parameters)
        return [call_out(session, call) for call in calls]

    @require(Permission.MANAGE_GRANTS)
    @blp.arguments(CallSchema)
    @blp.response(201, CallSchema)
    def post(self, data):
        """Open a call under a scheme of a programme you manage."""
        with writing() as session:
            scheme = found(session.get(Scheme, data.pop("scheme_id")))
            check(Permission.MANAGE_GRANTS, scheme.programme_id)
            call = call_services.open_call(session, scheme, **data)
        return call_out(session, call)


@blp.route("/calls/<id:call_id>")
class CallDetail(MethodView):
    @require(Permission.VIEW_PORTFOLIO, programme_from=programme_of_call)
    @blp.response(200, CallSchema)
    def get(self, call_id):
        session = get_session()
        return call_out(session, found(session.get(Call, call_id)))

    @require(Permission.MANAGE_GRANTS, programme_from=programme_of_call)
    @blp.arguments(CallUpdateSchema)
    @blp.response(200, CallSchema)
    def patch(self, data, call_id):
        """Change a call's title, ceiling or closing date (never below what is approved)."""
        with writing() as session:
            call = found(session.get(Call, call_id))
            check_version(call, data.pop("version"))
            call_services.change_call(session, call, **data)
        return call_out(session, call)


@blp.route("/calls/<id:call_id>/close", methods=["POST"])
@require(Permission.MANAGE_GRANTS, programme_from=programme_of_call)
@blp.response(200, CallSchema)
def close_call(call_id):
    with writing() as session:
        call = found(session.get(Call, call_id))
        call_services.close_call(session, call)
    return call_out(session, call)
