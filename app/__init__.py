"""Application factory: the one place that knows every package."""
from __future__ import annotations

import importlib
import logging
from pathlib import Path

from flask import Flask
from sqlalchemy.orm import configure_mappers
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import INSTANCE_DIR, load_config
from app.db import Database, close_session, init_request_transactions
from app.events.bus import install_session_hooks
from app.packages import DOMAIN_PACKAGES

REPO_ROOT = Path(__file__).resolve().parent.parent


def create_app(config_overrides: dict | None = None) -> Flask:
    _check_import_location()
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), template_folder="web/templates",
                static_folder="web/static")
    app.config.update(load_config())
    if config_overrides:
        app.config.update(config_overrides)
    if app.config.get("AIDLEDGER_PROXY_HOPS"):
        # behind nginx: the client's address (sign-in throttling) and scheme come from X-Forwarded-*
        hops = app.config["AIDLEDGER_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its INFO lines only with a command's --verbose

    db = Database(app.config["DATABASE_URL"], **app.config.get("DATABASE_ENGINE_OPTIONS", {}))
    app.extensions["aidledger.db"] = db
    install_session_hooks(db.Session)
    app.teardown_appcontext(close_session)

    from app import auth, cli, routing, web
    from app.api import init_api

    routing.init_app(app)
    web.init_app(app)
    init_request_transactions(app)  # before the sign-in, which reads the session
    auth.init_app(app)
    api = init_api(app)
    cli.init_app(app)
    for name in DOMAIN_PACKAGES:
        importlib.import_module(name).init_app(app, api)
    cli.add_verbose_option(app)
    configure_mappers()  # at start: the first request or job does not pay for it, nor meets a mapping error
    return app


def _check_import_location() -> None:
    """Our top-level names are generic; refuse to run someone else's ``app``."""
    here = Path(__file__).resolve()
    if REPO_ROOT not in here.parents:
        raise RuntimeError(f"app imported from {here}, outside the repository")
