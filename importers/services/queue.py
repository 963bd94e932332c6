"""Large uploads wait in the database for the scheduler's import job, never in a web request.

The job claims one batch at a time with an atomic UPDATE (safe with several
schedulers on both engines), reports progress in short transactions while the
file is parsed, and then imports it in one transaction. Each of these is a session
of its own that ``process_queued`` opens, commits and closes: it owns them. A batch
left running by a killed process is marked interrupted: its single transaction never
committed, so nothing of it was written.
"""
from __future__ import annotations

import logging
import os
import tempfile
from datetime import timedelta
from pathlib import PurePath

from typing import Callable, NamedTuple

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db import utcnow
from app.messages import english, said
from app.sql import is_sqlite
from importers.models import ImportBatch, ImportFile
from importers.services.record import ALL_OR_NOTHING, waiting
from importers.services.run import batch_actor, import_parsed, new_batch, read_upload, record_failure

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=30)


def queue_upload(session: Session, kind: str, content: bytes, filename: str, sha256: str, *,
                 mode: str = ALL_OR_NOTHING, dry_run: bool = False, uploader=None,
                 options: dict | None = None) -> ImportBatch:
    batch = new_batch(session, kind, filename, sha256, len(content), mode=mode, dry_run=dry_run,
                      uploader=uploader, status="queued", options=options)
    batch.say(waiting())
    batch.file = ImportFile(content=content)
    session.flush()
    return batch


def claim_next(session: Session) -> int | None:
    """Move the oldest queued batch to running; None when there is none (or another job won)."""
    oldest = select(ImportBatch.id).where(ImportBatch.status == "queued").order_by(ImportBatch.id).limit(1)
    batch_id = session.scalar(oldest)
    if batch_id is None:
        return None
    reading = said("Reading the file…")
    claimed = session.execute(update(ImportBatch).where(ImportBatch.id == batch_id, ImportBatch.status == "queued")
                              .values(status="running", started_at=utcnow(), message=english(reading),
                                      message_data=reading.message))
    return batch_id if claimed.rowcount == 1 else None


def mark_interrupted(session: Session, now=None) -> int:
    cutoff = (now or utcnow()) - STALE_AFTER
    stale = session.scalars(select(ImportBatch).where(ImportBatch.status == "running",
                                                      ImportBatch.started_at < cutoff)).all()
    for batch in stale:
        batch.status, batch.error_code, batch.finished_at = "failed", "interrupted", utcnow()
        batch.say(said("The import was interrupted (the job stopped); nothing was imported. Upload the file "
                       "again."))
        batch.file = None
    return len(stale)


class Upload(NamedTuple):
    """What the job needs of a claimed batch, read in a short transaction."""

    kind: str
    filename: str
    path: str
    options: dict | None


def process_queued(session_factory, max_batches: int = 5, should_stop: Callable[[], bool] | None = None) -> dict:
    """Import waiting uploads one by one, each in transactions of its own; stops early
    between batches when ``should_stop()`` says so (the scheduler is shutting down)."""
    with session_factory() as session:
        counts = {"interrupted": mark_interrupted(session), "processed": 0, "failed": 0}
        session.commit()
    for _ in range(max_batches):
        if should_stop is not None and should_stop():
            break
        with session_factory() as session:
            batch_id = claim_next(session)
            session.commit()
        if batch_id is None:
            break
        if _process_one(session_factory, batch_id):
            counts["processed"] += 1
        else:
            counts["failed"] += 1
    return counts


def _process_one(session_factory, batch_id: int) -> bool:
    upload = _spill(session_factory, batch_id)
    try:
        parsed = read_upload(upload.kind, upload.path, upload.filename,
                             progress=lambda done, total: _progress(session_factory, batch_id, done, total),
                             options=upload.options)
        with session_factory() as session:
            batch = session.get(ImportBatch, batch_id)
            with batch_actor(batch, name=batch.uploaded_by):
                import_parsed(session, batch, parsed)
            batch.file = None
            session.commit()
        return True
    except Exception:
        log.exception("import batch %s failed", batch_id)
        with session_factory() as session:
            batch = session.get(ImportBatch, batch_id)
            record_failure(session, batch.kind, batch.filename, None, mode=batch.mode, dry_run=batch.dry_run,
                           batch_id=batch_id)
            session.commit()
        return False
    finally:
        os.unlink(upload.path)


def _spill(session_factory, batch_id: int) -> Upload:
    """Readers take a path: write the stored upload to a private temporary file."""
    with session_factory() as session:
        batch = session.get(ImportBatch, batch_id)
        suffix = PurePath(batch.filename).suffix.lower()[:8]
        handle, path = tempfile.mkstemp(prefix="aidledger-import-", suffix=suffix)
        with os.fdopen(handle, "wb") as fh:
            fh.write(batch.file.content)
        return Upload(batch.kind, batch.filename, path, batch.options)


def _progress(session_factory, batch_id: int, done: int, total: int | None) -> None:
    """The rows read so far, committed beside the import's own transaction (PostgreSQL; the
    import leaves its batch row alone until it ends). A spending file is read while it is
    written, and on SQLite that transaction holds the database's one write lock: there the
    page sees the count when the import ends."""
    values = {"progress_rows": done} | ({"total_rows": total} if total else {})
    with session_factory() as session:
        if is_sqlite(session):
            return
        session.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(**values))
        session.commit()
