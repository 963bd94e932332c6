"""Producing the file of one export run, in short transactions around a long read.

1. prepare (write, short): a final export is checked first; the CRS ids the rows need
   are handed out here, or beside the build when background sessions are available;
2. build (read only, long; see ``reading``): the workbook is streamed to a temporary
   file while the progress is written in separate tiny transactions the browser polls;
3. store (write, short): the bytes with their SHA-256, the run marked done and, for
   the CRS workbook, the ``ExportGenerated`` event; a final export is checked again
   against what was actually written (a review opened meanwhile refuses it).

Like the event dispatcher, this takes a session factory and owns its transactions;
the export job and the ``flask export`` commands call it.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from app.events import publish
from app.scheduler.execution import safe_error
from app.web import speaking
from exports.models import ExportKind, ExportRun
from exports.services import runs
from exports.services.reading import background_sessions, read_session

log = logging.getLogger(__name__)
PROGRESS_SECONDS = 1.0


@dataclass(frozen=True)
class RunInfo:
    id: int
    kind: str
    year: int | None
    params: dict
    final: bool
    requested_by: str
    trigger: str
    #: the requester's language: the file is written in it (``exports.words``)
    language: str = "en"

    @classmethod
    def of(cls, run: ExportRun) -> "RunInfo":
        return cls(run.id, run.kind, run.year, dict(run.params or {}), run.final, run.requested_by, run.trigger,
                   run.language)


class ProgressWriter:
    """Writes the run's progress at most once a second, each time in its own transaction."""

    def __init__(self, session_factory, run_id: int, echo=None):
        self.session_factory, self.run_id, self.echo = session_factory, run_id, echo
        self.last_time, self.last_percent = 0.0, -1

    def __call__(self, fraction: float, stage: str) -> None:
        now, percent = time.monotonic(), int(fraction * 100)
        if percent == self.last_percent or (now - self.last_time < PROGRESS_SECONDS and fraction < 1):
            return
        self.last_time, self.last_percent = now, percent
        with self.session_factory() as session:
            runs.set_progress(session, self.run_id, fraction, stage)
            session.commit()
        if self.echo:
            self.echo(percent, stage)


def builder_for(kind: str):
    from exports.reports.builders import BudgetExecutionBuilder, CrsBuilder, OdaSummaryBuilder

    return {ExportKind.CRS: CrsBuilder, ExportKind.ODA_SUMMARY: OdaSummaryBuilder,
            ExportKind.BUDGET_EXECUTION: BudgetExecutionBuilder}[kind]()


def execute_run(session_factory, run_id: int, out_path: str | None = None, echo=None,
                raise_errors: bool = False) -> ExportRun | None:
    """Produce the file of a run that is ``running``; returns the finished run.

    On failure the run is marked failed with a safe one-line error; the error is
    raised again when ``raise_errors`` (the CLI), otherwise logged (the job).
    """
    with session_factory() as session:
        info = RunInfo.of(session.get(ExportRun, run_id))
    builder = builder_for(info.kind)
    handle, temp_path = tempfile.mkstemp(prefix=f"aidledger-export-{run_id}-", suffix=".xlsx")
    os.close(handle)
    try:
        background = background_sessions(session_factory)
        with session_factory() as session:
            plan = builder.prepare(session, info, background)
            session.commit()
        with read_session(session_factory) as session, speaking(info.language):
            result = builder.build(session, info, temp_path, plan, ProgressWriter(session_factory, run_id, echo),
                                   background)
            session.commit()  # nothing was written; ends the read transaction
        content = Path(temp_path).read_bytes()
        staged = _stage_copy(temp_path, out_path) if out_path else None
        try:
            with session_factory() as session:
                run = session.get(ExportRun, run_id)
                builder.check(session, info, result)
                runs.store_file(session, run, content, result.counts())
                builder.finish(session, run, result)
                publish_ready(session, run)
                session.commit()
        except BaseException:
            if staged is not None:
                staged.unlink(missing_ok=True)
            raise
        if staged is not None:
            os.replace(staged, out_path)  # the file appears only once the run is recorded
        return run
    except Exception as exc:
        _fail(session_factory, run_id, exc)
        if raise_errors:
            raise
        log.error("export run %s (%s) failed: %s", run_id, info.kind, safe_error(exc))
        return None
    finally:
        Path(temp_path).unlink(missing_ok=True)


def _fail(session_factory, run_id: int, exc: Exception) -> None:
    message = exc.message if isinstance(exc, runs.ExportError) else safe_error(exc)
    with session_factory() as session:
        runs.mark_failed(session, run_id, message)
        session.commit()


def _stage_copy(source: str, target: str) -> Path:
    """A copy next to ``target`` (same file system, so the final rename is atomic)."""
    target_path = Path(target)
    partial = target_path.with_name(f".{target_path.name}.partial")
    shutil.copyfile(source, partial)
    return partial


def publish_ready(session, run: ExportRun) -> None:
    """``ExportReady``: the file can be downloaded; the annual draft is for the ODA officer."""
    publish(session, "ExportReady", "ExportRun", run.id, {
        "kind": run.kind, "year": run.year, "final": run.final, "sha256": run.sha256, "trigger": run.trigger,
        "file_name": run.file_name, "notify_role": "oda_officer" if run.trigger == "schedule" else None,
    })


def process_queued(session_factory, limit: int = 3) -> dict:
    """Claim queued runs one at a time and produce their files (the export job)."""
    counts = {"done": 0, "failed": 0, "interrupted": _fail_abandoned(session_factory)}
    for _ in range(limit):
        with session_factory() as session:
            run = runs.claim_next(session)
            session.commit()
        if run is None:
            break
        finished = execute_run(session_factory, run.id)
        counts["done" if finished is not None else "failed"] += 1
    return counts


def _fail_abandoned(session_factory) -> int:
    minutes = int(current_app.config.get("AIDLEDGER_EXPORT_STALE_MINUTES", 30))
    with session_factory() as session:
        count = runs.fail_abandoned(session, minutes)
        session.commit()
    return count
