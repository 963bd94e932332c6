"""Read side: batch history and a batch's row results, for the page, the API and the CLI."""
from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.web.pagination import Page
from importers.models import ImportBatch, ImportRow

OUTCOMES = ("imported", "updated", "unchanged", "error")


def batches_query(kind: str | None = None, status: str | None = None) -> Select:
    stmt = select(ImportBatch).order_by(ImportBatch.id.desc())
    if kind:
        stmt = stmt.where(ImportBatch.kind == kind)
    if status:
        stmt = stmt.where(ImportBatch.status == status)
    return stmt


def rows_query(batch_id: int, outcome: str | None = None, severity: str | None = None) -> Select:
    stmt = select(ImportRow).where(ImportRow.batch_id == batch_id).order_by(ImportRow.row_number)
    if outcome:
        stmt = stmt.where(ImportRow.outcome == outcome)
    if severity:
        stmt = stmt.where(ImportRow.severity == severity)
    return stmt


def rows_errors_first(session: Session, batch_id: int, page: int, per_page: int) -> Page:
    """One page of a batch's rows, the rows with errors first (by row number), then the others.

    Two index reads (batch and outcome, batch and row number) instead of sorting every row of a
    large batch on each page.
    """
    errors = session.scalar(select(func.count()).select_from(ImportRow)
                            .where(ImportRow.batch_id == batch_id, ImportRow.outcome == "error")) or 0
    total = session.scalar(select(func.count()).select_from(ImportRow).where(ImportRow.batch_id == batch_id)) or 0
    start, end = (page - 1) * per_page, page * per_page
    items = []
    if start < errors:
        items += session.scalars(rows_query(batch_id, "error").offset(start).limit(min(end, errors) - start))
    if end > errors:
        others = rows_query(batch_id).where(ImportRow.outcome != "error")
        items += session.scalars(others.offset(max(0, start - errors)).limit(end - max(start, errors)))
    return Page(items=list(items), number=page, per_page=per_page, total=total, has_next=end < total)


def progress_of(batch: ImportBatch) -> dict:
    """What the progress bar shows while the job works."""
    total = batch.total_rows or None
    percent = None if not total else min(100, round(100 * batch.progress_rows / total))
    return {"id": batch.id, "status": batch.status, "pending": batch.pending, "progress_rows": batch.progress_rows,
            "total_rows": batch.total_rows, "percent": percent, "message": batch.message, "counts": batch.counts()}


def batch_summary(batch: ImportBatch) -> dict:
    return {
        "id": batch.id, "kind": batch.kind, "filename": batch.filename, "sha256": batch.sha256,
        "status": batch.status, "mode": batch.mode, "dry_run": batch.dry_run, "message": batch.message,
        "error_code": batch.error_code, "counts": batch.counts(), "duplicate_of": batch.duplicate_of_id,
        "uploaded_by": batch.uploaded_by,
        "created_at": batch.created_at.isoformat() if batch.created_at else None,
        "finished_at": batch.finished_at.isoformat() if batch.finished_at else None,
    }


def row_summary(row: ImportRow) -> dict:
    return {"row": row.row_number, "outcome": row.outcome, "severity": row.severity, "column": row.column,
            "reason": row.reason, "findings": row.findings, "key": row.key, "entity_id": row.entity_id}


def snapshot(session, batch: ImportBatch, with_rows: bool = False) -> dict:
    """The batch and (optionally) every row result as plain data, e.g. before a dry run is rolled back."""
    session.flush()
    result = batch_summary(batch)
    if with_rows:
        result["rows"] = [row_summary(r) for r in session.scalars(rows_query(batch.id))]
    return result
