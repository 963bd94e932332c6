"""The CRS export as a service: its context, the final-version guard, the proof event."""
from __future__ import annotations

from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from app.db import utcnow
from app.events import publish
from app.rates.services import get_rate, provenance
from exports.crs.identifiers import Assignment, assign_crs_ids
from exports.crs.lines import count_open
from exports.crs.rows import CrsContext
from exports.models import ExportRun
from exports.services.runs import ExportError
from exports.services.submission import lock_message, submitted
from programmes.models.enums import TIED_STATUSES

EXPORT_GENERATED = "ExportGenerated"
REPORTING_CURRENCY = "EUR"
UNTIED = "5"


class FinalRefused(ExportError):
    """A final CRS workbook cannot be made yet; ``reasons`` says why."""

    def __init__(self, year: int, reasons: list[str]):
        super().__init__(f"no final CRS export for {year} yet: " + "; ".join(reasons), "final")
        self.reasons = reasons


def crs_context(session: Session, year: int, *, final: bool, generated_by: str, donor_code: str,
                agency_code: str, generated_at: datetime | None = None) -> CrsContext:
    rate = get_rate(session, year, REPORTING_CURRENCY)
    return CrsContext(year=year, donor_code=str(donor_code), agency_code=str(agency_code),
                      currency=REPORTING_CURRENCY, eur_per_usd=rate.units_per_usd if rate else None,
                      rate_source=provenance(rate) if rate else None, generated_by=generated_by,
                      generated_at=generated_at or utcnow(), final=final, default_tied_status=default_tied_status())


def default_tied_status() -> str:
    """The installation's tied status for commitments whose activity states none (5 untied:
    Flemish grants are untied), from AIDLEDGER_DEFAULT_TIED_STATUS."""
    value = current_app.config.get("AIDLEDGER_DEFAULT_TIED_STATUS", UNTIED) if has_app_context() else UNTIED
    if value not in TIED_STATUSES:
        raise ExportError(f"AIDLEDGER_DEFAULT_TIED_STATUS is {value!r}: set it to 3 (partially untied), 4 (tied) "
                          "or 5 (untied)", "configuration")
    return value


def final_refusals(session: Session, year: int, open_counts: dict | None = None) -> list[str]:
    """Why a final export of ``year`` is not possible now (empty: it is)."""
    locked = submitted(session, year)
    if locked is not None:
        return [lock_message(locked)]
    counts = count_open(session, year) if open_counts is None else open_counts
    reasons = []
    if counts.get("needs_review"):
        reasons.append(f"{counts['needs_review']} transaction(s) still need review")
    if counts.get("not_classified"):
        reasons.append(f"{counts['not_classified']} transaction(s) are not classified yet")
    if counts.get("withheld_crs_rows"):
        reasons.append(f"{counts['withheld_crs_rows']} CRS row(s) lack a CRS mandatory item (Needs review sheet)")
    if get_rate(session, year, REPORTING_CURRENCY) is None:
        reasons.append(f"the {REPORTING_CURRENCY}/USD rate of {year} is missing")
    return reasons


def check_final(session: Session, year: int, open_counts: dict | None = None) -> None:
    reasons = final_refusals(session, year, open_counts)
    if reasons:
        raise FinalRefused(year, reasons)


def prepare_crs(session: Session, year: int) -> Assignment:
    """Hand out the CRS ids the year's rows need, in the session's transaction (before a
    read-only build; the export job does it beside the build, see ``BackgroundAssignment``)."""
    return assign_crs_ids(session, year)


def record_generated(session: Session, run: ExportRun) -> None:
    """``ExportGenerated``: the proof of which file was produced (its SHA-256), draft or final."""
    publish(session, EXPORT_GENERATED, "ExportRun", run.id, {
        "kind": run.kind, "year": run.year, "final": run.final, "sha256": run.sha256,
        "size_bytes": run.size_bytes, "file_name": run.file_name, "trigger": run.trigger, "language": run.language,
        "counts": {k: run.counts.get(k) for k in ("crs_rows", "not_oda_rows", "needs_review_rows")},
    })
