"""Browser pages of the grants package (thin: parse the form, call a service, render)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError as FormError

from app.db import get_session
from app.errors import ValidationError
from grants.models import Application
from grants.schemas.forms import first_error

bp = Blueprint("grants", __name__, url_prefix="/grants", template_folder="../templates")


class StepFailed(Exception):
    """A form or a domain rule refused the step: shown to the user next to the form."""

    def __init__(self, message: str, field: str | None, status: int):
        super().__init__(message)
        self.message, self.field, self.status = message, field, status


def parse(schema, data=None) -> dict:
    try:
        return schema.load(dict(data if data is not None else request.form))
    except FormError as exc:
        field, message = first_error(exc.messages)
        raise StepFailed(f"{field}: {message}", field, 422) from None


def domain_failure(exc: ValidationError) -> StepFailed:
    return StepFailed(exc.message, exc.field, getattr(exc, "status", 422))


def get_application(application_id: int) -> Application:
    application = get_session().get(Application, application_id)
    if application is None:
        abort(404)
    return application


def done(message: str, application_id: int, endpoint: str = "grants.application"):
    flash(message, "success")
    return redirect(url_for(endpoint, application_id=application_id))


def user():
    return g.user


__all__ = ["StepFailed", "bp", "domain_failure", "done", "get_application", "parse", "user", "_"]

from grants.views import applications, forms, pages, schedule  # noqa: E402,F401 - registers the routes
from grants.views.labels import STATUS_TONE, grant_word  # noqa: E402 - the grants macros read them

bp.add_app_template_global(grant_word, "grant_word")
bp.add_app_template_global(STATUS_TONE, "status_tone")
