"""/programmes: the portfolio, one programme with its budget, setting budget lines."""
from __future__ import annotations

from dataclasses import dataclass

from flask.views import MethodView
from sqlalchemy import select

from app.api import conflict, paginate_select
from app.api.writes import check_version, writing
from app.auth.guards import require
from app.auth.roles import Permission
from app.db import get_session
from programmes.api.common import API_FIELD_NAMES, blp, only_visible, programme_or_404
from programmes.models import Programme
from programmes.schemas import (
    BudgetLineInputSchema, BudgetLineSchema, ProgrammeDetailSchema, ProgrammeQuerySchema, ProgrammeSchema,
)
from programmes.services import queries
from programmes.services.programmes import set_budget_line

TAGS = ["Programmes"]
CODE = "<string(maxlength=30):code>"


@dataclass
class ProgrammeDetail:
    """A programme with its budget lines and the totals of the projection."""

    programme: Programme
    budget_lines: list
    totals: list
    totals_pending_events: int

    def __getattr__(self, name):
        return getattr(self.programme, name)


@blp.route("/programmes", tags=TAGS)
class Programmes(MethodView):
    decorators = [require(Permission.VIEW_PORTFOLIO)]

    @blp.arguments(ProgrammeQuerySchema, location="query")
    @blp.response(200, ProgrammeSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List programmes (those you may see), filtered by kind, partner country and policy area."""
        stmt = select(Programme).order_by(Programme.code)
        if args.get("kind"):
            stmt = stmt.where(Programme.kind == args["kind"])
        if args.get("country"):
            stmt = stmt.where(Programme.partner_country == args["country"])
        if args.get("policy_area"):
            stmt = stmt.where(Programme.policy_area == args["policy_area"])
        return paginate_select(get_session(), only_visible(stmt, Programme.id), pagination_parameters)


@blp.route(f"/programmes/{CODE}", tags=TAGS)
class ProgrammeResource(MethodView):
    decorators = [require(Permission.VIEW_PORTFOLIO)]

    @blp.response(200, ProgrammeDetailSchema)
    @blp.errors(403, 404)
    def get(self, code):
        """One programme with its budget lines and planned/committed/disbursed per year.

        The totals come from a projection kept up to date in the background;
        ``totals_pending_events`` says how many events it has still to count.
        """
        session = get_session()
        programme = programme_or_404(session, code, Permission.VIEW_PORTFOLIO)
        return ProgrammeDetail(programme, queries.budget_lines(session, programme.id),
                               queries.year_totals(session, programme), queries.pending_total_updates(session))


@blp.route(f"/programmes/{CODE}/budget-lines", tags=["Budget lines"])
class BudgetLines(MethodView):
    decorators = [require(Permission.VIEW_PORTFOLIO)]

    @blp.response(200, BudgetLineSchema(many=True))
    @blp.errors(403, 404)
    def get(self, code):
        """The budget lines of a programme, by year and sector."""
        session = get_session()
        programme = programme_or_404(session, code, Permission.VIEW_PORTFOLIO)
        return queries.budget_lines(session, programme.id)

    @require(Permission.EDIT_BUDGET)
    @blp.arguments(BudgetLineInputSchema)
    @blp.response(200, BudgetLineSchema)
    @blp.errors(403, 404, 409)
    def put(self, data, code):
        """Set the planned amount (EUR) of a year, for the whole programme (sector "") or one sector.

        Setting the amount it already has changes nothing and records no event.
        """
        with writing(API_FIELD_NAMES) as session:
            programme = programme_or_404(session, code, Permission.EDIT_BUDGET)
            if "version" in data:
                _check_line_version(session, programme, data)
            line = set_budget_line(session, programme, data["year"], data["planned_amount"], data["sector"])
        return line


def _check_line_version(session, programme: Programme, data: dict) -> None:
    line = queries.budget_line(session, programme.id, data["year"], data["sector"])
    if line is None:
        conflict(f"You sent version {data['version']} of a budget line that does not exist.", "version")
    check_version(line, data["version"])
