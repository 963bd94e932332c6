"""Scheduled jobs of the programme domain (run by ``flask scheduler run``)."""
from __future__ import annotations

from app.auth.roles import Permission
from app.scheduler.registry import scheduled_job
from programmes.services.budget_alerts import check_budget_overruns


@scheduled_job(id="budget_check", trigger="cron", hour=5, minute=0, misfire_grace_time=6 * 3600,
                concerns=(Permission.RECORD_TRANSACTION,))
def budget_check(session) -> dict:
    """Alert on programme-years whose disbursements exceed the year's plan."""
    return check_budget_overruns(session)
