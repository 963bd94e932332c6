"""Overview, calls and the list of applications."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy.orm import selectinload

from app.auth.guards import check, require, visible_programme_ids
from app.auth.roles import Permission
from app.db import get_session, unit_of_work
from app.errors import ValidationError
from app.web.pagination import page_args, paginate
from grants.access import application_view, programme_of_call
from grants.models import Application, Call, Scheme
from grants.models.enums import ApplicationStatus
from grants.schemas.forms import CallForm
from grants.services.calls import open_call
from grants.services.common import today
from grants.services.overview import applications_query, call_figures, calls_query, overview, schemes
from grants.views import StepFailed, _, bp, domain_failure, parse, user


@bp.route("/", endpoint="overview")
@require(Permission.VIEW_PORTFOLIO)
def overview_page():
    """Open calls, overdue reports and the tranches they block, reminders, ledger mismatches."""
    data = overview(get_session(), visible_programme_ids(), today())
    return render_template("grants/overview.html", data=data, today=today())


@bp.route("/calls")
@require(Permission.VIEW_PORTFOLIO)
def calls():
    session = get_session()
    rows = [call_figures(session, c) for c in session.scalars(calls_query(visible_programme_ids()))]
    manageable = [s for s in schemes(session, visible_programme_ids())
                  if user().can(Permission.MANAGE_GRANTS, programme_id=s.programme_id)]
    return render_template("grants/calls.html", rows=rows, manageable=manageable)


@bp.route("/calls/new", methods=["GET", "POST"])
@require(Permission.MANAGE_GRANTS)
def new_call():
    """Open a call under a scheme of a programme you manage."""
    session = get_session()
    choices = [s for s in schemes(session, visible_programme_ids()) if s.active
               and user().can(Permission.MANAGE_GRANTS, programme_id=s.programme_id)]
    if request.method == "GET":
        return render_template("grants/call_form.html", schemes=choices, form={}, error=None)
    try:
        data = parse(CallForm())
        scheme = session.get(Scheme, data.pop("scheme_id"))
        if scheme is None:
            raise StepFailed(_("Choose a scheme."), "scheme_id", 422)
        check(Permission.MANAGE_GRANTS, scheme.programme_id)
        try:
            with unit_of_work() as session:
                call = open_call(session, scheme, **data)
        except ValidationError as exc:
            raise domain_failure(exc) from None
    except StepFailed as failure:
        return render_template("grants/call_form.html", schemes=choices, form=request.form,
                               error=failure), failure.status
    flash(_("Call %(code)s is open.", code=call.code), "success")
    return redirect(url_for("grants.call", call_id=call.id))


@bp.route("/calls/<id:call_id>")
@require(Permission.VIEW_PORTFOLIO, programme_from=programme_of_call)
def call(call_id):
    session = get_session()
    found = session.get(Call, call_id)
    if found is None:
        abort(404)
    stmt = applications_query(None, call_id=call_id).options(selectinload(Application.person),
                                                             selectinload(Application.organisation))
    rows = [application_view(a, user()) for a in session.scalars(stmt)]
    return render_template("grants/call.html", figures=call_figures(session, found), rows=rows,
                           can_manage=user().can(Permission.MANAGE_GRANTS, programme_id=found.scheme.programme_id))


@bp.route("/applications")
@require(Permission.VIEW_PORTFOLIO)
def applications():
    """All applications you may see, filtered by scheme, call, status or reference/title."""
    session = get_session()
    filters = {"scheme_id": _int_arg("scheme_id"), "call_id": _int_arg("call_id"),
               "status": request.args.get("status") if request.args.get("status") in set(ApplicationStatus) else None,
               "search": (request.args.get("q") or "").strip()[:100] or None}
    stmt = applications_query(visible_programme_ids(), **filters).options(selectinload(Application.person),
                                                                          selectinload(Application.organisation))
    page = paginate(session, stmt, *page_args(request.args))
    page.items = [application_view(a, user()) for a in page.items]
    visible = schemes(session, visible_programme_ids())
    return render_template("grants/applications.html", page=page, filters=filters, schemes=visible,
                           statuses=list(ApplicationStatus),
                           creatable=[s for s in visible if s.active and user().can(
                               Permission.MANAGE_GRANTS, programme_id=s.programme_id)])


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 12 else None
