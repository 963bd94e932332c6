"""The same new file imported twice at once on PostgreSQL: the second answers "already
imported", as it would a moment later, instead of failing on the ledger's unique key.

Both imports must really commit (another connection has to see the first), so this
uses an engine of its own and deletes every row it created."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import sessionmaker

import importers.services.run as run
from app.db import make_engine
from app.events.bus import Actor
from app.events.models import Event
from importers.models import ImportBatch, ImportRow
from importers.services import import_file
from programmes.models import Activity, Organisation, Programme, Transaction
from tests.builders.importers import spending_workbook
from tests.builders.programmes import malawi_agriculture_programme, tradeline_market_access


@pytest.fixture
def committed(app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL (set AIDLEDGER_TEST_DATABASE_URL); SQLite serialises writers")
    engine = make_engine(database_url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with app.app_context(), factory() as session:
        first_event = session.scalar(select(func.coalesce(func.max(Event.id), 0)))
        activity = tradeline_market_access(session, malawi_agriculture_programme(session, with_budget=False))
        session.commit()
        ids = (activity.id, activity.programme_id, activity.organisation_id)
    yield factory
    with factory() as session:
        batches = select(ImportBatch.id).where(ImportBatch.uploaded_by == "race@vlaanderen.test")
        session.execute(delete(Transaction).where(Transaction.import_batch_id.in_(batches)))
        session.execute(delete(ImportRow).where(ImportRow.batch_id.in_(batches)))
        session.execute(delete(ImportBatch).where(ImportBatch.uploaded_by == "race@vlaanderen.test"))
        session.execute(delete(Event).where(Event.id > first_event))
        session.execute(delete(Activity).where(Activity.id == ids[0]))
        session.execute(delete(Programme).where(Programme.id == ids[1]))
        session.execute(delete(Organisation).where(Organisation.id == ids[2]))
        session.commit()
    engine.dispose()


def test_the_same_file_imported_twice_at_once_is_imported_once(app, committed, files, monkeypatch):
    path = spending_workbook(files / "ledger.xlsx")
    both_read = threading.Barrier(2, timeout=30)
    original = run.read_upload

    def read_then_wait(*args, **kwargs):
        parsed = original(*args, **kwargs)
        both_read.wait()  # both have passed the early "already imported?" check
        return parsed

    monkeypatch.setattr(run, "read_upload", read_then_wait)
    outcomes, errors = [], []

    def upload():
        try:
            with app.app_context(), committed() as session:
                from flask import g

                g.event_actor = Actor("race@vlaanderen.test")
                batch = import_file(session, "spending", str(path), path.name, uploaded_by="race@vlaanderen.test")
                session.commit()
                outcomes.append(batch.status)
        except Exception as exc:  # the failure this test is about
            errors.append(exc)

    threads = [threading.Thread(target=upload) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert sorted(outcomes) == ["already_imported", "imported"]
    with committed() as session:
        assert session.scalar(select(func.count()).select_from(Transaction).where(
            Transaction.document_number.in_(("B-2019-0101", "B-2019-0202", "R-2019-0001")))) == 3
