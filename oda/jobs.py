"""Scheduled jobs of the ODA package (run by ``flask scheduler run``)."""
from __future__ import annotations

from app.auth.roles import Permission
from app.scheduler.registry import scheduled_job
from oda.services.classify import classify
from oda.services.deadlines import remind_near_deadlines
from oda.services.rates_check import check_rates


@scheduled_job(id="oda_classify_pending", trigger="interval", minutes=5, misfire_grace_time=600,
                concerns=(Permission.REVIEW_ODA,))
def classify_pending(session) -> dict:
    """Classify transactions waiting in the pending-work queue (every 5 minutes)."""
    return classify(session)


@scheduled_job(id="oda_rate_completeness", trigger="cron", hour=6, minute=15, misfire_grace_time=6 * 3600,
                concerns=(Permission.REVIEW_ODA, Permission.MANAGE_RATES))
def rate_completeness(session) -> dict:
    """Alert when the current reporting year has spending without its EUR/USD or currency rate (daily)."""
    return check_rates(session)


@scheduled_job(id="oda_deadline_reminder", trigger="cron", hour=7, minute=0, misfire_grace_time=6 * 3600,
                concerns=(Permission.REVIEW_ODA,))
def deadline_reminder(session) -> dict:
    """Remind the ODA officer when a reporting deadline is near and something blocks the final CRS file,
    naming what (daily)."""
    return remind_near_deadlines(session)
