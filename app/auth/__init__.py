"""Authentication and authorisation shared by every package."""
from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    from app.auth.admin_views import bp as users_bp
    from app.auth.current import load_current_user
    from app.auth.sessions import install_session_end_hooks
    from app.auth.views import bp

    install_session_end_hooks(app.extensions["aidledger.db"].Session)
    csrf.init_app(app)
    app.before_request(load_current_user)
    app.register_blueprint(bp)
    app.register_blueprint(users_bp)
