"""Sign in, sign out, and the choice of language."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.auth.current import login_user, logout_user
from app.auth.guards import public, require
from app.auth.models import User
from app.auth.services import set_locale
from app.db import get_session, unit_of_work

bp = Blueprint("auth", __name__, template_folder="templates")

MAX_EMAIL = 254
MAX_PASSWORD = 1024


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    next_url = _safe_next(request.args.get("next"))
    if request.method == "POST":
        email = (request.form.get("email") or "").strip().lower()[:MAX_EMAIL]
        password = (request.form.get("password") or "")[:MAX_PASSWORD]
        user = get_session().scalar(select(User).where(func.lower(User.email) == email))
        if user is not None and user.active and user.check_password(password):
            login_user(user)
            return redirect(next_url)
        # One message for every failure: no hint whether the address exists or is disabled.
        flash(_("Unknown e-mail address or wrong password."), "error")
        return render_template("auth/login.html", email=email), 401
    if g.get("user") is not None:
        return redirect(next_url)
    return render_template("auth/login.html", email="")


@bp.route("/logout", methods=["POST"])
@require(None)
def logout():
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
@public
def language():
    """Switch between Dutch and English; remembered on the user, or in the session."""
    locale = request.form.get("locale", "")
    if locale in ("en", "nl"):
        user = g.get("user")
        if user is not None:
            with unit_of_work() as db:
                set_locale(db, user, locale)
        session["locale"] = locale
    return redirect(_safe_next(request.form.get("next")))


def _safe_next(target: str | None) -> str:
    """Only redirect to a path on this site after login.

    Browsers read ``/\\evil.example`` as ``//evil.example`` and drop tabs and
    newlines inside URLs, so backslashes and control characters are refused too.
    """
    if target and len(target) <= 2000 and _is_local_path(target):
        return target
    return url_for("web.home")


def _is_local_path(target: str) -> bool:
    if "\\" in target or any(ord(c) < 33 or ord(c) == 127 for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//")
