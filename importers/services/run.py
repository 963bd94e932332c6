"""Importing one file as one batch, in the caller's single database transaction.

Small kinds are validated whole before anything is decided; their rows become
domain data through the programme services, inside a savepoint that is rolled back
for a check or a rejected file. Spending streams: a chunk of rows is parsed, planned
and written through the ledger's set-based services before the next is read. The
batch, its row results and its events are written in the same transaction, so a
crash anywhere leaves nothing behind.
"""
from __future__ import annotations

import hashlib
import zlib
from contextlib import contextmanager
from typing import Callable

from flask import current_app, g, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bulk import collector_paused
from app.db import utcnow
from app.events.bus import Actor
from app.messages import said
from app.sql import hold_transaction_lock, prepare_bulk_work
from importers.errors import ImportRefused
from importers.kinds import get_kind
from importers.kinds.base import ApplyContext, Kind
from importers.limits import Limits
from importers.models import WRITTEN_STATUSES, ImportBatch
from importers.readers import DEFAULT_XLSX_READER
from importers.services.parse import ParsedFile, parse_file
from importers.services.record import ALL_OR_NOTHING, MODES, ResultRecorder, record_results, should_write

#: the advisory-lock namespace of imports (app.sql.hold_transaction_lock)
IMPORT_LOCK = 7_141_002


def file_digest(path: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def new_batch(session: Session, kind: str, filename: str, sha256: str, size: int, *, mode: str = ALL_OR_NOTHING,
              dry_run: bool = False, uploader=None, uploaded_by: str | None = None,
              status: str = "running", options: dict | None = None) -> ImportBatch:
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}: one of {', '.join(MODES)}")
    batch = ImportBatch(kind=kind, options=kind_options(kind, options), filename=(filename or "upload")[:255],
                        sha256=sha256, size_bytes=size,
                        mode=mode, dry_run=dry_run, status=status,
                        uploader_id=getattr(uploader, "id", None),
                        uploaded_by=(uploaded_by or getattr(uploader, "email", None) or "system")[:254])
    session.add(batch)
    session.flush()
    return batch


def import_file(session: Session, kind: str, path: str, filename: str, *, mode: str = ALL_OR_NOTHING,
                dry_run: bool = False, uploader=None, uploaded_by: str | None = None, limits: Limits | None = None,
                xlsx_reader: str | None = None, batch: ImportBatch | None = None,
                progress: Callable[[int, int | None], None] | None = None, options: dict | None = None) -> ImportBatch:
    """Import ``path`` as a batch of ``kind``; never commits (the caller owns the transaction).

    Returns the batch with its status: imported, partially_imported, up_to_date,
    checked (dry run), rejected, refused (the file itself) or already_imported.
    ``options``: what the kind lets the uploader choose (an IATI file's programme), kept on the batch.
    """
    digest, size = file_digest(path)
    if batch is None:
        batch = new_batch(session, kind, filename, digest, size, mode=mode, dry_run=dry_run, uploader=uploader,
                          uploaded_by=uploaded_by, options=options)
    batch.status, batch.started_at = "running", batch.started_at or utcnow()
    earlier = _earlier_import(session, batch)
    if earlier is not None:
        return _already_imported(batch, earlier)
    return import_parsed(session, batch, read_upload(kind, path, filename, limits, xlsx_reader, progress,
                                                     batch.options))


def kind_options(kind: str, options: dict | None) -> dict | None:
    """The options the kind knows, without blanks; None when there are none."""
    names = get_kind(kind).option_names
    chosen = {name: str(value).strip() for name, value in (options or {}).items()
              if name in names and value is not None and str(value).strip()}
    return chosen or None


def read_upload(kind: str, path: str, filename: str, limits: Limits | None = None, xlsx_reader: str | None = None,
                progress: Callable[[int, int | None], None] | None = None,
                options: dict | None = None) -> ParsedFile | ImportRefused:
    """Read and check the file; no database work. A refusal of the file is returned, not raised."""
    try:
        return parse_file(path, filename, get_kind(kind), limits or _configured_limits(),
                          xlsx_reader or _configured_reader(), progress, options)
    except ImportRefused as exc:
        return exc


def import_parsed(session: Session, batch: ImportBatch, parsed: ParsedFile | ImportRefused) -> ImportBatch:
    """Write what ``read_upload`` found as ``batch``; never commits.

    The same file imported twice at once: the second waits for the first here (a lock
    per kind and file digest until the first transaction ends), then answers
    "already imported" like any later upload of it."""
    if isinstance(parsed, ImportRefused):
        return refuse(batch, parsed)
    hold_transaction_lock(session, IMPORT_LOCK, int(batch.sha256[:15] or "0", 16) ^ zlib.crc32(batch.kind.encode()))
    earlier = _earlier_import(session, batch)
    if earlier is not None:
        return _already_imported(batch, earlier)
    with batch_actor(batch):
        try:
            _apply(session, get_kind(batch.kind), parsed, batch)
        except ImportRefused as exc:  # a bulk kind's file, found wanting while it was read
            return refuse(batch, exc)
    batch.file_format = parsed.format
    return batch


