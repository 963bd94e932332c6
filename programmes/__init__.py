"""Programmes, budgets, activities and the transaction ledger."""
from __future__ import annotations


def init_app(app, api) -> None:
    from app.api import register_blueprint
    from programmes import cli  # noqa: F401 - adds `flask demo logins`, answers the programme lookup
    from app.auth.scopes import register_scope_source
    from app.events.names import record_names
    from programmes import events  # noqa: F401 - registers the handlers
    from programmes.services import revaluation  # noqa: F401 - revalues the ledger when a rate changes
    from programmes.api import blp
    from programmes.services.programmes import scope_options
    from programmes.services.queries.names import record_names as programme_record_names
    from programmes.views import bp

    app.register_blueprint(bp)
    register_blueprint(api, blp)
    register_scope_source(app, scope_options)
    record_names.answer(programme_record_names)


def load_demo(session):
    from programmes.demo import load

    return load(session)
