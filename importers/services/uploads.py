"""The entry used by the page, the API and the CLI: one transaction for the import,
and, should it crash, another that records the failure for the history."""
from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import PurePath

from flask import current_app

from app.db import unit_of_work
from importers.services.queue import queue_upload
from importers.services.queries import snapshot
from importers.services.run import import_file, record_failure

log = logging.getLogger(__name__)
DEFAULT_INLINE_BYTES = 1024 * 1024


def inline_limit() -> int:
    return int(current_app.config.get("AIDLEDGER_IMPORT_INLINE_BYTES", DEFAULT_INLINE_BYTES))


def receive_upload(kind: str, filename: str, content: bytes, *, mode: str, dry_run: bool, uploader,
                   options: dict | None = None) -> int:
    """Import a small upload now, queue a large one for the background job; the batch id."""
    filename = PurePath(filename or "upload").name
    if len(content) > inline_limit():
        with unit_of_work() as session:
            digest = hashlib.sha256(content).hexdigest()
            return queue_upload(session, kind, content, filename, digest, mode=mode, dry_run=dry_run,
                                uploader=uploader, options=options).id
    handle, path = tempfile.mkstemp(prefix="aidledger-upload-", suffix=PurePath(filename).suffix.lower()[:8])
    with os.fdopen(handle, "wb") as fh:
        fh.write(content)
    try:
        result = import_path(kind, path, filename, mode=mode, dry_run=dry_run, uploader=uploader, options=options)
    finally:
        os.unlink(path)
    return result["id"]


def import_path(kind: str, path: str, filename: str, *, mode: str, dry_run: bool, uploader=None,
                uploaded_by: str | None = None, commit: bool = True, with_rows: bool = False,
                options: dict | None = None) -> dict:
    """Import a file on disk in one unit of work and return its result as plain data.

    ``commit=False`` (the CLI's --dry-run) rolls everything back, the batch record too.
    """
    try:
        with unit_of_work() as session:
            batch = import_file(session, kind, path, filename, mode=mode, dry_run=dry_run, uploader=uploader,
                                uploaded_by=uploaded_by, options=options)
            result = snapshot(session, batch, with_rows)
            if not commit:
                raise _Discard()
        return result
    except _Discard:
        return result
    except Exception:
        log.exception("import of %s (%s) failed", filename, kind)
        with unit_of_work() as session:
            batch = record_failure(session, kind, filename, path, mode=mode, dry_run=dry_run, uploader=uploader,
                                   uploaded_by=uploaded_by)
            return snapshot(session, batch)


class _Discard(Exception):
    """Raised inside the unit of work so that it rolls back a dry run."""
