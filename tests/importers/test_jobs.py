"""Large uploads wait for the scheduler's import job, which reports progress and never half-imports."""
from datetime import timedelta

from sqlalchemy import select

import programmes.services.ledger as ledger
from app.db import utcnow
from app.scheduler.registry import load_jobs
from importers.jobs import process_queued_imports
from importers.models import ImportBatch, ImportFile
from importers.services.queue import queue_upload
from programmes.models import Transaction
from tests.builders.importers import spending_workbook, tradeline_ledger_rows
from tests.importers.conftest import count


def _queue(session, path, **options):
    batch = queue_upload(session, "spending", path.read_bytes(), path.name, "0" * 64, **options)
    session.commit()
    return batch


def test_the_job_is_registered_with_the_scheduler():
    spec = load_jobs()["process_queued_imports"]
    assert spec.func is process_queued_imports and spec.trigger == "interval"


def test_the_job_imports_queued_uploads_and_forgets_their_bytes(session, tradeline, files, monkeypatch):
    monkeypatch.setattr("importers.services.parse.PROGRESS_EVERY", 1)
    rows = [[f"B-2019-{i:04d}"] + tradeline_ledger_rows()[0][1:] for i in range(5)]
    batch = _queue(session, spending_workbook(files / "big.xlsx", rows))
    assert batch.status == "queued"
    seen = []
    monkeypatch.setattr("importers.services.queue._progress", _recording(seen))

    counts = process_queued_imports(session)

    assert counts == {"interrupted": 0, "processed": 1, "failed": 0}
    session.refresh(batch)
    assert (batch.status, batch.imported_count, batch.progress_rows) == ("imported", 5, 5)
    assert seen == [1, 2, 3, 4, 5]
    assert session.get(ImportFile, batch.id) is None
    assert count(session, Transaction) == 5
    assert process_queued_imports(session)["processed"] == 0


def _recording(seen):
    from importers.services import queue

    original = queue._progress

    def progress(session_factory, batch_id, done, total):
        seen.append(done)
        original(session_factory, batch_id, done, total)

    return progress


def test_a_failing_queued_import_is_recorded_and_writes_nothing(session, tradeline, files, monkeypatch):
    batch = _queue(session, spending_workbook(files / "ledger.xlsx"))
    monkeypatch.setattr(ledger, "publish", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("db down")))

    assert process_queued_imports(session)["failed"] == 1
    session.refresh(batch)
    assert (batch.status, batch.error_code) == ("failed", "internal_error")
    assert count(session, Transaction) == 0


def test_a_batch_left_running_by_a_killed_job_is_marked_interrupted(session, files):
    batch = _queue(session, spending_workbook(files / "ledger.xlsx"))
    batch.status, batch.started_at = "running", utcnow() - timedelta(hours=1)
    session.commit()
    assert process_queued_imports(session)["interrupted"] == 1
    session.refresh(batch)
    assert batch.status == "failed" and "interrupted" in batch.message
    assert session.scalar(select(ImportBatch.status).where(ImportBatch.id == batch.id)) == "failed"
