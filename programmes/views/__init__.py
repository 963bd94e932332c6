"""Programme pages: the portfolio (start page), one programme, one activity."""
from __future__ import annotations

from flask import Blueprint

from app.web import set_home_page
from programmes.views.labels import templates_globals

bp = Blueprint("programmes", __name__, template_folder="../templates")


@bp.record_once
def _install_home_page(state) -> None:
    set_home_page(state.app, portfolio.portfolio)


@bp.app_context_processor
def _labels():
    return templates_globals()


from programmes.views import activity, portfolio, programme  # noqa: E402,F401 - registers the routes
