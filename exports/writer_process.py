"""A streamed workbook written by a second process while this one reads and computes.

Writing the cells (XlsxWriter) and producing them (reading the ledger, building the
rows, adding up the totals) are both Python work, so threads would take turns on
one core. ``WriterProcess`` has the interface of :class:`exports.xlsx.Workbook`; its
sheets record each call (``append``, ``append_label`` …) and send them, pickled in
batches, to the standard input of a child process that makes the same calls on a
real ``Workbook``. The two run on two cores, and the pipe's small buffer holds the
reader back when the writer lags, so memory stays flat.

The child is a fresh interpreter (``python -m exports.writer_process``, about 0.1 s to
start) that imports only ``exports.xlsx``: it inherits no database connection, lock,
signal handler or thread of the exporting process (the scheduler's, say), and runs
none of its code. It ignores Ctrl-C (the exporting process decides) and stops when
its input closes, so it never outlives its parent. Its answer (done, or the error
that stopped it) comes back pickled on its standard output. A failure in the child is
raised in the parent when it next sends or at ``close()``; a failure in the parent
calls ``abort()``, which stops the child without finishing the file.
"""
from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
from pathlib import Path
from typing import Iterable, Sequence

from exports.xlsx import MONEY, Column, Workbook

#: calls sent in one message (a CRS row is one call of about 400 bytes pickled)
BATCH_CALLS = 1000
_OPEN_SHEET = "sheet"
#: the folder that holds the ``exports`` package, for the child's import path
PROJECT_ROOT = str(Path(__file__).resolve().parents[1])


class WriterFailed(RuntimeError):
    """The writer process stopped before the workbook was complete."""


def available() -> bool:
    """A writer process helps only when this process may run on a second core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores > 1


class WriterProcess:
    """``Workbook(target, properties)`` whose cells are written by a child process."""

    def __init__(self, target: str, properties: dict | None = None):
        path = os.pathsep.join(p for p in (PROJECT_ROOT, os.environ.get("PYTHONPATH")) if p)
        self._process = subprocess.Popen([sys.executable, "-m", "exports.writer_process"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         env={**os.environ, "PYTHONPATH": path})
        self._calls: list[tuple] = [(None, "open", (target, properties))]
        self._sheets = 0
        self._closed = False

    def sheet(self, name: str, columns: Sequence[Column], header: bool = True) -> "RemoteSheet":
        self._call(None, _OPEN_SHEET, (name, tuple(columns), header))
        self._sheets += 1
        return RemoteSheet(self, self._sheets - 1, tuple(columns))

    def _call(self, sheet: int | None, method: str, args: tuple) -> None:
        if self._closed:
            raise WriterFailed("the workbook writer has stopped")
        self._calls.append((sheet, method, args))
        if len(self._calls) >= BATCH_CALLS:
            self._flush()

    def _flush(self) -> None:
        if not self._calls:
            return
        calls, self._calls = self._calls, []
        self._send(calls)

    def _send(self, message) -> None:
        try:
            pickle.dump(message, self._process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self._process.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise self._failure() from exc

    def close(self) -> None:
        """Send what is left, let the child close the workbook, and wait for it."""
        if self._closed:
            return
        self._flush()
        self._send(None)
        outcome, message = self._reply()
        self._end()
        if outcome != "ok":
            raise WriterFailed(f"the workbook writer failed: {message}")

    def abort(self) -> None:
        """Stop the child without finishing the file (the export itself failed)."""
        if not self._closed:
            self._process.kill()
            self._end()

    def _reply(self) -> tuple[str, str | None]:
        """The child's answer; ("failed", how it ended) when it ended without one."""
        try:
            return pickle.load(self._process.stdout)
        except (EOFError, OSError, pickle.UnpicklingError):
            return "failed", f"exit code {self._process.wait()}"

    def _failure(self) -> WriterFailed:
        _outcome, message = self._reply()
        self._end()
        return WriterFailed(f"the workbook writer failed: {message}")

    def _end(self) -> None:
        self._closed = True
        for stream in (self._process.stdin, self._process.stdout):
            try:
                stream.close()
            except OSError:  # the child is gone already
                pass
        try:
            self._process.wait(30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


class RemoteSheet:
    """The calls of :class:`exports.xlsx.Sheet`, recorded for the writer process."""

    def __init__(self, book: WriterProcess, index: int, columns: tuple[Column, ...]):
        self.book, self.index, self.columns = book, index, columns

    def append(self, values: Sequence) -> None:
        self.book._call(self.index, "append", (tuple(values),))

    def append_label(self, label: str, value=None, kind: str = MONEY) -> None:
        self.book._call(self.index, "append_label", (label, value, kind))

    def append_typed(self, values: Sequence, kinds: Sequence[str], header: bool = False) -> None:
        self.book._call(self.index, "append_typed", (tuple(values), tuple(kinds), header))

    def write_header(self, headers: Iterable[str]) -> None:
        self.book._call(self.index, "write_header", (tuple(headers),))

    def skip(self, rows: int = 1) -> None:
        self.book._call(self.index, "skip", (rows,))

    def set_column(self, first: int, last: int, width: float) -> None:
        self.book._call(self.index, "set_column", (first, last, width))

    def finish_table(self) -> None:
        self.book._call(self.index, "finish_table", ())


def _serve(source, answer) -> None:
    """The child: make every call it receives on a real workbook, then close it."""
    book, sheets = None, []
    try:
        while (calls := pickle.load(source)) is not None:
            for sheet, method, args in calls:
                if method == "open":
                    book = Workbook(*args)
                elif sheet is None:
                    sheets.append(book.sheet(*args))
                else:
                    getattr(sheets[sheet], method)(*args)
        book.close()
    except EOFError:  # the exporting process went away: nothing to report to
        return
    except BaseException as exc:  # reported to the parent, which raises it
        pickle.dump(("error", f"{type(exc).__name__}: {exc}"), answer)
        return
    pickle.dump(("ok", None), answer)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _serve(sys.stdin.buffer, sys.stdout.buffer)
    sys.stdout.buffer.flush()