def _apply(session: Session, kind: Kind, parsed: ParsedFile, batch: ImportBatch) -> None:
    ctx = ApplyContext(batch.id, f"import-{batch.id}", cache={"filename": batch.filename},
                       options=dict(batch.options or {}))
    if kind.bulk:
        _stream(session, kind, parsed, batch, ctx)
        return
    rows = parsed.rows
    savepoint = session.begin_nested()
    kind.apply(session, rows, ctx)
    if should_write(batch, _errors(rows)):
        savepoint.commit()
    else:
        savepoint.rollback()
    batch.not_imported = parsed.not_imported or None
    record_results(session, batch, parsed.columns, rows, new_rows_implied=kind.new_rows_implied)


def _stream(session: Session, kind: Kind, parsed: ParsedFile, batch: ImportBatch, ctx: ApplyContext) -> None:
    """A bulk kind, a chunk of rows at a time: each chunk is parsed, planned, written and
    its results recorded before the next is read, so memory does not grow with the file.

    The pass writes as it goes unless the batch is a check. In all-or-nothing mode a row
    error means nothing may be written: the pass is rolled back (a savepoint) and the file
    read again as a check, which gives every row the answer a check gives. A refusal of
    the file found on the way (too many rows, none) rolls the pass back too."""
    prepare_bulk_work(session)
    with collector_paused():
        if not batch.dry_run and _pass_in_savepoint(session, kind, parsed, batch, ctx, write=True):
            return
        _pass_in_savepoint(session, kind, parsed, batch, ctx, write=False)


def _pass_in_savepoint(session: Session, kind: Kind, parsed: ParsedFile, batch: ImportBatch, ctx: ApplyContext,
                       write: bool) -> bool:
    """One pass over the file, kept when it completes, rolled back when it does not."""
    savepoint = session.begin_nested()
    try:
        completed = _one_pass(session, kind, parsed, batch, ctx, write)
    except ImportRefused:
        savepoint.rollback()
        raise
    if completed:
        savepoint.commit()
    else:
        savepoint.rollback()
    return completed


def _one_pass(session: Session, kind: Kind, parsed: ParsedFile, batch: ImportBatch, ctx: ApplyContext,
              write: bool) -> bool:
    """False when an all-or-nothing pass that writes meets a row error (nothing may be written)."""
    stop_at_error = write and batch.mode == ALL_OR_NOTHING
    recorder = ResultRecorder(session, batch, parsed.columns, new_rows_implied=kind.new_rows_implied,
                              written=write, keys_of=kind.keys_of)
    run = kind.start(session, ctx, write)
    chunks = parsed.chunks()
    try:
        for rows in chunks:
            run.plan(rows)
            if stop_at_error and _errors(rows):
                return False
            if write:
                run.write()
                if stop_at_error and _errors(rows):
                    return False
            recorder.add(run.release(rows))
    finally:
        chunks.close()
    recorder.add(run.finish())
    recorder.finish()
    return True


def _errors(rows) -> int:
    return sum(1 for r in rows if r.has_error)


def _earlier_import(session: Session, batch: ImportBatch) -> ImportBatch | None:
    return session.scalar(select(ImportBatch).where(
        ImportBatch.sha256 == batch.sha256, ImportBatch.kind == batch.kind, ImportBatch.id != batch.id,
        ImportBatch.status.in_(WRITTEN_STATUSES)).order_by(ImportBatch.id).limit(1))


def _already_imported(batch: ImportBatch, earlier: ImportBatch) -> ImportBatch:
    batch.status, batch.duplicate_of_id, batch.finished_at = "already_imported", earlier.id, utcnow()
    batch.say(f"Already imported: the same file (SHA-256 {batch.sha256[:12]}…) was imported as batch "
              f"#{earlier.id} on {earlier.created_at:%d/%m/%Y %H:%M} UTC. Nothing was done.")
    return batch


def refuse(batch: ImportBatch, exc: ImportRefused) -> ImportBatch:
    batch.status, batch.error_code, batch.finished_at = "refused", exc.code, utcnow()
    batch.say(exc.message)
    return batch


@contextmanager
def batch_actor(batch: ImportBatch, name: str | None = None):
    """Events of the batch carry ``import-<id>`` as correlation id, whoever publishes them."""
    if not has_app_context():
        yield
        return
    previous = g.get("event_actor")
    name = name or (previous.name if previous else batch.uploaded_by)
    g.event_actor = Actor(name, f"import-{batch.id}")
    try:
        yield
    finally:
        if previous is None:
            g.pop("event_actor", None)
        else:
            g.event_actor = previous


def _configured_limits() -> Limits:
    return Limits.from_config(current_app.config) if has_app_context() else Limits()


def _configured_reader() -> str:
    if has_app_context():
        return current_app.config.get("AIDLEDGER_XLSX_READER", DEFAULT_XLSX_READER)
    return DEFAULT_XLSX_READER


def record_failure(session: Session, kind: str, filename: str, path: str | None, *, mode: str, dry_run: bool,
                   uploader=None, uploaded_by: str | None = None, batch_id: int | None = None) -> ImportBatch:
    """After an unexpected error rolled the import back: say so in the history (new transaction)."""
    batch = session.get(ImportBatch, batch_id) if batch_id else None
    if batch is None:
        digest, size = file_digest(path) if path else ("", 0)
        batch = new_batch(session, kind, filename, digest, size, mode=mode, dry_run=dry_run, uploader=uploader,
                          uploaded_by=uploaded_by)
    batch.status, batch.error_code, batch.finished_at = "failed", "internal_error", utcnow()
    batch.say(said("An unexpected error stopped the import; nothing was imported. The error has been logged."))
    batch.file = None
    return batch
