from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.auth.current import login_user, logout_user
from app.auth.guards import public, require
from app.auth.models import User
from app.db import get_session

bp = Blueprint("auth", __name__, template_folder="templates")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if request.method == "POST":
        email = (request.form.get("email") or "").strip().lower()[:254]
        password = request.form.get("password") or ""
        user = get_session().scalar(select(User).where(func.lower(User.email) == email))
        if user is not None and user.active and user.check_password(password):
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Unknown e-mail address or wrong password."), "error")
        return render_template("auth/login.html", email=email), 401
    return render_template("auth/login.html", email="")


@bp.route("/logout", methods=["POST"])
@require(None)
def logout():
    logout_user()
    return redirect(url_for("auth.login"))


def _safe_next(target: str | None) -> str:
    """Only redirect inside this site after login."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("web.home")
