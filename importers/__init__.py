"""Finance spreadsheet imports: every row imported or explained, nothing lost, fast."""
from __future__ import annotations


import os

from importers.limits import XLSX_STREAM_ROWS

#: settings of this package, read from the environment like app/config.py does
SETTINGS = {
    "AIDLEDGER_MAX_COMPRESSION_RATIO": ("200", int),
    "AIDLEDGER_IMPORT_INLINE_BYTES": (str(1024 * 1024), int),
    "AIDLEDGER_XLSX_READER": ("calamine", str),
    "AIDLEDGER_XLSX_STREAM_ROWS": (str(XLSX_STREAM_ROWS), int),
}


def _configure(app) -> None:
    for name, (default, cast) in SETTINGS.items():
        app.config.setdefault(name, cast(os.environ.get(name) or default))


def init_app(app, api) -> None:
    from app.api import register_blueprint
    from app.auth.roles import Permission
    from app.web import add_nav_item
    from importers import models  # noqa: F401 - tables known to the metadata
    from importers.api import blp
    from importers.cli import import_command
    from importers.views import bp

    _configure(app)
    app.register_blueprint(bp)
    register_blueprint(api, blp)
    app.cli.add_command(import_command)
    add_nav_item(app, "importers.index", "Imports", Permission.RUN_IMPORTS, order=40)
