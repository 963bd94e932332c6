"""Exports: the OECD CRS workbook, the yearly ODA reports and budget execution (xlsx),
produced in the background with progress, every file kept with its SHA-256."""
from __future__ import annotations

import os


def init_app(app, api) -> None:
    from app.api import register_blueprint
    from app.auth.roles import Permission
    from app.web import add_nav_item
    from exports.api import blp
    from exports.cli import export_cli
    from exports import submission_views  # noqa: F401  (its routes join the exports blueprint)
    from exports.iati_views import public_bp as iati_public_bp
    from exports.crs.year_blockers import register as register_year_blockers
    from exports.iati.identity import LANGUAGE_SETTING as IATI_LANGUAGE_SETTING, SETTING as IATI_ORGANISATION_SETTING
    from exports.iati.identity import file_language, organisation_identifier
    from exports.services import submission
    from exports.views import bp

    app.config.setdefault("AIDLEDGER_CRS_DRAFT_DATE", os.environ.get("AIDLEDGER_CRS_DRAFT_DATE", "03-01"))
    app.config.setdefault("AIDLEDGER_EXPORT_STALE_MINUTES",
                          int(os.environ.get("AIDLEDGER_EXPORT_STALE_MINUTES", "30")))
    # the CRS workbook's cells are written by a second process (exports/writer_process.py);
    # 0 writes them in the exporting process
    app.config.setdefault("AIDLEDGER_EXPORT_WRITER_PROCESS", os.environ.get("AIDLEDGER_EXPORT_WRITER_PROCESS") != "0")
    for setting in (IATI_ORGANISATION_SETTING, IATI_LANGUAGE_SETTING):
        app.config.setdefault(setting, os.environ.get(setting, ""))
    organisation_identifier(app.config)  # a wrong IATI setting stops the start, with its reason
    file_language(app.config)
    submission.register()
    app.register_blueprint(bp)
    app.register_blueprint(iati_public_bp)
    register_blueprint(api, blp)
    app.cli.add_command(export_cli)
    register_year_blockers()
    add_nav_item(app, "exports.reports", "ODA reports", Permission.EXPORT_REPORTS, order=50)
    add_nav_item(app, "exports.budget", "Budget execution", Permission.VIEW_PORTFOLIO, order=55)
    add_nav_item(app, "exports.queue", "Exports", Permission.VIEW_PORTFOLIO, order=60)
