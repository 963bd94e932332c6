"""The review queue by cause: review groups, their lines, group decisions, fixing codes at the source."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.api.scope import programme_scope
from app.auth.guards import require
from app.auth.roles import Permission
from app.db import get_session, unit_of_work
from app.web.pagination import page_args
from oda.forms import ActivityCodesForm, DeadlineForm, GroupFilterForm, OverrideForm, UndoDecisionForm
from oda.models import GroupDecision, ReportingYear
from oda.services.deadlines import open_reviews, set_deadline
from oda.services.group_decisions import current_decision, decide_group, undo_group_decision
from oda.services.overrides import MissingCrsItems
from oda.services.pending import pending_counts
from oda.services.review_groups import GroupFilter, group_lines, group_page, group_reasons
from oda.services.review_pages import code_options, decision_lines, programme_choices
from oda.services.source_fix import fix_activity_codes, fixable_fields
from oda.views import RULE_LABELS, bp
from programmes.models import Activity
from programmes.views.forms import OBJECTIVE_CHOICES
from app.errors import ValidationError

#: a group decision's states as the officer reads them
DECISION_STATES = {"active": _l("active"), "needs_reconfirmation": _l("needs re-confirmation"),
                   "superseded": _l("superseded"), "undone": _l("undone")}
GROUP = "/reviews/groups/<id:activity_id>/<year:year>/<bigid:explanation_id>"


def _programme_of_activity(activity_id: int, **_args) -> int | None:
    return get_session().scalar(select(Activity.programme_id).where(Activity.id == activity_id))


def _programme_of_decision(decision_id: int) -> int | None:
    return get_session().scalar(select(Activity.programme_id)
                                .join(GroupDecision, GroupDecision.activity_id == Activity.id)
                                .where(GroupDecision.id == decision_id))


def _code_labels() -> dict:
    """What the codes form names its fields and offers as main objectives."""
    return {"objective_choices": OBJECTIVE_CHOICES,
            "code_labels": {"recipient_code": _("Recipient"), "purpose_code": _("Purpose code"),
                            "aid_type": _("Type of aid"), "channel_code": _("Channel of delivery")}}


def _filter() -> GroupFilter:
    form = GroupFilterForm(request.args)
    form.validate()
    scope = programme_scope(Permission.REVIEW_ODA)
    programme = None if form.programme.errors else form.programme.data
    programmes = frozenset(scope) if scope is not None else None
    if programme is not None:
        programmes = frozenset({programme} & (programmes if programmes is not None else {programme}))
    return GroupFilter(year=None if form.year.errors else form.year.data, programme_ids=programmes,
                       rule=(form.rule.data or None) if form.rule.data in RULE_LABELS else None,
                       reason=None if form.reason.errors else (form.reason.data or None),
                       min_amount=None if form.min_amount.errors else form.min_amount.data)


@bp.route("/reviews")
@require(Permission.REVIEW_ODA)
def review_queue_page():
    return _render_queue(DeadlineForm())


def _render_queue(deadline_form: DeadlineForm, status: int = 200):
    session = get_session()
    wanted = _filter()
    page, per_page = page_args(request.args, default_per_page=25, max_per_page=100)
    groups = group_page(session, wanted, page, per_page)
    year = wanted.year
    params = {k: v for k, v in request.args.items() if k in GroupFilterForm().data and v}
    return render_template(
        "oda/review_queue.html", groups=groups, wanted=wanted, params=params, open_groups=groups.open_groups,
        open_lines=groups.open_lines,
        programmes=programme_choices(session, programme_scope(Permission.REVIEW_ODA)), rules=RULE_LABELS,
        fixable=fixable_fields, codes=code_options(session), decide_form=OverrideForm(), **_code_labels(),
        pending=pending_counts(session), open_reviews=open_reviews(session, year) if year else None,
        deadline=session.get(ReportingYear, year) if year else None, deadline_form=deadline_form), status


@bp.route("/reviews/deadline", methods=["POST"])
@require(Permission.REVIEW_ODA)
def save_deadline():
    form = DeadlineForm(request.form)
    if not form.validate():
        return _render_queue(form, 422)
    try:
        with unit_of_work() as session:
            set_deadline(session, form.year.data, form.deadline.data, form.remind_days.data or 30)
    except ValidationError as exc:
        getattr(form, exc.field, form.deadline).errors = [exc.message]
        return _render_queue(form, 422)
    flash(_("The reporting deadline for %(year)s flows is saved.", year=form.year.data), "success")
    return redirect(url_for("oda.review_queue_page", year=form.year.data))


@bp.route(GROUP)
@require(Permission.REVIEW_ODA, programme_from=_programme_of_activity)
def review_group(activity_id, year, explanation_id):
    return _render_group(activity_id, year, explanation_id, OverrideForm(), ActivityCodesForm())


def _render_group(activity_id: int, year: int, explanation_id: int, form: OverrideForm,
                  codes_form: ActivityCodesForm, status: int = 200):
    session = get_session()
    activity = session.get(Activity, activity_id)
    if activity is None:
        abort(404)
    page, per_page = page_args(request.args, default_per_page=50, max_per_page=200)
    reasons = group_reasons(session, explanation_id)
    return render_template(
        "oda/review_group.html", activity=activity, year=year, explanation_id=explanation_id, reasons=reasons,
        lines=group_lines(session, activity_id, year, explanation_id, page, per_page),
        decision=current_decision(session, activity_id, year), form=form, fix_form=codes_form,
        fields=fixable_fields(reasons), codes=code_options(session), **_code_labels()), status


@bp.route(f"{GROUP}/decision", methods=["POST"])
@require(Permission.REVIEW_ODA, programme_from=_programme_of_activity)
def decide_group_submit(activity_id, year, explanation_id):
    form = OverrideForm(request.form)
    valid = form.validate()
    if form.action.data == "set_share" and not form.share.data and not form.share.errors:
        form.share.errors = [_("Give the eligible share as a percentage.")]
        valid = False
    if not valid:
        return _render_group(activity_id, year, explanation_id, form, ActivityCodesForm(), 422)
    share = f"{form.share.data} %" if form.action.data == "set_share" else None
    try:
        with unit_of_work() as session:
            decision = decide_group(session, activity_id, year, explanation_id, form.action.data, form.reason.data,
                                    share)
            decision_id = decision.id
    except MissingCrsItems as exc:
        form.action.errors = [_("Activity %(code)s lacks these CRS mandatory items: %(items)s. Complete the "
                                "activity first; until then the group cannot be made ODA.", code=exc.activity_code,
                                items=", ".join(_(item.label) for item in exc.items))]
        return _render_group(activity_id, year, explanation_id, form, ActivityCodesForm(), 422)
    except ValidationError as exc:
        getattr(form, exc.field, form.action).errors = [exc.message]
        return _render_group(activity_id, year, explanation_id, form, ActivityCodesForm(), 422)
    except StaleDataError:
        flash(_("Someone else decided on this group meanwhile; see the current decision."), "error")
        return redirect(url_for("oda.review_group", activity_id=activity_id, year=year,
                                explanation_id=explanation_id))
    flash(_("Your decision on the group is recorded."), "success")
    return redirect(url_for("oda.group_decision_page", decision_id=decision_id))


@bp.route(f"{GROUP}/codes", methods=["POST"])
@require(Permission.REVIEW_ODA, programme_from=_programme_of_activity)
def fix_codes_submit(activity_id, year, explanation_id):
    form = ActivityCodesForm(request.form)
    if not form.validate():
        return _render_group(activity_id, year, explanation_id, OverrideForm(), form, 422)
    values = {name: value for name, value in form.data.items() if value}
    try:
        with unit_of_work() as session:
            fix_activity_codes(session, activity_id, year, values)
    except ValidationError as exc:
        getattr(form, exc.field, form.recipient_code).errors = [exc.message]
        return _render_group(activity_id, year, explanation_id, OverrideForm(), form, 422)
    flash(_("The activity's codes are saved and its lines classified again."), "success")
    return redirect(url_for("oda.review_queue_page", year=year))


@bp.route("/reviews/decisions/<bigid:decision_id>")
@require(Permission.REVIEW_ODA, programme_from=_programme_of_decision)
def group_decision_page(decision_id):
    return _render_decision(decision_id, UndoDecisionForm())


def _render_decision(decision_id: int, form: UndoDecisionForm, status: int = 200):
    session = get_session()
    decision = session.get(GroupDecision, decision_id)
    if decision is None:
        abort(404)
    page, per_page = page_args(request.args, default_per_page=50, max_per_page=200)
    return render_template("oda/group_decision.html", decision=decision,
                           activity=session.get(Activity, decision.activity_id),
                           lines=decision_lines(session, decision, page, per_page), form=form,
                           state_label=DECISION_STATES.get(decision.state, decision.state)), status


@bp.route("/reviews/decisions/<bigid:decision_id>/undo", methods=["POST"])
@require(Permission.REVIEW_ODA, programme_from=_programme_of_decision)
def undo_decision_submit(decision_id):
    form = UndoDecisionForm(request.form)
    if not form.validate():
        return _render_decision(decision_id, form, 422)
    try:
        with unit_of_work() as session:
            decision = undo_group_decision(session, decision_id, form.reason.data)
            year = decision.year
    except ValidationError as exc:
        form.reason.errors = [exc.message]
        return _render_decision(decision_id, form, 422)
    except StaleDataError:
        flash(_("Someone else changed this decision meanwhile; see it below."), "error")
        return redirect(url_for("oda.group_decision_page", decision_id=decision_id))
    flash(_("The group decision is undone: the rules' outcome holds again."), "success")
    return redirect(url_for("oda.review_queue_page", year=year))
