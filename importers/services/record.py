"""Recording what became of a batch: the counts, the status, the events, and the result
of every row that has something to say.

A row that only created a ledger line (a bulk kind's plain new row) is implied by the
batch and its line, and a plain unchanged row of a batch that changed nothing (a
re-saved file uploaded again) by the batch's count; neither is stored. The per-row
answer puts them back (``importers.services.queries.rows_query``).
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import format_number, gettext
from sqlalchemy.orm import Session

from app.bulk import driver_insert, insert_rows
from app.db import utcnow
from app.events import publish
from importers.headers import ColumnMap
from importers.kinds import get_kind
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
    batch.message = summary(batch)
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


def summary(batch: ImportBatch) -> str:
    """What the import did, in the current language (stored with the batch as written at import
    time, and worded again in the reader's language where the pages show it), then what the
    file held that its kind does not import."""
    outcome = _outcome(batch)
    if not batch.not_imported:
        return outcome
    return " ".join([outcome, *get_kind(batch.kind).not_imported_notes(batch.not_imported)])


def _outcome(batch: ImportBatch) -> str:
    n = {"new": format_number(batch.imported_count), "updated": format_number(batch.updated_count),
         "unchanged": format_number(batch.unchanged_count), "errors": format_number(batch.error_count),
         "rows": format_number(batch.total_rows), "warned": format_number(batch.warning_count)}
    counts = gettext("%(new)s new, %(updated)s updated, %(unchanged)s unchanged", **n)
    warnings = gettext("; %(warned)s rows with warnings", **n) if batch.warning_count else ""
    errors = gettext("%(errors)s of %(rows)s rows have errors", **n)
    if batch.status == "checked":
        verdict = f"{errors}." if batch.error_count else gettext("no errors: the file can be imported.")
        return gettext("Checked only, nothing was written: %(counts)s%(warnings)s; %(verdict)s", counts=counts,
                       warnings=warnings, verdict=verdict)
    if batch.status == "rejected":
        hint = "" if batch.mode == ACCEPT_VALID_ROWS else gettext(
            " Fix them, or choose to import only the valid rows.")
        return gettext("Nothing was imported: %(errors)s.%(hint)s", errors=errors, hint=hint)
    if batch.status == "partially_imported":
        return gettext("Imported the valid rows (%(counts)s%(warnings)s). %(errors)s and were not imported: "
                       "download them, fix and upload again.", counts=counts, warnings=warnings, errors=errors)
    if batch.status == "up_to_date":
        return gettext("Nothing to change: all %(rows)s rows are already imported and unchanged%(warnings)s.",
                       rows=n["rows"], warnings=warnings)
    return gettext("Imported %(rows)s rows: %(counts)s%(warnings)s.", rows=n["rows"], counts=counts,
                   warnings=warnings)


#: the batch states ``summary`` words
SUMMARISED = frozenset({"checked", "rejected", "partially_imported", "up_to_date", "imported"})


def waiting() -> str:
    """An upload's message until the import job takes it up."""
    return gettext("Waiting for the import job.")


def _publish_outcome(session: Session, batch: ImportBatch) -> None:
    if batch.dry_run or batch.status not in ("imported", "partially_imported", "up_to_date", "rejected"):
        return
    event = "ImportBatchRejected" if batch.status == "rejected" else "ImportBatchAccepted"
    publish(session, event, "ImportBatch", batch.id, {
        "kind": batch.kind, "filename": batch.filename, "sha256": batch.sha256, "status": batch.status,
        "mode": batch.mode, "counts": batch.counts()}, correlation_id=f"import-{batch.id}")
