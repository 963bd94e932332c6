"""Grant schemes: calls, applications, assessments, decisions, commitments, tranches, payments."""
from __future__ import annotations


def init_app(app, api) -> None:
    from app.api import register_blueprint
    from app.auth.roles import Permission
    from app.web import add_nav_item
    from grants import cli, events, jobs  # noqa: F401 - registers handlers, jobs and commands
    from grants.api import blp
    from grants.views import bp

    app.register_blueprint(bp)
    register_blueprint(api, blp)
    app.cli.add_command(cli.grants_cli)
    add_nav_item(app, "grants.overview", "Grants", Permission.VIEW_PORTFOLIO, 30)


def load_demo(session) -> dict:
    from grants.demo import load

    return load(session)
