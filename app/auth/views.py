"""Sign in, sign out, and the choice of language."""
from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from app.auth import throttle
from app.auth.current import SESSION_KEY, login_user, logout_user
from app.auth.guards import public, require
from app.auth.models import password_matches
from app.auth.services import get_user_by_email, set_locale
from app.auth.sessions import end_session, start_session
from app.db import unit_of_work

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
        outcome = _attempt(email, password)
        if outcome.session_key is not None:
            login_user(outcome.session_key)
            return redirect(next_url)
        if outcome.wait is not None:
            # The same for every typed address, known or not.
            flash(_("Too many sign-in attempts. Wait %(seconds)d seconds and try again; "
                    "after repeated attempts sign-in is locked for a while (an administrator can unlock it).",
                    seconds=outcome.wait), "error")
            return render_template("auth/login.html", email=email), 429, {"Retry-After": str(outcome.wait)}
        # One message for every failure: no hint whether the address exists or is disabled.
        flash(_("Unknown e-mail address or wrong password."), "error")
        return render_template("auth/login.html", email=email), 401
    if g.get("user") is not None:
        return redirect(next_url)
    return render_template("auth/login.html", email="")


class Attempt(NamedTuple):
    session_key: str | None = None
    wait: int | None = None


def _attempt(email: str, password: str) -> Attempt:
    """Check one sign-in under the throttle; the counts and events commit whatever the outcome."""
    address = request.remote_addr or "unknown"
    keys = throttle.keys_for(email, address)
    with unit_of_work() as db:
        wait = throttle.begin_attempt(db, keys)
        if wait is not None:
            return Attempt(wait=wait)
        user = get_user_by_email(db, email) if email else None
        if password_matches(user, password):
            throttle.attempt_succeeded(db, keys)
            return Attempt(session_key=start_session(db, user))
        throttle.attempt_failed(db, keys, user, address)
    return Attempt()


@bp.route("/logout", methods=["POST"])
@require(None)
def logout():
    with unit_of_work() as db:
        end_session(db, session.get(SESSION_KEY, ""))
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
