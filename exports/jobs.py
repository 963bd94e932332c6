"""Scheduled jobs of the exports package (run by ``flask scheduler run``)."""
from __future__ import annotations

from app.db import get_db
from app.auth.roles import Permission
from app.scheduler.registry import scheduled_job
from exports.services.annual import produce_annual_draft
from exports.services.execute import process_queued
from exports.services.iati_publication import publish_iati


@scheduled_job(id="process_queued_exports", trigger="interval", seconds=5, misfire_grace_time=60,
                concerns=(Permission.EXPORT_REPORTS,))
def process_queued_exports(session) -> dict:
    """Produce the files of exports queued from the browser or the API, with progress."""
    # Like event dispatching: claim, build and store in short transactions of its own,
    # so the browser sees the progress while the file is being written.
    return process_queued(get_db().Session)


@scheduled_job(id="annual_crs_draft", trigger="cron", hour=6, minute=15, misfire_grace_time=12 * 3600,
                concerns=(Permission.EXPORT_REPORTS,))
def annual_crs_draft(session) -> dict:
    """On the configured date (AIDLEDGER_CRS_DRAFT_DATE, MM-DD), the draft CRS workbook of the previous year."""
    return produce_annual_draft(get_db().Session)


@scheduled_job(id="monthly_iati_publication", trigger="cron", day=1, hour=5, minute=45,
                misfire_grace_time=24 * 3600, concerns=(Permission.EXPORT_REPORTS,))
def monthly_iati_publication(session) -> dict:
    """On the first of each month, the IATI activity and organisation files, published when they validate."""
    publication = publish_iati(session, "monthly_iati_publication", trigger="schedule").row
    return {"published": int(publication.published), "refused": int(not publication.published),
            "activities": publication.activity_count, "transactions": publication.transaction_count,
            "errors": publication.error_count, "warnings": publication.warning_count}
