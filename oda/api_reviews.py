"""/api/v1/review-groups: the review queue by cause, group decisions and their undo."""
from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.api import abort, conflict, unprocessable
from app.api.scope import programme_scope
from app.auth.guards import require
from app.auth.roles import Permission
from app.db import get_session, unit_of_work
from oda.api import _missing_details, blp
from oda.models import GroupDecision
from oda.schemas import (GroupDecisionInputSchema, GroupDecisionSchema, ReviewGroupQuerySchema, ReviewGroupSchema,
                         UndoInputSchema)
from oda.services.group_decisions import decide_group, undo_group_decision
from oda.services.overrides import MissingCrsItems
from oda.services.review_groups import GroupFilter, group_page
from programmes.models import Activity, Programme
from app.errors import ValidationError


def _scope() -> frozenset[int] | None:
    scope = programme_scope(Permission.REVIEW_ODA)
    return None if scope is None else frozenset(scope)


def _in_scope(activity_id: int) -> None:
    """404 for an activity that does not exist or lies outside the officer's programmes."""
    programme_id = get_session().scalar(select(Activity.programme_id).where(Activity.id == activity_id))
    scope = _scope()
    if programme_id is None or (scope is not None and programme_id not in scope):
        abort(404, message=f"There is no activity {activity_id}.")


@blp.route("/review-groups", tags=["ODA review"])
class ReviewGroups(MethodView):
    decorators = [require(Permission.REVIEW_ODA)]

    @blp.arguments(ReviewGroupQuerySchema, location="query")
    @blp.response(200, ReviewGroupSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Open review groups (an activity's open lines of a year sharing the rules' reasons), the largest
        amount in EUR first; filter by year, programme code, rule, words of a reason and minimum amount."""
        session = get_session()
        programmes = _scope()
        if args.get("programme"):
            found = session.scalar(select(Programme.id).where(Programme.code == args["programme"]))
            programmes = frozenset({found} if found is not None else set()) & (
                programmes if programmes is not None else frozenset({found}))
        wanted = GroupFilter(year=args.get("year"), programme_ids=programmes, rule=args.get("rule"),
                             reason=args.get("reason"), min_amount=args.get("min_amount"))
        page = group_page(session, wanted, pagination_parameters.page, pagination_parameters.page_size)
        pagination_parameters.item_count = page.total
        return [{**g._asdict(), "activity_code": g.activity.code, "activity_title": g.activity.title}
                for g in page.items]


@blp.route("/review-groups/decisions", tags=["ODA review"])
class GroupDecisions(MethodView):
    decorators = [require(Permission.REVIEW_ODA)]

    @blp.arguments(GroupDecisionInputSchema)
    @blp.response(201, GroupDecisionSchema)
    @blp.errors(403, 404, 409)
    def post(self, data):
        """Accept, reject or set the share of a review group, with one reason: the decision applies to the
        activity-year (lines booked later inherit it) and is one ReviewGroupDecided event naming the lines.
        Making the group (partly) ODA while its activity lacks a CRS mandatory item answers 409."""
        _in_scope(data["activity_id"])
        try:
            with unit_of_work() as session:
                decision_id = decide_group(session, data["activity_id"], data["year"], data["explanation_id"],
                                           data["action"], data["reason"], data.get("share")).id
        except MissingCrsItems as exc:
            abort(409, message=exc.message, messages=_missing_details(exc))
        except ValidationError as exc:
            if exc.field == "group":
                abort(404, message=exc.message)
            unprocessable(exc.message, exc.field)
        except StaleDataError:
            conflict("someone else decided on this group meanwhile; read it again")
        return get_session().get(GroupDecision, decision_id)


@blp.route("/review-groups/decisions/<bigid:decision_id>/undo", tags=["ODA review"])
class GroupDecisionUndo(MethodView):
    decorators = [require(Permission.REVIEW_ODA)]

    @blp.arguments(UndoInputSchema)
    @blp.response(200, GroupDecisionSchema)
    @blp.errors(403, 404, 409)
    def post(self, data, decision_id):
        """Undo a current group decision, with a reason (a ReviewGroupDecisionUndone event): the rules'
        outcome holds again for the activity-year."""
        decision = get_session().get(GroupDecision, decision_id)
        if decision is None:
            abort(404, message=f"There is no group decision {decision_id}.")
        _in_scope(decision.activity_id)
        try:
            with unit_of_work() as session:
                undo_group_decision(session, decision_id, data["reason"])
        except ValidationError as exc:
            conflict(exc.message, "decision_id")
        except StaleDataError:
            conflict("someone else changed this decision meanwhile; read it again")
        session = get_session()
        session.expire_all()
        return session.get(GroupDecision, decision_id)
