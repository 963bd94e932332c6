"""The annual draft: on a configured date, the CRS workbook of the previous year.

The job runs daily and acts once the configured day has come, so a scheduler that
was down on that day still makes the draft the next time it runs; a draft the job
already made (or is making) is never made twice. The finished run publishes
``ExportReady`` with ``notify_role: oda_officer``: the ODA officer's notification.
"""
from __future__ import annotations

from datetime import date

from flask import current_app

from exports.models import ExportKind, RunStatus
from exports.services import runs
from exports.services.execute import execute_run

SCHEDULER = "scheduler"
DEFAULT_DRAFT_DATE = "03-01"


def draft_day(year: int, setting: str | None) -> date:
    """The day of ``year`` named by the setting ``MM-DD`` (e.g. ``03-01``)."""
    text = (setting or DEFAULT_DRAFT_DATE).strip()
    try:
        month, day = (int(part) for part in text.split("-"))
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"AIDLEDGER_CRS_DRAFT_DATE must be MM-DD, e.g. 03-01, not {text!r}") from None


def produce_annual_draft(session_factory, today: date | None = None) -> dict:
    today = today or runs.today()
    due = draft_day(today.year, current_app.config.get("AIDLEDGER_CRS_DRAFT_DATE"))
    year = today.year - 1
    if today < due:
        return {"due_on": due.isoformat(), "made": 0}
    with session_factory() as session:
        if runs.scheduled_draft_for(session, year) is not None:
            return {"year": year, "made": 0, "already_made": 1}
        run = runs.new_run(session, ExportKind.CRS, year, requested_by=SCHEDULER, trigger="schedule",
                           status=RunStatus.RUNNING)
        session.commit()
        run_id = run.id
    finished = execute_run(session_factory, run_id)
    return {"year": year, "made": int(finished is not None), "run_id": run_id,
            "crs_rows": (finished.counts or {}).get("crs_rows", 0) if finished else 0}
