"""Starting the year's totals in a background thread while other sheets are written.

The per-activity totals are one aggregate over the year's ledger (1–3 s for a million
lines); SQLite and PostgreSQL compute it before the first row comes back, without
holding Python's lock. A thread on a second read session starts the query and waits
for that first row, while the Not ODA and Needs review sheets are written; then the
query is handed over and its rows are read by the writing thread itself. (Reading the
rows in the background too would be slower: the database driver releases Python's
lock for every row, and the two threads would queue for it at every row.) Without a
second session (the test suite's single connection) the query runs in place.
"""
from __future__ import annotations

import threading
from typing import Callable, Iterator

from sqlalchemy.orm import Session

from exports.crs import queries


class YearRows:
    """``queries.activity_rows`` of a year, started ahead by a thread when ``open_session`` is given."""

    def __init__(self, session: Session, year: int, open_session: Callable[[], Session] | None):
        self.session, self.year, self.open_session = session, year, open_session
        self._thread: threading.Thread | None = None
        self._started: tuple | None = None
        self._error: BaseException | None = None
        self._background_session: Session | None = None

    def __enter__(self) -> "YearRows":
        if self.open_session is not None:
            self._thread = threading.Thread(target=self._start, name=f"crs-totals-{self.year}", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        if self._thread is not None:
            self._thread.join()
        if self._background_session is not None:
            self._background_session.close()

    def __iter__(self) -> Iterator:
        if self._thread is None:
            yield from queries.activity_rows(self.session, self.year)
            return
        self._thread.join()
        if self._error is not None:
            raise self._error
        first, result = self._started
        yield from first
        yield from result

    def _start(self) -> None:
        try:
            self._background_session = self.open_session()
            result = queries.activity_rows(self._background_session, self.year)
            self._started = (result.fetchmany(1), result)  # the aggregate is computed by now
        except BaseException as exc:  # raised in the reading thread
            self._error = exc
