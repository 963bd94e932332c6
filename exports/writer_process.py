"""A streamed workbook written by a second process while this one reads and computes.

Writing the cells (XlsxWriter) and producing them (reading the ledger, building the
rows, adding up the totals) are both Python work, so threads would take turns on
one core. ``WriterProcess`` has the interface of :class:`exports.xlsx.Workbook`; its
sheets record each call (``append``, ``append_label`` …) and send them in batches
through a pipe to a forked child that makes the same calls on a real ``Workbook``.
The two run on two cores, and the pipe's small buffer holds the reader back when
the writer lags, so memory stays flat.

The child only writes the file: it touches no database connection it inherited
(and, being forked, exits without closing them), logs nothing, and stops when the
pipe closes. A failure in the child is raised in the parent when it next sends or
at ``close()``; the file is then incomplete and the caller discards it.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
from typing import Iterable, Sequence

from exports.xlsx import MONEY, Column, Workbook

#: calls sent in one message (a CRS row is one call of about 400 bytes pickled)
BATCH_CALLS = 1000
_OPEN_SHEET = "sheet"


class WriterFailed(RuntimeError):
    """The writer process stopped before the workbook was complete."""


def available() -> bool:
    """A writer process helps only with a second core, and needs ``fork`` (no re-import)."""
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


class WriterProcess:
    """``Workbook(target, properties)`` whose cells are written by a child process."""

    def __init__(self, target: str, properties: dict | None = None):
        context = multiprocessing.get_context("fork")
        self._connection, child_end = context.Pipe(duplex=True)
        self._process = context.Process(target=_serve, args=(child_end, target, properties),
                                        name="xlsx-writer", daemon=True)
        # what exists now is never collected in the child: no finalizer of an inherited
        # database connection (returning it to a pool, a rollback) can run there
        gc.freeze()
        try:
            self._process.start()
        finally:
            gc.unfreeze()
        child_end.close()
        self._calls: list[tuple] = []
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
        try:
            self._connection.send(calls)
        except (BrokenPipeError, EOFError, OSError) as exc:
            raise self._failure() from exc

    def close(self) -> None:
        """Send what is left, let the child close the workbook, and wait for it."""
        if self._closed:
            return
        self._flush()
        try:
            self._connection.send(None)
            outcome, message = self._connection.recv()
        except (BrokenPipeError, EOFError, OSError) as exc:
            raise self._failure() from exc
        self._end()
        if outcome != "ok":
            raise WriterFailed(f"the workbook writer failed: {message}")

    def _failure(self) -> WriterFailed:
        """The child's own error when it sent one before stopping, else how it ended."""
        message = None
        try:
            if self._connection.poll(5):
                _outcome, message = self._connection.recv()
        except (EOFError, OSError):
            pass
        self._end()
        return WriterFailed(f"the workbook writer failed: {message or f'exit code {self._process.exitcode}'}")

    def _end(self) -> None:
        self._closed = True
        self._connection.close()
        self._process.join(30)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()


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


def _serve(connection, target: str, properties: dict | None) -> None:
    """The child: make every call it receives on a real workbook, then close it."""
    gc.disable()
    book, sheets = Workbook(target, properties), []
    try:
        while (calls := connection.recv()) is not None:
            for sheet, method, args in calls:
                if sheet is None:
                    sheets.append(book.sheet(*args))
                else:
                    getattr(sheets[sheet], method)(*args)
        book.close()
    except EOFError:  # the parent went away: nothing to report to
        return
    except BaseException as exc:  # reported to the parent, which raises it
        connection.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    connection.send(("ok", None))
