"""Large uploads wait in the database for the scheduler's import job, never in a web request.

The job claims one batch at a time with an atomic UPDATE (safe with several
schedulers on both engines), reports progress in short transactions while the
file is parsed, and then imports it in one transaction. A batch left running by
a killed process is marked interrupted: its single transaction never committed,
so nothing of it was written.
"""
from __future__ import annotations

import logging
import os
import tempfile
from datetime import timedelta
from pathlib import PurePath

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db import utcnow
from importers.models import ImportBatch, ImportFile
from importers.services.record import ALL_OR_NOTHING
from importers.services.run import batch_actor, import_file, new_batch, record_failure

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=30)


def queue_upload(session: Session, kind: str, content: bytes, filename: str, sha256: str, *,
                 mode: str = ALL_OR_NOTHING, dry_run: bool = False, uploader=None) -> ImportBatch:
    batch = new_batch(session, kind, filename, sha256, len(content), mode=mode, dry_run=dry_run,
                      uploader=uploader, status="queued")
    batch.message = "Waiting for the import job."
    batch.file = ImportFile(content=content)
    session.flush()
    return batch


def claim_next(session: Session) -> int | None:
    """Move the oldest queued batch to running; None when there is none (or another job won)."""
    oldest = select(ImportBatch.id).where(ImportBatch.status == "queued").order_by(ImportBatch.id).limit(1)
    batch_id = session.scalar(oldest)
    if batch_id is None:
        return None
    claimed = session.execute(update(ImportBatch).where(ImportBatch.id == batch_id, ImportBatch.status == "queued")
                              .values(status="running", started_at=utcnow(), message="Reading the file…"))
    return batch_id if claimed.rowcount == 1 else None


def mark_interrupted(session: Session, now=None) -> int:
    cutoff = (now or utcnow()) - STALE_AFTER
    stale = session.scalars(select(ImportBatch).where(ImportBatch.status == "running",
                                                      ImportBatch.started_at < cutoff)).all()
    for batch in stale:
        batch.status, batch.error_code, batch.finished_at = "failed", "interrupted", utcnow()
        batch.message = "The import was interrupted (the job stopped); nothing was imported. Upload the file again."
        batch.file = None
    return len(stale)


def process_queued(session: Session, max_batches: int = 5) -> dict:
    """Import waiting uploads one by one; each commits (or fails) on its own."""
    counts = {"interrupted": mark_interrupted(session), "processed": 0, "failed": 0}
    session.commit()
    for _ in range(max_batches):
        batch_id = claim_next(session)
        session.commit()
        if batch_id is None:
            break
        if _process_one(session, batch_id):
            counts["processed"] += 1
        else:
            counts["failed"] += 1
    return counts


def _process_one(session: Session, batch_id: int) -> bool:
    batch = session.get(ImportBatch, batch_id)
    path = _spill(batch)
    try:
        with batch_actor(batch, name=batch.uploaded_by):
            import_file(session, batch.kind, path, batch.filename, mode=batch.mode, dry_run=batch.dry_run,
                        batch=batch, progress=lambda done, total: _progress(session, batch, done, total))
        batch.file = None
        session.commit()
        return True
    except Exception:
        log.exception("import batch %s failed", batch_id)
        session.rollback()
        record_failure(session, batch.kind, batch.filename, None, mode=batch.mode, dry_run=batch.dry_run,
                       batch_id=batch_id)
        session.commit()
        return False
    finally:
        os.unlink(path)


def _spill(batch: ImportBatch) -> str:
    """Readers take a path: write the stored upload to a private temporary file."""
    suffix = PurePath(batch.filename).suffix.lower()[:8]
    handle, path = tempfile.mkstemp(prefix="aidledger-import-", suffix=suffix)
    with os.fdopen(handle, "wb") as fh:
        fh.write(batch.file.content)
    return path


def _progress(session: Session, batch: ImportBatch, done: int, total: int | None) -> None:
    batch.progress_rows = done
    if total:
        batch.total_rows = total
    session.commit()
