"""One activity: attributes with the names of their codes, transactions with their ODA
classification, policy markers, history, and the edit form."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from app.auth.guards import require
from app.auth.roles import Permission
from app.db import get_session, unit_of_work
from app.errors import ValidationError
from app.web.pagination import page_args
from app.web.reads import render_after_reads
from programmes import hooks
from programmes.models.enums import CRS_FLAGS, POLICY_MARKERS, TransactionKind
from programmes.services import queries
from programmes.services.activities import update_activity
from programmes.services.queries.codes import code_choices, code_info
from programmes.services.queries.commitments import commitment_check
from programmes.views import bp
from programmes.views.forms import (ACTIVITY_FORM_FIELDS, MARKER_FIELDS, OBJECTIVE_CHOICES,
                                    REPAYMENT_FREQUENCY_CHOICES, REPAYMENT_TYPE_CHOICES, STATUS_CHOICES,
                                    TIED_STATUS_CHOICES, ActivityForm)
from programmes.views.labels import MARKER_SCORES

TRANSACTIONS_PER_PAGE = 25
#: the attributes shown with the name of their code, and the reference list that names it
CODED_ATTRIBUTES = (
    ("recipient_code", "recipient"), ("purpose_code", "purpose_code"), ("aid_type", "aid_type"),
    ("channel_code", "channel_code"), ("flow_type", "flow_type"), ("finance_type", "finance_type"),
    ("bi_multi", "bi_multi"),
)


#: the code fields of the form offered as a searchable list of the codes in force
PICKED_ATTRIBUTES = ("recipient_code", "purpose_code", "aid_type", "channel_code")
MAX_ACTIVITY_YEARS = 30


def _code_choices(session, activity) -> dict[str, list]:
    """{field: codes valid in the activity's years, then the withdrawn ones} for the form's pickers."""
    first = activity.start_date.year if activity.start_date else date.today().year
    last = activity.end_date.year if activity.end_date else first
    years = list(range(first, max(first, min(last, first + MAX_ACTIVITY_YEARS)) + 1))
    lists = dict(CODED_ATTRIBUTES)
    return {attr: code_choices(session, lists[attr], years) for attr in PICKED_ATTRIBUTES}


#: form fields typed as text and stored as numbers
WHOLE_NUMBER_FIELDS = ("loan_repayment_type", "loan_repayments_per_year")
RATE_FIELDS = ("loan_interest_rate_1", "loan_interest_rate_2")


class StaleEdit(Exception):
    """The activity changed since the user loaded the form."""


def _programme_of(code: str) -> int | None:
    activity = queries.activity_by_code(get_session(), code)
    return None if activity is None else activity.programme_id


@bp.route("/activities/<code>")
@require(Permission.VIEW_PORTFOLIO, programme_from=_programme_of)
def activity(code):
    found = queries.activity_by_code(get_session(), code)
    return _render(found, ActivityForm(data=_form_data(found)))


@bp.route("/activities/<code>", methods=["POST"])
@require(Permission.EDIT_ACTIVITY, programme_from=_programme_of)
def save_activity(code):
    found = queries.activity_by_code(get_session(), code)
    form = ActivityForm(request.form)
    if found is not None:
        form.commitment_amount.currency = found.currency
    if not form.validate():
        return _render(found, form, status=422)
    try:
        with unit_of_work() as session:
            if str(found.version) != (form.version.data or ""):
                raise StaleEdit()
            diff = update_activity(session, found, **_changes(form))
    except ValidationError as err:
        get_session().rollback()
        field = form._fields.get(err.field or "")
        (field.errors.append(err.message) if field is not None else form.form_errors.append(err.message))
        return _render(queries.activity_by_code(get_session(), code), form, status=422)
    except (StaleEdit, StaleDataError):
        get_session().rollback()
        return _render_stale(code, form)
    if diff:
        flash(_("The activity is saved: %(count)s field(s) changed.", count=len(diff)), "success")
    else:
        flash(_("Nothing changed: the activity already had these values."), "info")
    return redirect(url_for("programmes.activity", code=code))


def _changes(form: ActivityForm) -> dict:
    values = {name: form[name].data for name in ACTIVITY_FORM_FIELDS}
    for name in MARKER_FIELDS:
        values[name] = None if values[name] is None else int(values[name])
    for name in WHOLE_NUMBER_FIELDS:
        values[name] = None if values[name] is None else int(values[name])
    for name in RATE_FIELDS:
        values[name] = None if values[name] is None else Decimal(values[name].replace(",", "."))
    return values


def _form_data(activity) -> dict:
    if activity is None:
        return {}
    data = {name: getattr(activity, name) for name in ACTIVITY_FORM_FIELDS}
    for name in MARKER_FIELDS:
        data[name] = "" if data[name] is None else str(data[name])
    for name in WHOLE_NUMBER_FIELDS + RATE_FIELDS:
        data[name] = None if data[name] is None else format(Decimal(data[name]).normalize(), "f")
    data["version"] = activity.version
    return data


def _render_stale(code: str, form: ActivityForm):
    """Keep what the user typed, arm the form with the current version, say what happened."""
    current = queries.activity_by_code(get_session(), code)
    form.version.data = str(current.version)
    form.form_errors.append(_("Someone else changed this activity while you were editing it. Your values are "
                              "kept in the form; compare them with the page above and save again to "
                              "replace the other change."))
    return _render(current, form, status=409)


def _render(activity, form: ActivityForm, status: int = 200):
    if activity is None:
        abort(404)
    session = get_session()
    kind = request.args.get("kind") if request.args.get("kind") in set(TransactionKind) else None
    page, per_page = page_args(request.args, TRANSACTIONS_PER_PAGE, 100)
    transactions = queries.activity_transactions(session, activity.id, page, per_page, kind)
    year = activity.commitment_date.year if activity.commitment_date else None
    can_edit = g.user.can(Permission.EDIT_ACTIVITY, programme_id=activity.programme_id)
    context = {
        "activity": activity,
        "detail": queries.activity_detail(session, activity),
        "commitment": commitment_check(session, activity.id),
        "codes": {attr: code_info(session, list_name, getattr(activity, attr), year)
                  for attr, list_name in CODED_ATTRIBUTES},
        "transactions": transactions,
        "kind": kind,
        "oda": hooks.activity_classification(session, activity.id, [t.id for t in transactions.items]),
        "markers": [(name, getattr(activity, f"marker_{name}"), highest) for name, highest in POLICY_MARKERS.items()],
        "flags": [(name, column, getattr(activity, f"flag_{name}")) for name, column in CRS_FLAGS.items()],
        "form": form,
        "code_choices": _code_choices(session, activity) if can_edit else {},
        "status_choices": STATUS_CHOICES,
        "objective_choices": OBJECTIVE_CHOICES,
        "tied_status_choices": TIED_STATUS_CHOICES,
        "repayment_type_choices": REPAYMENT_TYPE_CHOICES,
        "repayment_frequency_choices": REPAYMENT_FREQUENCY_CHOICES,
        "marker_choices": lambda highest: [(str(s), f"{s} – {MARKER_SCORES[s]}") for s in range(highest + 1)],
        "can_edit": can_edit,
        "can_audit": g.user.can(Permission.VIEW_AUDIT),
        "can_review": g.user.can(Permission.REVIEW_ODA, programme_id=activity.programme_id),
    }
    return render_after_reads("programmes/activity.html", **context), status
