"""One programme: chart and totals, budget lines (editable by its managers), activities,
partners and recent changes."""
from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from app.auth.guards import require
from app.auth.roles import Permission
from app.db import get_session, unit_of_work
from app.errors import ValidationError
from app.web.filters import money
from app.web.pagination import page_args
from app.web.reads import render_after_reads
from programmes.services import queries
from programmes.services.programmes import set_budget_line
from programmes.services.queries import chart
from programmes.services.queries.codes import code_name, sector_names
from programmes.services.queries.programme import MAX_SEARCH, PAGE_HANDLERS, SORTS, collapse_runs
from programmes.views import bp
from programmes.views.chart_data import chart_payload, stack_label
from programmes.views.forms import BudgetLineForm

ACTIVITIES_PER_PAGE = 20
MAX_ACTIVITIES_PER_PAGE = 100
#: the budget-line table a user saw, as sent back by the form (a programme has tens of lines)
MAX_SEEN_CHARS = 20_000


class StaleEdit(Exception):
    """The budget line changed since the user loaded the form."""


def _programme_id(code: str) -> int | None:
    return queries.programme_id_by_code(get_session(), code)


@bp.route("/programmes/<code>")
@require(Permission.VIEW_PORTFOLIO, programme_from=_programme_id)
def detail(code):
    programme = queries.programme_by_code(get_session(), code)
    form = BudgetLineForm()
    line = _line_to_edit(programme.id)
    if line is not None:
        form = BudgetLineForm(data={"year": line.year, "sector": line.sector,
                                    "planned_amount": line.planned_amount, "version": line.version})
    return _render_detail(programme, form, editing=line)


def _line_to_edit(programme_id: int):
    raw = request.args.get("edit", "")
    if not raw.isdigit() or len(raw) > 12:
        return None
    return queries.budget_line_by_id(get_session(), programme_id, int(raw))


@bp.route("/programmes/<code>/budget-lines", methods=["POST"])
@require(Permission.EDIT_BUDGET, programme_from=_programme_id)
def save_budget_line(code):
    programme = queries.programme_by_code(get_session(), code)
    form = BudgetLineForm(request.form)
    if not form.validate():
        return _render_detail(programme, form, status=422)
    sector = form.sector.data or ""
    try:
        with unit_of_work() as session:
            current = queries.budget_line(session, programme.id, form.year.data, sector)
            current_version = None if current is None else current.version
            # the domain rules speak first; a conflict only matters for a valid amount
            set_budget_line(session, programme, form.year.data, form.planned_amount.data, sector)
            if _is_stale(current_version, _version_seen(form, sector)):
                raise StaleEdit()
    except ValidationError as err:
        _attach_error(form, err)
        return _render_detail(programme, form, status=422)
    except (StaleEdit, StaleDataError):
        return _render_stale(programme, form, sector)
    flash(_("The budget line for %(year)s is saved. The totals follow as soon as the scheduler "
            "has processed the change.", year=form.year.data), "success")
    return redirect(url_for("programmes.detail", code=programme.code, _anchor="budget-lines"))


def _version_seen(form: BudgetLineForm, sector: str) -> str | None:
    """The version of the line the user saw: the edited line's, or, from the form for a new
    line, the version the table showed for the same year and sector (setting the plan of a year
    that has one replaces it; only a line that changed or appeared since is a conflict)."""
    if form.version.data:
        return form.version.data
    return seen_lines(form.seen.data).get((form.year.data, sector))


def seen_lines(text: str | None) -> dict[tuple[int, str], str]:
    """{(year, sector): version} of the budget-line table the user saw (``render_seen_lines``)."""
    seen = {}
    for item in (text or "")[:MAX_SEEN_CHARS].split(";"):
        year, _sep, rest = item.partition("/")
        sector, _sep, version = rest.partition("/")
        if year.isdigit() and version.isdigit():
            seen[(int(year), sector)] = version
    return seen


def render_seen_lines(lines) -> str:
    return ";".join(f"{line.year}/{line.sector}/{line.version}" for line in lines)


def _is_stale(seen_version: int | None, submitted_version: str | None) -> bool:
    """True when the line changed since the user loaded the form (or appeared meanwhile)."""
    if not submitted_version:
        return seen_version is not None
    return seen_version is None or str(seen_version) != submitted_version


def _attach_error(form, err: ValidationError) -> None:
    field = form._fields.get(err.field or "")
    if field is None or err.field == "version":
        form.form_errors.append(err.message)
    else:
        field.errors = [*field.errors, err.message]


def _render_stale(programme, form: BudgetLineForm, sector: str):
    """Keep the user's amount and arm the form with the current version: saving again overwrites."""
    line = queries.budget_line(get_session(), programme.id, form.year.data, sector)
    if line is not None:
        form.version.data = str(line.version)
        message = _("Someone else changed this budget line meanwhile: it is now %(amount)s. Your amount "
                    "is kept below; save again to replace it, or change it first.",
                    amount=money(line.planned_amount, line.currency))
    else:
        form.version.data = ""
        message = _("This budget line no longer exists. Save again to create it.")
    form.form_errors.append(message)
    return _render_detail(programme, form, status=409)


def activity_list_args(args) -> dict:
    """Sorting, searching and paging of the activities table, read leniently."""
    sort = args.get("sort") if args.get("sort") in SORTS else "code"
    page, per_page = page_args(args, ACTIVITIES_PER_PAGE, MAX_ACTIVITIES_PER_PAGE)
    search = (args.get("q") or "").strip()[:MAX_SEARCH]
    return {"sort": sort, "descending": args.get("dir") == "desc", "search": search, "page": page,
            "per_page": per_page}


def _render_detail(programme, form: BudgetLineForm, status: int = 200, editing=None):
    if programme is None:
        abort(404)
    session = get_session()
    years = queries.year_totals(session, programme)
    by = chart.BY_SECTOR if request.args.get("stack") == chart.BY_SECTOR else chart.BY_ACTIVITY
    stacks = chart.stacks(session, programme.id, [y.year for y in years], by)
    listing = activity_list_args(request.args)
    lines = queries.budget_lines(session, programme.id)
    page = queries.activities_page(session, programme.id, listing["page"], listing["per_page"], listing["sort"],
                                   listing["descending"], listing["search"])
    context = {
        "programme": programme,
        "country_name": code_name(session, "recipient", programme.partner_country),
        "years": years,
        "scale": max((y.totals.largest for y in years), default=0),
        "total": sum((y.totals for y in years), queries.Totals()),
        "stack_by": by,
        "stacks": stacks,
        "stack_label": lambda s: stack_label(s, by),
        "chart": chart_payload(years, stacks, by),
        "lines": lines,
        "sector_names": sector_names(session, [*(programme.focus_sectors or ()), *(line.sector for line in lines)]),
        "seen_lines": render_seen_lines(lines),
        "activities": page,
        "listing": listing,
        "partners": queries.partners(session, programme.id),
        "recent": collapse_runs(queries.recent_events(session, programme.id)),
        "pending_updates": queries.pending_total_updates(session, PAGE_HANDLERS),
        "form": form,
        "year_options": [(y, y) for y in programme.years],
        "editing": editing,
        "can_edit": g.user.can(Permission.EDIT_BUDGET, programme_id=programme.id),
        "can_audit": g.user.can(Permission.VIEW_AUDIT),
    }
    return render_after_reads("programmes/detail.html", **context), status
