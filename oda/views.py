"""ODA pages: one transaction's classification, reference data (the review queue: ``oda.views_reviews``)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from app.auth.guards import require
from app.auth.roles import Permission
from app.db import get_session, unit_of_work
from app.errors import ValidationError
from app.web.pagination import page_args, paginate
from oda.forms import OverrideForm
from oda.models import ReferenceSet, ReportingYear
from oda.reference.lists import LISTS
from oda.rules.messages import RULE_LABELS, reason_text
from oda.reference.services import entry_as_dict, loaded_lists, reference_select
from oda.services.overrides import MissingCrsItems, missing_crs_items, override_classification
from oda.services.queries import explain, programme_of_transaction
from oda.services.rates_check import current_reporting_year
from oda.services.year_status import checked_year, year_status

bp = Blueprint("oda", __name__, template_folder="templates", url_prefix="/oda")


def _programme_of(transaction_id: int) -> int | None:
    return programme_of_transaction(get_session(), transaction_id)


@bp.app_context_processor
def _labels():
    return {"rule_label": lambda name: _(RULE_LABELS.get(name, name)), "rule_reason": said_reason}


def said_reason(reason: dict) -> str:
    """A rule's stored reason in the reader's language (once per explanation shown, not per line)."""
    return reason_text(reason, _)


@bp.route("/year-close")
@require(Permission.VIEW_ODA_STATUS)
def year_close():
    """What stands between the officer and the year's final CRS file, each with its fix."""
    try:
        year = checked_year(request.args.get("year") or current_reporting_year())
    except ValidationError:
        abort(404)
    session = get_session()
    return render_template("oda/year_close.html", status=year_status(session, year),
                           deadline=session.get(ReportingYear, year))


@bp.route("/transactions/<bigid:transaction_id>")
@require(Permission.VIEW_PORTFOLIO, programme_from=_programme_of)
def transaction_classification(transaction_id):
    return _render_classification(transaction_id, OverrideForm())


def _render_classification(transaction_id: int, form: OverrideForm, status: int = 200):
    session = get_session()
    explanation = explain(session, transaction_id)
    if explanation is None:
        abort(404)
    missing = ", ".join(_(item.label) for item in missing_crs_items(session, transaction_id))
    return render_template("oda/classification.html", x=explanation, form=form, missing_items=missing), status


@bp.route("/transactions/<bigid:transaction_id>/override", methods=["POST"])
@require(Permission.REVIEW_ODA, programme_from=_programme_of)
def override_submit(transaction_id):
    form = OverrideForm(request.form)
    valid = form.validate()
    if form.action.data == "set_share" and not form.share.data and not form.share.errors:
        form.share.errors = [_("Give the eligible share as a percentage.")]
        valid = False
    if not valid:
        return _render_classification(transaction_id, form, 422)
    share = f"{form.share.data} %" if form.action.data == "set_share" else None
    try:
        with unit_of_work() as session:
            override_classification(session, transaction_id, form.action.data, form.reason.data, share)
    except MissingCrsItems as exc:
        form.action.errors = [_("Activity %(code)s lacks these CRS mandatory items: %(items)s. Complete the "
                                "activity first; until then the line cannot be made ODA.", code=exc.activity_code,
                                items=", ".join(_(item.label) for item in exc.items))]
        return _render_classification(transaction_id, form, 422)
    except ValidationError as exc:
        getattr(form, exc.field, form.action).errors = [exc.message]
        return _render_classification(transaction_id, form, 422)
    except StaleDataError:
        flash(_("Someone else decided on this line meanwhile; see the current decision below."), "error")
        return redirect(url_for("oda.transaction_classification", transaction_id=transaction_id))
    flash(_("Your decision is recorded."), "success")
    return redirect(url_for("oda.transaction_classification", transaction_id=transaction_id))


@bp.route("/reference")
@require(Permission.VIEW_PORTFOLIO)
def reference_overview():
    session = get_session()
    versions = session.scalars(select(ReferenceSet).order_by(ReferenceSet.id.desc()).limit(30)).all()
    return render_template("oda/reference.html", lists=loaded_lists(session), versions=versions)


@bp.route("/reference/<string(maxlength=40):list_name>")
@require(Permission.VIEW_PORTFOLIO)
def reference_list(list_name):
    spec = LISTS.get(list_name)
    stmt = reference_select(list_name) if list_name != "versions" else None
    if stmt is None:
        abort(404)
    session = get_session()
    page, per_page = page_args(request.args, default_per_page=100, max_per_page=500)
    rows = paginate(session, stmt, page, per_page)
    rows.items = [entry_as_dict(item) for item in rows.items]
    columns = [c for c in (rows.items[0].keys() if rows.items else []) if c not in ("description",)]
    total_sets = session.scalar(select(func.count()).select_from(ReferenceSet).where(
        ReferenceSet.list_name == list_name))
    return render_template("oda/reference_list.html", list_name=list_name,
                           title=spec.title if spec else _("Exchange rates"), rows=rows, columns=columns,
                           versions=total_sets)
