"""Recording what became of a batch: the counts, the status, the events, and the result
of every row that has something to say.

A row that only created a ledger line (a bulk kind's plain new row) is implied by the
batch and its line, and a plain unchanged row of a batch that changed nothing (a
re-saved file uploaded again) by the batch's count; neither is stored. The per-row
answer puts them back (``importers.services.queries.rows_query``).
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.bulk import driver_insert, insert_rows
from app.db import utcnow
from app.events import publish
from importers.headers import ColumnMap
from importers.kinds.base import FAILED, IMPORTED, UNCHANGED, UPDATED, WARNING, RowResult
from importers.models import ImportBatch
from app.messages import Said, render
from app.values import jsonable_cell

ACCEPT_VALID_ROWS, ALL_OR_NOTHING = "accept_valid_rows", "all_or_nothing"
MODES = (ALL_OR_NOTHING, ACCEPT_VALID_ROWS)
#: a row without findings needs only these columns (the others stay NULL)
PLAIN_COLUMNS = ("batch_id", "row_number", "outcome", "key", "entity_id")
IMPORT_ROWS = sa.table(
    "import_rows",
    sa.column("batch_id", sa.Integer), sa.column("row_number", sa.Integer), sa.column("outcome", sa.String),
    sa.column("severity", sa.String), sa.column("column", sa.String), sa.column("reason", sa.Text),
    sa.column("findings", sa.JSON(none_as_null=True)), sa.column("key", sa.String),
    sa.column("entity_id", sa.String), sa.column("raw", sa.JSON(none_as_null=True)),
)


def finding_text(row: RowResult, columns: ColumnMap) -> str:
    """All findings of a row as one line: 'Bedrag: not an amount …; Munt: …'."""
    return "; ".join(f"{columns.label(f.field)}: {english(f.reason)}" if f.field else english(f.reason)
                     for f in row.findings or ())


def english(reason: str) -> str:
    """A reason as stored in ``reason``: in English when it is a message (the reader's language is
    chosen when it is shown, from the finding's ``message``), else as written."""
    return str(render(reason.message)) if isinstance(reason, Said) else reason


def record_results(session: Session, batch: ImportBatch, columns: ColumnMap, rows: list[RowResult],
                   new_rows_implied: bool = False) -> None:
    """``new_rows_implied``: the kind's new rows are answered from the lines they created."""
    _count(batch, rows)
    batch.status = _status(batch)
    batch.message = _summary(batch)
    batch.headers = columns.headers
    batch.columns = columns.as_json()
    batch.progress_rows = batch.total_rows
    batch.finished_at = utcnow()
    width = max(len(columns.headers), max(columns.positions.values()) + 1)
    driver_insert(session, "import_rows", PLAIN_COLUMNS, (
        (batch.id, row.row_number, row.outcome, None if row.key is None else str(row.key)[:120], row.entity_id)
        for row in rows if not row.findings and not _implied(batch, row, new_rows_implied)))
    insert_rows(session, IMPORT_ROWS, [_row_record(batch.id, row, columns, width) for row in rows if row.findings])
    session.flush()
    _publish_outcome(session, batch)


def _finding(finding, columns: ColumnMap) -> dict:
    data = {"severity": finding.severity, "column": columns.label(finding.field), "reason": english(finding.reason)}
    if isinstance(finding.reason, Said):
        data["message"] = finding.reason.message
    return data


def _implied(batch: ImportBatch, row: RowResult, new_rows_implied: bool) -> bool:
    """A plain row the batch (and its line) already answers for."""
    if row.outcome == UNCHANGED:
        return batch.status == "up_to_date"
    return new_rows_implied and row.outcome == IMPORTED and row.entity_id is not None and batch.written


def _row_record(batch_id: int, row: RowResult, columns: ColumnMap, width: int) -> dict:
    findings = row.findings or ()
    first = findings[0] if findings else None
    many = len(findings) > 1
    messages = any(isinstance(f.reason, Said) for f in findings)
    return {
        "batch_id": batch_id, "row_number": row.row_number, "outcome": row.outcome, "severity": row.severity,
        "column": columns.label(first.field) if first else None,
        "reason": (finding_text(row, columns) if many else english(first.reason)) if first else None,
        "findings": [_finding(f, columns) for f in findings] if many or messages else None,
        "key": None if row.key is None else str(row.key)[:120],
        "entity_id": row.entity_id,
        "raw": _raw_cells(row.raw, width) if row.has_error else None,
    }


def _raw_cells(cells, width: int) -> list | None:
    """The cells of an error row as read, as JSON keeps them (for the error-row workbook)."""
    if cells is None:
        return None
    cells = list(cells[:width])
    return [jsonable_cell(c) for c in cells + [None] * (width - len(cells))]


def _count(batch: ImportBatch, rows: list[RowResult]) -> None:
    outcomes = {IMPORTED: 0, UPDATED: 0, UNCHANGED: 0, FAILED: 0}
    warnings = 0
    for row in rows:
        outcomes[row.outcome] = outcomes.get(row.outcome, 0) + 1
        if row.findings and any(f.severity == WARNING for f in row.findings):
            warnings += 1
    batch.total_rows = len(rows)
    batch.imported_count, batch.updated_count = outcomes[IMPORTED], outcomes[UPDATED]
    batch.unchanged_count, batch.error_count = outcomes[UNCHANGED], outcomes[FAILED]
    batch.warning_count = warnings


def should_write(batch: ImportBatch, errors: int) -> bool:
    return not batch.dry_run and (errors == 0 or batch.mode == ACCEPT_VALID_ROWS)


def _status(batch: ImportBatch) -> str:
    if batch.dry_run:
        return "checked"
    changed = batch.imported_count + batch.updated_count
    if batch.error_count and (batch.mode == ALL_OR_NOTHING or not changed):
        return "rejected"
    if not changed:
        return "up_to_date"
    return "partially_imported" if batch.error_count else "imported"


def _summary(batch: ImportBatch) -> str:
    counts = (f"{batch.imported_count:,} new, {batch.updated_count:,} updated, "
              f"{batch.unchanged_count:,} unchanged")
    warnings = f"; {batch.warning_count:,} rows with warnings" if batch.warning_count else ""
    errors = f"{batch.error_count:,} of {batch.total_rows:,} rows have errors"
    if batch.status == "checked":
        verdict = f"{errors}." if batch.error_count else "no errors: the file can be imported."
        return f"Checked only, nothing was written: {counts}{warnings}; {verdict}"
    if batch.status == "rejected":
        hint = "" if batch.mode == ACCEPT_VALID_ROWS else " Fix them, or choose to import only the valid rows."
        return f"Nothing was imported: {errors}.{hint}"
    if batch.status == "partially_imported":
        return (f"Imported the valid rows ({counts}{warnings}). {errors} and were not imported: "
                "download them, fix and upload again.")
    if batch.status == "up_to_date":
        return f"Nothing to change: all {batch.total_rows:,} rows are already imported and unchanged{warnings}."
    return f"Imported {batch.total_rows:,} rows: {counts}{warnings}."


def _publish_outcome(session: Session, batch: ImportBatch) -> None:
    if batch.dry_run or batch.status not in ("imported", "partially_imported", "up_to_date", "rejected"):
        return
    event = "ImportBatchRejected" if batch.status == "rejected" else "ImportBatchAccepted"
    publish(session, event, "ImportBatch", batch.id, {
        "kind": batch.kind, "filename": batch.filename, "sha256": batch.sha256, "status": batch.status,
        "mode": batch.mode, "counts": batch.counts()}, correlation_id=f"import-{batch.id}")
