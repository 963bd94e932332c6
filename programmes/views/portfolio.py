"""The start page: every programme the user may see, its year at a glance, and alerts."""
from __future__ import annotations

from datetime import date

from flask import request

from app.auth.guards import check, visible_programme_ids
from app.auth.roles import Permission
from app.db import get_session
from app.web.reads import render_after_reads
from app.web.years import chosen_year, year_from_text
from programmes.services import queries
from programmes.services.queries.alerts import portfolio_alerts
from programmes.services.queries.codes import code_names
from programmes.views.labels import KIND_LABELS, POLICY_AREA_LABELS, label



def _choice(args, name: str, allowed: list[str]) -> str | None:
    """A filter value only when it names something on offer: anything else means "any"."""
    value = (args.get(name) or "").strip()
    return value if value in allowed else None


def portfolio():
    """Rendered by ``web.home`` (``/``): totals from the projections, filtered on the server."""
    check(Permission.VIEW_PORTFOLIO)
    session = get_session()
    visible = visible_programme_ids()
    year = chosen_year(year_from_text(request.args.get("year")),
                       lambda: queries.default_year(session, visible, date.today()))
    options = queries.filter_options(session, visible)
    filters = queries.PortfolioFilter(**{name: _choice(request.args, name, values)
                                         for name, values in options.items()})
    rows = queries.portfolio(session, year, visible, filters)
    year_total, period_total = queries.grand_total(rows)
    countries = code_names(session, "recipient", options["country"], year)
    return render_after_reads(
        "programmes/portfolio.html", rows=rows, year=year, filters=filters, countries=countries,
        choices=_choices(options, countries),
        alerts=portfolio_alerts(session, rows, year, date.today()),
        year_total=year_total, period_total=period_total,
        pending_updates=queries.pending_total_updates(session) if rows else 0,
        params={k: v for k, v in (("year", request.args.get("year")), ("country", filters.country),
                                  ("policy_area", filters.policy_area), ("kind", filters.kind)) if v})


def _choices(options: dict[str, list[str]], countries: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """(value, text) pairs of the filter selects, in the reader's language, sorted by text."""
    return {
        "country": sorted(((c, f"{countries[c]} ({c})" if c in countries else c) for c in options["country"]),
                          key=lambda pair: pair[1]),
        "policy_area": sorted(((a, str(label(POLICY_AREA_LABELS, a))) for a in options["policy_area"]),
                              key=lambda pair: pair[1]),
        "kind": sorted(((k, str(label(KIND_LABELS, k))) for k in options["kind"]), key=lambda pair: pair[1]),
    }
