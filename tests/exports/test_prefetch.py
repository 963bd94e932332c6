"""The background start of the year's totals: same rows, errors raised in the reader."""
import pytest

from exports.crs import prefetch
from exports.crs.prefetch import YearRows


class FakeResult:
    def __init__(self, rows):
        self.rows = iter(rows)

    def fetchmany(self, size):
        return [row for _, row in zip(range(size), self.rows)]

    def __iter__(self):
        return self.rows


class FakeSession:
    closed = False

    def close(self):
        self.closed = True


@pytest.fixture
def rows(monkeypatch):
    produced = list(range(2500))
    monkeypatch.setattr(prefetch.queries, "activity_rows", lambda session, year: FakeResult(produced))
    return produced


def test_rows_come_in_order_started_by_the_thread_or_in_place(rows):
    opened = []

    def open_session():
        opened.append(FakeSession())
        return opened[-1]

    with YearRows(None, 2024, open_session) as threaded:
        assert list(threaded) == rows
    assert len(opened) == 1 and opened[0].closed
    with YearRows(None, 2024, None) as in_place:
        assert list(in_place) == rows


def test_an_error_in_the_thread_is_raised_to_the_reader(monkeypatch):
    def broken(session, year):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(prefetch.queries, "activity_rows", broken)
    with pytest.raises(RuntimeError, match="locked"):
        with YearRows(None, 2024, FakeSession) as threaded:
            list(threaded)
