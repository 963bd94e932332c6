"""HTML pages for the browser, the stable JSON error shape for the API."""
from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, HTTPException, InternalServerError

log = logging.getLogger(__name__)


def error_body(status: int, code: str, message: str, details=None) -> dict:
    return {"error": {"status": status, "code": code, "message": message, "details": details or {}}}


def _render(exc: HTTPException):
    if request.path.startswith("/api/"):
        details = getattr(exc, "data", {}).get("messages") if hasattr(exc, "data") else None
        code = (exc.name or "error").lower().replace(" ", "_")
        response = jsonify(error_body(exc.code, code, exc.description, details))
        response.status_code = exc.code
        if exc.code == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="aidledger"'
        return response
    try:
        return render_template("error.html", error=exc), exc.code
    except Exception:  # the layout itself failed (e.g. the database is gone): plain text
        log.exception("error page for %s could not be rendered", exc.code)
        return f"{exc.code} {exc.name}", exc.code, {"Content-Type": "text/plain; charset=utf-8"}


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _render)

    @app.errorhandler(CSRFError)
    def csrf_failed(exc):
        exc.description = _("This form has expired or did not come from Aidledger. "
                            "Go back, reload the page and submit it again.")
        return _render(exc)

    @app.errorhandler(413)
    def too_large(exc):
        """Say what the limit is, so the sender knows how far to shrink (AIDLEDGER_MAX_UPLOAD_BYTES)."""
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        if limit:
            exc.description = _("The request is larger than the limit of %(limit)d bytes (%(mib).1f MiB).",
                                limit=limit, mib=limit / 2**20)
            exc.data = {"messages": {"limit_bytes": limit}}
        return _render(exc)

    @app.errorhandler(StaleDataError)
    def stale(_exc):
        return _render(Conflict("Someone else changed this record meanwhile. Reload and try again."))

    @app.errorhandler(Exception)
    def unexpected(exc):
        if isinstance(exc, HTTPException):
            return _render(exc)
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _render(InternalServerError("Something went wrong on our side; it has been logged."))
