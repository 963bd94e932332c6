"""Pages of the shared web layer. The home page's content comes from a package."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template

from app.auth.guards import require

bp = Blueprint("web", __name__)

HOME_PAGE_KEY = "aidledger.home_page"


def set_home_page(app, view) -> None:
    """Let a package (programmes) render the start page; the kernel knows no programmes."""
    app.extensions[HOME_PAGE_KEY] = view


@bp.route("/")
@require(None)
def home():
    view = current_app.extensions.get(HOME_PAGE_KEY)
    if view is None:
        return render_template("home.html")
    return view()
