"""ODA classification: reference data, explainable rules, reviews and scheduled jobs."""
from __future__ import annotations


def init_app(app, api) -> None:
    from app.api import register_blueprint
    from app.auth.roles import Permission
    from app.web import add_nav_item
    from oda import events  # noqa: F401 - registers the handlers
    from oda.services import year_blockers  # noqa: F401 - registers oda's kinds of year blocker
    from oda.api import blp
    from oda.cli import oda_cli, reference_cli
    from oda.views import bp
    from oda import api_reviews, views_reviews  # noqa: F401 - the review queue's routes on bp and blp

    _answer_programme_hooks()
    _answer_message_hooks()
    app.register_blueprint(bp)
    register_blueprint(api, blp)
    app.cli.add_command(oda_cli)
    app.cli.add_command(reference_cli)
    add_nav_item(app, "oda.review_queue_page", "ODA review", Permission.REVIEW_ODA, order=40)
    add_nav_item(app, "oda.year_close", "Year close", Permission.VIEW_ODA_STATUS, order=45)
    add_nav_item(app, "oda.reference_overview", "Reference data", Permission.VIEW_PORTFOLIO, order=80)


def _answer_programme_hooks() -> None:
    """The programme pages' classification panel, CRS code names and review alerts."""
    from oda.reference.choices import code_choices
    from oda.reference.services import code_check
    from oda.services.queries import activity_classification, needs_review_by_programme
    from programmes import hooks

    hooks.activity_classification.answer(activity_classification)
    hooks.code_check.answer(code_check)
    hooks.code_choices.answer(code_choices)
    hooks.open_reviews.answer(needs_review_by_programme)


def _answer_message_hooks() -> None:
    """The names of codes inside stored messages (the rules' reasons), in the reader's language."""
    from app import messages
    from oda.reference.dutch_names import reader_name

    messages.code_name.answer(reader_name)


def after_upgrade(session) -> str:
    """``db upgrade``: the curated reference data shipped with this version, in force from the start."""
    from oda.reference.services import load_curated

    report = load_curated(session)
    changed = ", ".join(r.list_name for r in report.changed)
    return (f"reference data shipped with Aidledger (oda/reference/data): "
            f"{'loaded ' + changed if changed else 'unchanged'}")


def load_demo(session) -> dict:
    """Curated reference data, the reporting deadline of the last full year, a first classification."""
    from oda.demo import load

    return load(session)
