"""Shared web layer: layout, navigation, formatting filters, errors, languages."""
from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import Babel, force_locale, get_locale

from app.web import errors, filters, i18n, request_ids, security_headers
from app.web.views import set_home_page  # noqa: F401 - part of this package's interface

#: the languages a user can choose; each is formatted with the conventions of ``FORMAT_LOCALES``
LANGUAGES = ("en", "nl")
#: Flemish users read Belgian Dutch: € 1.234,56 and 5/03/2024 (Babel's nl_BE)
FORMAT_LOCALES = {"en": "en", "nl": "nl_BE"}
LANGUAGE_NAMES = {"en": "English", "nl": "Nederlands"}
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    permission: str | None
    order: int


def add_nav_item(app: Flask, endpoint: str, label: str, permission=None, order: int = 50) -> None:
    """Packages add their pages to the main navigation from their init_app.

    ``label`` is an English msgid; the layout translates it (the extraction
    keyword ``add_nav_item:3`` puts it in the catalogs).
    """
    app.extensions.setdefault("aidledger.nav", []).append(NavItem(endpoint, label, permission, order))


def _language() -> str:
    """The signed-in user's language, else the session's, else the browser's; English
    outside a request (commands and jobs write their messages in English)."""
    if not has_request_context():
        return "en"
    user = g.get("user")
    if user is not None and user.locale in LANGUAGES:
        return user.locale
    if session.get("locale") in LANGUAGES:
        return session["locale"]
    return request.accept_languages.best_match(LANGUAGES) or "en"


def _select_locale() -> str:
    """The locale Babel formats and translates with: nl_BE finds the ``nl`` catalog."""
    return FORMAT_LOCALES[_language()]


def language_of_environment() -> str:
    """"nl" when the shell's language is Dutch (LANG=nl_BE.UTF-8 …), else "en"."""
    value = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    return "nl" if value.lower().startswith("nl") else "en"


def language_option(help_text: str):
    """``--lang en|nl`` of a command that says something to people; without it, the shell's
    language (LANG)."""
    import click

    return click.option("--lang", type=click.Choice(LANGUAGES),
                        callback=lambda _ctx, _param, value: value or language_of_environment(),
                        help=f"{help_text} (default: from LANG).")


@contextmanager
def speaking(language: str | None):
    """A command that says something to people (``--lang``) says it in ``language``, by default
    the shell's, and writes numbers and dates as a page in that language would."""
    with current_app.test_request_context("/"), force_locale(FORMAT_LOCALES[language or language_of_environment()]):
        yield


def current_language() -> str:
    """"en" or "nl": the language the page is written in."""
    return str(get_locale().language) if get_locale() is not None else "en"


def html_lang() -> str:
    """The page's lang attribute (BCP 47): "en" or "nl-BE"."""
    locale = get_locale()
    return "en" if locale is None else str(locale).replace("_", "-")


def has_endpoint(name: str) -> bool:
    """Templates link to another package's page only when that page exists."""
    return name in current_app.view_functions


def visible_nav_items(app: Flask, user) -> list[NavItem]:
    """The entries ``user`` may open. An entry naming an endpoint that does not exist is
    left out (and logged) rather than breaking every page; a test lists such entries."""
    if user is None:
        return []
    items = sorted(app.extensions.get("aidledger.nav", []), key=lambda i: i.order)
    missing = [i.endpoint for i in items if i.endpoint not in app.view_functions]
    if missing:
        log.warning("navigation entries without a page: %s", ", ".join(missing))
    return [i for i in items if i.endpoint in app.view_functions
            and (i.permission is None or user.can(i.permission))]


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", i18n.compiled_directory(app))
    request_ids.init_app(app)
    security_headers.init_app(app)
    Babel(app, locale_selector=_select_locale)
    app.jinja_env.globals.update(get_locale=get_locale, current_language=current_language, html_lang=html_lang,
                                 has_endpoint=has_endpoint, language_names=LANGUAGE_NAMES)
    filters.init_app(app)
    errors.init_app(app)
    i18n.init_app(app)
    from app.events.views import bp as audit_bp
    from app.events.labels import event_label, field_label
    from app.events.views import describe_payload
    from app.scheduler.views import bp as jobs_bp
    from app.web.views import bp

    app.jinja_env.globals["describe_payload"] = describe_payload
    app.jinja_env.globals["event_label"] = event_label
    app.jinja_env.globals["field_label"] = field_label
    app.register_blueprint(bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(jobs_bp)
    from app.auth.roles import Permission

    add_nav_item(app, "scheduler_pages.job_runs", "Job runs", Permission.VIEW_JOBS, order=85)
    add_nav_item(app, "events.audit", "Audit trail", Permission.VIEW_AUDIT, order=90)
    add_nav_item(app, "users.index", "Users and roles", Permission.MANAGE_USERS, order=95)

    @app.context_processor
    def navigation():
        return {"nav_items": visible_nav_items(app, g.get("user")), "languages": LANGUAGES}
