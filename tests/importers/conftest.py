from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.events.models import Event
from importers.models import ImportBatch, ImportRow
from importers.services import import_file
from programmes.models import Transaction
from tests.builders.programmes import malawi_agriculture_programme, tradeline_market_access


@pytest.fixture
def files(tmp_path) -> Path:
    return tmp_path


@pytest.fixture
def tradeline(session):
    """The Malawi programme with the Tradeline market-access activity (code MWI-2019-TLC)."""
    programme = malawi_agriculture_programme(session)
    return tradeline_market_access(session, programme)


@pytest.fixture
def run_import(session):
    def run(kind: str, path: Path, **options) -> ImportBatch:
        return import_file(session, kind, str(path), path.name, uploaded_by="finance@vlaanderen.test", **options)

    return run


def count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def database_counts(session) -> dict:
    """What an import may change: the ledger, the event store, the import history."""
    return {"transactions": count(session, Transaction), "events": count(session, Event),
            "batches": count(session, ImportBatch), "rows": count(session, ImportRow)}


def rows_of(session, batch) -> list[ImportRow]:
    """Every row result of the batch as the page, the API and the CLI answer them."""
    from importers.services.queries import rows_query

    return session.scalars(rows_query(batch.id)).all()
