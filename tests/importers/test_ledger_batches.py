"""An import is one fact for the event log: one LedgerLinesImported event, row results
only where there is something to say, handlers that work over the batch's lines, and a
replay that rebuilds the projections the ledger implies."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

import programmes.services.ledger as ledger
from app.db import unit_of_work
from app.events import dispatcher
from app.events.models import Event
from app.rates.services import set_rate
from importers.models import ImportRow
from importers.services import import_file
from oda.models import PendingTransaction
from programmes.models import ActivityYearTotal, ProgrammeYearTotal, Transaction
from programmes.services.ledger import NewLine, record_many
from programmes.services.transactions import correct_transaction, net_disbursed, record_transaction
from tests.builders.importers import DUTCH_SPENDING_HEADERS, spending_workbook, tradeline_ledger_rows
from tests.importers.conftest import count, database_counts, rows_of


def _line(document, when, amount, currency="EUR", kind="uitbetaling"):
    return [document, when, "MWI-2019-TLC", amount, currency, "Schijf", "QB0-1QAD2MZ", kind]


def _import(run_import, files, rows, name="boekingen.xlsx", **options):
    return run_import("spending", spending_workbook(files / name, rows, headers=DUTCH_SPENDING_HEADERS), **options)


def test_row_results_are_stored_only_for_rows_with_something_to_say(session, tradeline, files, run_import):
    _import(run_import, files, [_line("B-2019-0001", date(2019, 3, 1), "1.000,00"),
                                _line("B-2019-0002", date(2019, 4, 1), "2.000,00")], "maart.xlsx")
    batch = _import(run_import, files, [
        _line("B-2019-0001", date(2019, 3, 1), "1.000,00"),  # unchanged
        _line("B-2019-0002", date(2019, 4, 1), "2.500,00"),  # corrected
        _line("B-2019-0003", date(2019, 5, 1), "300,00"),  # new
        _line("B-2019-0004", date(2019, 6, 1), "400,00", "ZAR"),  # new, no ZAR rate: a warning
        _line("B-2019-0005", date(2019, 7, 1), "veel"),  # error
    ], "april.xlsx", mode="accept_valid_rows")

    stored = session.scalars(select(ImportRow.row_number).where(ImportRow.batch_id == batch.id)
                             .order_by(ImportRow.row_number)).all()
    assert stored == [2, 3, 5, 6], "the plain new row 4 is implied by its line"
    answered = [(r.row_number, r.outcome, r.key) for r in rows_of(session, batch)]
    assert answered == [(2, "unchanged", "B-2019-0001"), (3, "updated", "B-2019-0002"),
                        (4, "imported", "B-2019-0003"), (5, "imported", "B-2019-0004"), (6, "error", "B-2019-0005")]
    new_line = session.scalar(select(Transaction).where(Transaction.document_number == "B-2019-0003"))
    assert rows_of(session, batch)[2].entity_id == str(new_line.id)
    assert (new_line.import_batch_id, new_line.import_row) == (batch.id, 4)


def test_a_resaved_file_that_changes_nothing_stores_only_a_count(session, tradeline, files, run_import):
    rows = tradeline_ledger_rows()
    _import(run_import, files, rows, "juni.xlsx")
    before = database_counts(session)
    resaved = spending_workbook(files / "juni-opnieuw.xlsx", rows, headers=DUTCH_SPENDING_HEADERS,
                                title_rows=[["Boekingen juni, opnieuw bewaard"], []])
    again = run_import("spending", resaved)

    assert again.status == "up_to_date" and again.unchanged_count == 3
    assert "already imported and unchanged" in again.message
    assert count(session, ImportRow, ImportRow.batch_id == again.id) == 0
    after = database_counts(session)
    assert (after["transactions"], after["rows"]) == (before["transactions"], before["rows"])


def test_an_import_that_adds_lines_publishes_one_batch_event(session, tradeline, files, run_import):
    set_rate(session, 2019, "EUR", "0.893276", "IMF")
    set_rate(session, 2019, "MWK", "745.54", "IMF")
    batch = _import(run_import, files, [_line(f"B-2019-{i:04d}", date(2019, 3, 1 + i), "1.000,00")
                                        for i in range(20)] + [_line("B-2019-MWK", date(2019, 8, 1), "745.540,00",
                                                                     "MWK")])

    events = session.scalars(select(Event).where(Event.correlation_id == f"import-{batch.id}")).all()
    assert sorted(e.type for e in events) == ["ImportBatchAccepted", "LedgerLinesImported"]
    payload = next(e.payload for e in events if e.type == "LedgerLinesImported")
    totals = [dict(zip(payload["columns"], t)) for t in payload["totals"]]
    assert [(t["currency"], t["lines"], t["amount"], t["amount_eur"]) for t in totals] == [
        ("EUR", 20, "20000.00", "20000.00"), ("MWK", 1, "745540.00", "893.28")]
    ids = session.scalars(select(Transaction.id).where(Transaction.import_batch_id == batch.id)).all()
    assert sum(last - first + 1 for first, last in payload["id_ranges"]) == len(ids) == 21


def test_an_import_killed_half_way_through_its_corrections_leaves_nothing(session, tradeline, files,
                                                                          monkeypatch):
    first = spending_workbook(files / "maart.xlsx", tradeline_ledger_rows())
    with unit_of_work(session):
        import_file(session, "spending", str(first), first.name, uploaded_by="finance@vlaanderen.test")
    before = database_counts(session)
    amounts = session.execute(select(Transaction.document_number, Transaction.amount)).all()
    rows = tradeline_ledger_rows()
    rows[0][3], rows[1][3] = 400000.50, 350000.50
    rows.append(["B-2019-0303", date(2019, 10, 1), "MWI-2019-TLC", 1000, "EUR", "Third", "", ""])
    newer = spending_workbook(files / "april.xlsx", rows)

    def killed(*args, **kwargs):
        raise RuntimeError("killed while publishing the corrections")

    monkeypatch.setattr(ledger, "publish_many", killed)  # after the new line, its batch event and the UPDATE
    with pytest.raises(RuntimeError, match="killed"):
        with unit_of_work(session):
            import_file(session, "spending", str(newer), newer.name, uploaded_by="finance@vlaanderen.test")

    assert database_counts(session) == before
    assert session.execute(select(Transaction.document_number, Transaction.amount)).all() == amounts


def _projections(session) -> tuple[list, list]:
    session.expire_all()
    programmes = session.execute(select(ProgrammeYearTotal.programme_id, ProgrammeYearTotal.year,
                                        ProgrammeYearTotal.committed, ProgrammeYearTotal.disbursed)
                                 .order_by(ProgrammeYearTotal.programme_id, ProgrammeYearTotal.year)).all()
    activities = session.execute(select(ActivityYearTotal.activity_id, ActivityYearTotal.year,
                                        ActivityYearTotal.committed, ActivityYearTotal.disbursed,
                                        ActivityYearTotal.unconverted)
                                 .order_by(ActivityYearTotal.activity_id, ActivityYearTotal.year)).all()
    return [tuple(r) for r in programmes], [tuple(r) for r in activities]


def _from_the_ledger(session, tradeline) -> list:
    """What the activity totals must say, computed straight from the ledger."""
    t = Transaction
    rows = session.execute(
        select(func.strftime("%Y", t.date) if session.get_bind().dialect.name == "sqlite"
               else func.extract("year", t.date), t.kind, t.amount_eur)
        .where(t.activity_id == tradeline.id)).all()
    totals = {}
    for year, kind, eur in rows:
        row = totals.setdefault(int(year), [Decimal("0"), Decimal("0"), 0])
        if eur is None:
            row[2] += 1
        elif kind == "commitment":
            row[0] += eur
        else:
            row[1] += -eur if kind == "refund" else eur
    return [(tradeline.id, year, *values) for year, values in sorted(totals.items())]


def test_replay_after_batch_events_rebuilds_the_same_projections(app, session, tradeline, files, run_import):
    factory = app.extensions["aidledger.db"].Session
    set_rate(session, 2019, "EUR", "0.893276", "IMF")
    set_rate(session, 2019, "MWK", "745.54", "IMF")
    by_hand = record_transaction(session, tradeline, "commitment", date(2019, 1, 10), Decimal("900000.00"),
                                 "C-2019-0001")
    _import(run_import, files, [_line("B-2019-0001", date(2019, 3, 1), "1.000,00"),
                                _line("B-2019-0002", date(2020, 4, 1), "2.000,00"),
                                _line("B-2019-0003", date(2019, 5, 1), "74.554,00", "MWK"),
                                _line("B-2019-0004", date(2021, 6, 1), "400,00", "ZAR"),
                                _line("T-2019-0005", date(2019, 7, 1), "(250,00)", kind="terugbetaling")], "maart.xlsx")
    _import(run_import, files, [_line("B-2019-0002", date(2019, 4, 1), "2.500,00"),  # moved to 2019
                                _line("B-2019-0006", date(2019, 9, 1), "600,00")], "april.xlsx")
    correct_transaction(session, by_hand, amount=Decimal("950000.00"))
    moved = session.scalar(select(Transaction).where(Transaction.document_number == "B-2019-0001"))
    correct_transaction(session, moved, date=date(2020, 3, 1))
    session.commit()

    dispatcher.dispatch(factory)
    delivered = _projections(session)
    for name in ("budget_totals", "activity_totals"):
        dispatcher.replay(factory, name)
    replayed = _projections(session)

    assert replayed == delivered
    assert [row for row in delivered[1] if row[0] == tradeline.id] == _from_the_ledger(session, tradeline)
    disbursed_2019 = session.scalar(select(func.sum(net_disbursed(Transaction.kind, Transaction.amount_eur)))
                                    .where(Transaction.kind.in_(("disbursement", "refund")),
                                           Transaction.date < date(2020, 1, 1)))
    assert next(r for r in delivered[0] if r[1] == 2019)[3] == disbursed_2019


def test_handlers_take_the_batch_event_over_its_lines(app, session, tradeline, files, run_import):
    factory = app.extensions["aidledger.db"].Session
    batch = _import(run_import, files, tradeline_ledger_rows(), "mei.xlsx")
    session.commit()
    dispatcher.dispatch(factory, only=["oda_pending_work"])

    lines = session.scalars(select(Transaction.id).where(Transaction.import_batch_id == batch.id)).all()
    reasons = session.execute(select(PendingTransaction.transaction_id, PendingTransaction.reason)
                              .where(PendingTransaction.transaction_id.in_(lines))).all()
    assert sorted(reasons) == [(line, "LedgerLinesImported") for line in sorted(lines)]


def test_a_guard_refuses_lines_before_anything_is_written(session, tradeline):
    lines = [NewLine(tradeline.id, "disbursement", date(2019, 3, 1), Decimal("10.00"), "EUR", "B-2019-0001", row=2),
             NewLine(tradeline.id, "disbursement", date(2018, 3, 1), Decimal("20.00"), "EUR", "B-2018-0001", row=3)]

    def closed_years(_session, candidates):
        return {i: f"{line.date.year} is closed" for i, line in enumerate(candidates) if line.date.year < 2019}

    recorded = record_many(session, lines, batch_id=77, guard=closed_years)

    assert recorded.refused == {1: "2018 is closed"} and recorded.ids[1] is None
    assert session.scalars(select(Transaction.document_number)).all() == ["B-2019-0001"]
    event = session.scalar(select(Event).where(Event.type == "LedgerLinesImported"))
    assert event.payload["lines"] == 1 and event.payload["id_ranges"] == [[recorded.ids[0]] * 2]
