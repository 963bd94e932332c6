"""ODA part of the demo: the curated reference data, a reporting deadline and a first
classification of the demo ledger (so the review queue has work in it)."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from oda.reference.services import load_curated
from oda.services.classify import classify
from oda.services.deadlines import set_deadline
from oda.services.rates_check import current_reporting_year

#: the demo's deadline for reporting a year's flows: 30 June of the next year (configurable per year)
DEADLINE_MONTH_DAY = (6, 30)


def load(session: Session) -> dict:
    report = load_curated(session)
    year = current_reporting_year()
    set_deadline(session, year, date(year + 1, *DEADLINE_MONTH_DAY), remind_days=60)
    counts = classify(session)
    return {"reference lists changed": len(report.changed), "transactions classified": counts["results_changed"],
            "needing review": counts.get("changed_to_needs_review", 0)}
