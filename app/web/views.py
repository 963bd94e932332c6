from flask import Blueprint, render_template

from app.auth.guards import require

bp = Blueprint("web", __name__)


@bp.route("/")
@require(None)
def home():
    return render_template("home.html")
