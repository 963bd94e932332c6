import pytest
from openpyxl import load_workbook

from tests.builders.exports import classified_portfolio


@pytest.fixture
def portfolio(session):
    """The classified Flemish portfolio of 2023–2024 (see tests/builders/exports.py)."""
    return classified_portfolio(session)


@pytest.fixture
def factory(app):
    """The session factory the export runner and job use (bound to the test's connection)."""
    return app.extensions["aidledger.db"].Session


def read_sheets(path) -> dict[str, list[tuple]]:
    """Every sheet of a written workbook, re-read with openpyxl: {name: rows of values}."""
    book = load_workbook(path, read_only=False)
    try:
        return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in book.worksheets}
    finally:
        book.close()
