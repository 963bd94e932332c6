"""Shared web layer: layout, navigation, formatting filters, errors, languages."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, g, request, session
from flask_babel import Babel

from app.web import errors, filters


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    permission: str | None
    order: int


def add_nav_item(app: Flask, endpoint: str, label: str, permission=None, order: int = 50) -> None:
    """Packages add their pages to the main navigation from their init_app."""
    app.extensions.setdefault("aidledger.nav", []).append(NavItem(endpoint, label, permission, order))


def _select_locale() -> str:
    languages = ("en", "nl")
    user = g.get("user")
    if user is not None and user.locale in languages:
        return user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or "en"


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=_select_locale)
    filters.init_app(app)
    errors.init_app(app)
    from app.web.views import bp

    app.register_blueprint(bp)

    @app.context_processor
    def navigation():
        user = g.get("user")
        items = sorted(app.extensions.get("aidledger.nav", []), key=lambda i: i.order)
        visible = [i for i in items if user is not None and (i.permission is None or user.can(i.permission))]
        return {"nav_items": visible}
