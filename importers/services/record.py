"""Recording what became of a batch: the counts, the status, the events, and the result
of every row that has something to say.

A row that only created a ledger line (a bulk kind's plain new row) is implied by the
batch and its line, and a plain unchanged row of a batch that changed nothing (a
re-saved file uploaded again) by the batch's count; neither is stored. The per-row
answer puts them back (``importers.services.queries.rows_query``).
"""
from __future__ import annotations

from array import array
from typing import Callable, NamedTuple

import sqlalchemy as sa
from flask_babel import format_number, gettext
from sqlalchemy.orm import Session

from app.bulk import CHUNK, driver_insert
from app.sql import insert_rows
from app.db import utcnow
from app.events import publish
from importers.headers import ColumnMap
from importers.kinds import get_kind
from importers.kinds.base import FAILED, IMPORTED, UNCHANGED, UPDATED, WARNING, RowResult
from importers.models import ImportBatch
from app.messages import Said, english, said
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


def record_results(session: Session, batch: ImportBatch, columns: ColumnMap, rows: list[RowResult],
                   new_rows_implied: bool = False) -> None:
    """All of a batch's rows at once (the small kinds); see ``ResultRecorder``."""
    recorder = ResultRecorder(session, batch, columns, new_rows_implied=new_rows_implied)
    recorder.add(rows)
    recorder.finish()


def _finding(finding, columns: ColumnMap) -> dict:
    data = {"severity": finding.severity, "column": columns.label(finding.field), "reason": english(finding.reason)}
    if isinstance(finding.reason, Said):
        data["message"] = finding.reason.message
    return data


class PendingUnchanged(NamedTuple):
    """Plain unchanged rows not stored yet: row numbers and the ids of their records, 16
    bytes a row (``array``); their keys are read back if they have to be stored."""

    rows: array
    ids: array


class ResultRecorder:
    """The results of a batch's rows as they come, a chunk at a time, then its counts,
    status and outcome event (``finish``).

    ``new_rows_implied`` with ``written``: a plain new row that names its record is not
    stored (the import writes, so the batch will have written). A plain unchanged row is
    held back while nothing has changed or failed: a batch that ends up_to_date stores
    only its count. With ``keys_of(session, ids)`` (the keys of records by id) the held
    rows wait across chunks as ``PendingUnchanged``; without it everything comes in one
    ``add``, which decides at once."""

    def __init__(self, session: Session, batch: ImportBatch, columns: ColumnMap, *, new_rows_implied: bool = False,
                 written: bool = False, keys_of: Callable[[Session, list[int]], dict] | None = None):
        self.session, self.batch, self.columns = session, batch, columns
        self.implied_new = new_rows_implied and written
        self.keys_of = keys_of
        self.width = max(len(columns.headers), max(columns.positions.values()) + 1)
        self.outcomes = {IMPORTED: 0, UPDATED: 0, UNCHANGED: 0, FAILED: 0}
        self.total = self.warnings = 0
        self.pending = PendingUnchanged(array("q"), array("q"))

    def add(self, rows: list[RowResult]) -> None:
        """Count ``rows`` and store those with something to say."""
        for row in rows:
            self.outcomes[row.outcome] = self.outcomes.get(row.outcome, 0) + 1
            if row.findings and any(f.severity == WARNING for f in row.findings):
                self.warnings += 1
        self.total += len(rows)
        quiet = self._may_be_up_to_date()
        if not quiet:
            self._store_pending()
        plain = []
        for row in rows:
            if row.findings or (self.implied_new and row.outcome == IMPORTED and row.entity_id is not None):
                continue
            if quiet and row.outcome == UNCHANGED:
                if self.keys_of is not None:
                    self.pending.rows.append(row.row_number)
                    self.pending.ids.append(int(row.entity_id))
                continue
            plain.append((self.batch.id, row.row_number, row.outcome, _key(row.key), row.entity_id))
        driver_insert(self.session, "import_rows", PLAIN_COLUMNS, plain)
        insert_rows(self.session, IMPORT_ROWS, [_row_record(self.batch.id, row, self.columns, self.width)
                                                for row in rows if row.findings])

    def finish(self) -> None:
        """The batch's counts, status and summary, and its outcome event."""
        batch = self.batch
        batch.total_rows = self.total
        batch.imported_count, batch.updated_count = self.outcomes[IMPORTED], self.outcomes[UPDATED]
        batch.unchanged_count, batch.error_count = self.outcomes[UNCHANGED], self.outcomes[FAILED]
        batch.warning_count = self.warnings
        batch.status = _status(batch)
        if batch.status != "up_to_date":
            self._store_pending()
        batch.say(summary(batch))
        batch.headers = self.columns.headers
        batch.columns = self.columns.as_json()
        batch.progress_rows = batch.total_rows
        batch.finished_at = utcnow()
        self.session.flush()
        _publish_outcome(self.session, batch)

    def _may_be_up_to_date(self) -> bool:
        """Nothing changed or failed so far, and the batch is not a check."""
        outcomes = self.outcomes
        return not self.batch.dry_run and not (outcomes[IMPORTED] or outcomes[UPDATED] or outcomes[FAILED])

    def _store_pending(self) -> None:
        pending = self.pending
        for start in range(0, len(pending.rows), CHUNK):
            numbers, ids = pending.rows[start:start + CHUNK], pending.ids[start:start + CHUNK]
            keys = self.keys_of(self.session, list(ids))
            driver_insert(self.session, "import_rows", PLAIN_COLUMNS, [
                (self.batch.id, number, UNCHANGED, _key(keys.get(line_id)), str(line_id))
                for number, line_id in zip(numbers, ids)])
        del pending.rows[:], pending.ids[:]


def _key(key) -> str | None:
    return None if key is None else str(key)[:120]


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
        "key": _key(row.key),
        "entity_id": row.entity_id,
        "raw": _raw_cells(row.raw, width) if row.has_error else None,
    }


def _raw_cells(cells, width: int) -> list | None:
    """The cells of an error row as read, as JSON keeps them (for the error-row workbook)."""
    if cells is None:
        return None
    cells = list(cells[:width])
    return [jsonable_cell(c) for c in cells + [None] * (width - len(cells))]


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


def waiting() -> Said:
    """An upload's message until the import job takes it up."""
    return said("Waiting for the import job.")


def _publish_outcome(session: Session, batch: ImportBatch) -> None:
    if batch.dry_run or batch.status not in ("imported", "partially_imported", "up_to_date", "rejected"):
        return
    event = "ImportBatchRejected" if batch.status == "rejected" else "ImportBatchAccepted"
    publish(session, event, "ImportBatch", batch.id, {
        "kind": batch.kind, "filename": batch.filename, "sha256": batch.sha256, "status": batch.status,
        "mode": batch.mode, "counts": batch.counts()}, correlation_id=f"import-{batch.id}")
