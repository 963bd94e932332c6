"""Read side: batch history and a batch's row results, for the page, the API and the CLI."""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import Integer, Select, String, cast, func, literal, null, select, union_all
from sqlalchemy.orm import Session, aliased

from app.messages import render
from app.web.pagination import Page
from importers.kinds.base import IMPORTED
from importers.models import ImportBatch, ImportRow
from importers.services.record import SUMMARISED, summary
from programmes.services.ledger import batch_lines

OUTCOMES = ("imported", "updated", "unchanged", "error")


def batches_query(kind: str | None = None, status: str | None = None) -> Select:
    stmt = select(ImportBatch).order_by(ImportBatch.id.desc())
    if kind:
        stmt = stmt.where(ImportBatch.kind == kind)
    if status:
        stmt = stmt.where(ImportBatch.status == status)
    return stmt


def rows_query(batch_id: int, outcome: str | None = None, severity: str | None = None,
               other_than: str | None = None) -> Select:
    """Every row result of a batch as ImportRow objects: the stored ones and, for rows that
    only created a ledger line, one made from the line (id: minus the line's id);
    ``other_than``: all but the rows of that outcome."""
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
    if other_than:
        stmt = stmt.where(row.outcome != other_than)
    return stmt


def rows_errors_first(session: Session, batch_id: int, page: int, per_page: int) -> Page:
    """One page of a batch's rows, the rows with errors first (by row number), then the others.

    Two index reads (batch and outcome, batch and row number) instead of sorting every row of a
    large batch on each page.
    """
    errors = session.scalar(select(func.count()).select_from(ImportRow)
                            .where(ImportRow.batch_id == batch_id, ImportRow.outcome == "error")) or 0
    total = session.scalar(select(func.count()).select_from(rows_query(batch_id).subquery())) or 0
    start, end = (page - 1) * per_page, page * per_page
    items = []
    if start < errors:
        items += session.scalars(rows_query(batch_id, "error").offset(start).limit(min(end, errors) - start))
    if end > errors:
        others = rows_query(batch_id, other_than="error")
        items += session.scalars(others.offset(max(0, start - errors)).limit(end - max(start, errors)))
    return Page(items=list(items), number=page, per_page=per_page, total=total, has_next=end < total)


def batch_message(batch: ImportBatch) -> str:
    """The batch's message in the reader's language: what the import did (``record.summary``,
    from its counts), a file imported before (not a failure: it names the import that brought
    it in), or the message kept with the batch (``ImportBatch.say``: why the file was refused,
    why the import stopped, an upload waiting or being read); a batch recorded before its
    message was kept shows its text as stored."""
    if batch.status == "already_imported":
        return gettext("Already imported: the same file was imported before, as import %(id)s. Nothing was done "
                       "and nothing needed to be: the ledger already holds its lines.", id=batch.duplicate_of_id)
    if batch.status in SUMMARISED:
        return summary(batch)
    if batch.message_data:
        return str(render(batch.message_data, gettext))
    return batch.message or ""


def progress_of(batch: ImportBatch) -> dict:
    """What the progress bar shows while the job works."""
    total = batch.total_rows or None
    percent = None if not total else min(100, round(100 * batch.progress_rows / total))
    return {"id": batch.id, "status": batch.status, "pending": batch.pending, "progress_rows": batch.progress_rows,
            "total_rows": batch.total_rows, "percent": percent, "message": batch_message(batch),
            "counts": batch.counts()}


def batch_summary(batch: ImportBatch) -> dict:
    return {
        "id": batch.id, "kind": batch.kind, "filename": batch.filename, "sha256": batch.sha256,
        "status": batch.status, "mode": batch.mode, "dry_run": batch.dry_run, "message": batch_message(batch),
        "error_code": batch.error_code, "counts": batch.counts(), "duplicate_of": batch.duplicate_of_id,
        "uploaded_by": batch.uploaded_by,
        "created_at": batch.created_at.isoformat() if batch.created_at else None,
        "finished_at": batch.finished_at.isoformat() if batch.finished_at else None,
    }


def shown_reason(reason: str | None, findings: list | None, translate=None) -> str:
    """A row's reason in the reader's language (``translate``: gettext), from the messages of its
    ``findings``; a finding stored as text (no message) is shown as it was written."""
    findings = findings or []
    if not any("message" in f for f in findings):
        return reason or ""
    said = [str(render(f["message"], translate)) if "message" in f else f.get("reason") or "" for f in findings]
    if len(findings) == 1:
        return said[0]
    return "; ".join(f"{f['column']}: {text}" if f.get("column") else text for f, text in zip(findings, said))


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
