"""Read side: batch history and a batch's row results, for the page, the API and the CLI."""
from __future__ import annotations

from sqlalchemy import Integer, Select, String, cast, literal, null, select, union_all
from sqlalchemy.orm import aliased

from importers.kinds.base import IMPORTED
from importers.models import ImportBatch, ImportRow
from programmes.services.ledger import batch_lines

OUTCOMES = ("imported", "updated", "unchanged", "error")


def batches_query(kind: str | None = None, status: str | None = None) -> Select:
    stmt = select(ImportBatch).order_by(ImportBatch.id.desc())
    if kind:
        stmt = stmt.where(ImportBatch.kind == kind)
    if status:
        stmt = stmt.where(ImportBatch.status == status)
    return stmt


def rows_query(batch_id: int, outcome: str | None = None, severity: str | None = None) -> Select:
    """Every row result of a batch as ImportRow objects: the stored ones and, for rows that
    only created a ledger line, one made from the line (id: minus the line's id)."""
    stored = select(*ImportRow.__table__.c).where(ImportRow.batch_id == batch_id)
    lines = batch_lines(batch_id).subquery()
    implied = select(-lines.c.id, literal(batch_id, Integer), lines.c.import_row, literal(IMPORTED, String),
                     null(), null(), null(), null(), lines.c.document_number, cast(lines.c.id, String), null()
                     ).where(lines.c.import_row.not_in(select(ImportRow.row_number)
                                                        .where(ImportRow.batch_id == batch_id)))
    row = aliased(ImportRow, union_all(stored, implied).subquery())
    stmt = select(row).order_by(row.row_number)
    if outcome:
        stmt = stmt.where(row.outcome == outcome)
    if severity:
        stmt = stmt.where(row.severity == severity)
    return stmt


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
