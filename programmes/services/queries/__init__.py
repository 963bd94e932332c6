"""Read side of the programme pages, the API and the reports.

Totals come from projections kept by event handlers (``programme_year_totals``,
``activity_year_totals``), never from summing the ledger per request.
"""
from programmes.services.queries.activity import (ActivityDetail, activity_by_code, activity_detail,
                                                  activity_transactions)
from programmes.services.queries.portfolio import (PortfolioFilter, ProgrammeSummary, default_year,
                                                   filter_options, grand_total, portfolio)
from programmes.services.queries.programme import (YearTotals, activities_page, budget_line, budget_line_by_id,
                                                   budget_lines, partners, pending_total_updates,
                                                   programme_by_code, programme_id_by_code, recent_events,
                                                   year_totals)
from programmes.services.queries.totals import ZERO, Totals

__all__ = [
    "ActivityDetail", "PortfolioFilter", "ProgrammeSummary", "Totals", "YearTotals", "ZERO", "activities_page",
    "activity_by_code", "activity_detail", "activity_transactions", "budget_line", "budget_line_by_id",
    "budget_lines", "default_year", "filter_options", "grand_total", "partners", "pending_total_updates", "portfolio",
    "programme_by_code", "programme_id_by_code", "recent_events", "year_totals",
]
