"""A spending file is read, checked and written a chunk of rows at a time; the answer is
the one a file read whole gives: duplicates and refunds are seen across chunk borders,
an error in a later chunk still means nothing is written (all or nothing), and an import
killed after its first chunk was written leaves nothing."""
from datetime import date

import pytest
from sqlalchemy import select

import importers.services.parse as parse
import programmes.services.ledger as ledger
from app.db import unit_of_work
from app.events.models import Event
from importers.services import import_file
from programmes.models import Transaction
from tests.builders.importers import DUTCH_SPENDING_HEADERS, spending_workbook
from tests.importers.conftest import count, database_counts, rows_of

CHUNK = 4  # rows 2–5, 6–9 and 10–11 of the sheet


def _line(document, when, amount, kind="uitbetaling"):
    return [document, when, "MWI-2019-TLC", amount, "EUR", "Schijf Tradeline", "QB0-1QAD2MZ", kind]


def _extract() -> list[list]:
    """Eleven sheet rows: the second chunk repeats a document of the first and has an
    amount that is no amount; the third refunds more than the first two paid."""
    return [
        _line("B-2019-0001", date(2019, 3, 1), "1.000,00"),
        _line("B-2019-0002", date(2019, 3, 2), "2.000,00"),
        _line("B-2019-0003", date(2019, 3, 3), "3.000,00"),  # sheet row 4
        _line("B-2019-0004", date(2019, 3, 4), "4.000,00"),
        _line("B-2019-0005", date(2019, 4, 1), "500,00"),
        _line("B-2019-0003", date(2019, 4, 2), "3.000,00"),  # sheet row 7: the document of row 4 again
        _line("B-2019-0006", date(2019, 4, 3), "veel"),  # sheet row 8
        _line("B-2019-0007", date(2019, 4, 4), "250,00"),
        _line("T-2019-0001", date(2019, 11, 1), "(12.000,00)", "terugbetaling"),  # 10 750 paid
        _line("B-2019-0008", date(2019, 12, 1), "100,00"),
    ]


def _answers(session, batch) -> list[tuple]:
    return [(r.row_number, r.outcome, r.severity, r.column, r.reason, r.key) for r in rows_of(session, batch)]


def _import(session, path, **options):
    return import_file(session, "spending", str(path), path.name, uploaded_by="finance@vlaanderen.test", **options)


@pytest.fixture
def extract(files):
    return spending_workbook(files / "boekingen-2019.xlsx", _extract(), headers=DUTCH_SPENDING_HEADERS)


def test_an_error_in_a_later_chunk_rejects_the_file_with_the_answers_of_a_file_read_whole(
        session, tradeline, extract, monkeypatch):
    before = database_counts(session)
    savepoint = session.begin_nested()
    whole = _import(session, extract)
    answered_whole = _answers(session, whole)
    summary_whole = (whole.status, whole.counts(), whole.message)
    savepoint.rollback()

    monkeypatch.setattr(parse, "CHUNK_ROWS", CHUNK)
    chunked = _import(session, extract)

    assert (chunked.status, chunked.counts(), chunked.message) == summary_whole
    assert chunked.status == "rejected" and chunked.error_count == 2 and chunked.warning_count == 1
    assert _answers(session, chunked) == answered_whole
    errors = {r.row_number: r.reason for r in rows_of(session, chunked) if r.outcome == "error"}
    assert errors == {7: "document B-2019-0003 appears already on row 4", 8: errors[8]}
    assert errors[8].startswith("not an amount")
    after = database_counts(session)
    assert after["transactions"] == before["transactions"], "the first chunk's lines were rolled back"
    assert count(session, Event, Event.type == "LedgerLinesImported") == 0


def test_valid_rows_of_every_chunk_are_one_batch_with_one_event(session, tradeline, extract, monkeypatch):
    monkeypatch.setattr(parse, "CHUNK_ROWS", CHUNK)
    batch = _import(session, extract, mode="accept_valid_rows")

    assert batch.status == "partially_imported"
    assert (batch.imported_count, batch.error_count, batch.warning_count) == (8, 2, 1)
    lines = session.scalars(select(Transaction).where(Transaction.import_batch_id == batch.id)).all()
    assert sorted(t.import_row for t in lines) == [2, 3, 4, 5, 6, 9, 10, 11]
    events = session.scalars(select(Event).where(Event.type == "LedgerLinesImported")).all()
    assert len(events) == 1 and events[0].payload["lines"] == len(lines) == 8
    assert {i for first, last in events[0].payload["id_ranges"] for i in range(first, last + 1)} == {
        t.id for t in lines}
    answers = {r.row_number: r for r in rows_of(session, batch)}
    assert [n for n, r in answers.items() if r.outcome == "imported"] == [2, 3, 4, 5, 6, 9, 10, 11]
    refund = answers[10]
    assert refund.severity == "warning" and "refund of 12000.00 EUR is more than the 10750.00 EUR" in refund.reason
    assert refund.entity_id == str(next(t.id for t in lines if t.document_number == "T-2019-0001"))


def test_an_import_killed_after_its_first_chunk_was_written_leaves_nothing(session, tradeline, files, monkeypatch):
    session.commit()
    before = database_counts(session)
    monkeypatch.setattr(parse, "CHUNK_ROWS", CHUNK)
    original, calls = ledger.reserve_ids, []

    def killed_at_the_second_chunk(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("killed while writing the second chunk")
        return original(*args, **kwargs)

    monkeypatch.setattr(ledger, "reserve_ids", killed_at_the_second_chunk)
    rows = [_line(f"B-2019-{i:04d}", date(2019, 5, 1 + i), "1.250,00") for i in range(10)]
    path = spending_workbook(files / "mei.xlsx", rows, headers=DUTCH_SPENDING_HEADERS)
    with pytest.raises(RuntimeError, match="killed"):
        with unit_of_work(session):
            _import(session, path)
    assert database_counts(session) == before


def test_unchanged_rows_before_the_first_change_are_answered_and_a_file_without_one_stores_a_count(
        session, tradeline, files, monkeypatch):
    monkeypatch.setattr(parse, "CHUNK_ROWS", CHUNK)
    rows = [_line(f"B-2019-{i:04d}", date(2019, 6, 1 + i), "2.000,00") for i in range(6)]
    _import(session, spending_workbook(files / "juni.xlsx", rows, headers=DUTCH_SPENDING_HEADERS))
    ids = dict(session.execute(select(Transaction.document_number, Transaction.id)).all())

    resaved = _import(session, spending_workbook(files / "juni-opnieuw.xlsx", rows, headers=DUTCH_SPENDING_HEADERS,
                                                 title_rows=[["Boekingen juni, opnieuw bewaard"]]))
    assert resaved.status == "up_to_date" and resaved.unchanged_count == 6
    assert rows_of(session, resaved) == []

    rows[5][3] = "2.100,00"  # sheet row 7, in the second chunk
    newer = _import(session, spending_workbook(files / "juli.xlsx", rows, headers=DUTCH_SPENDING_HEADERS))
    assert newer.status == "imported" and (newer.unchanged_count, newer.updated_count) == (5, 1)
    assert [(r.row_number, r.outcome, r.key, r.entity_id) for r in rows_of(session, newer)] == [
        (n + 2, "unchanged" if n < 5 else "updated", f"B-2019-{n:04d}", str(ids[f"B-2019-{n:04d}"]))
        for n in range(6)]
