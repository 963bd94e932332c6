"""Ledger lines become transactions with the same rules and events as record_transaction."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.events.dispatcher import dispatch
from app.events.models import Event
from app.rates.services import set_rate
from programmes.models import ProgrammeYearTotal, Transaction
from programmes.services.transactions import record_transaction
from tests.builders.importers import DUTCH_SPENDING_HEADERS, spending_workbook, tradeline_ledger_rows
from tests.importers.conftest import count, database_counts, rows_of


def test_ledger_lines_become_transactions_with_their_events(session, tradeline, files, run_import):
    batch = run_import("spending", spending_workbook(files / "ledger.xlsx", title_rows=[["Ledger 2019"], []]))

    assert batch.status == "imported"
    assert batch.counts() == {"rows": 3, "imported": 3, "updated": 0, "unchanged": 0, "errors": 0, "warnings": 0}
    lines = session.scalars(select(Transaction).order_by(Transaction.document_number)).all()
    assert [(t.document_number, t.kind, t.amount, t.amount_eur, t.import_batch_id) for t in lines] == [
        ("B-2019-0101", "disbursement", Decimal("400000.10"), Decimal("400000.10"), batch.id),
        ("B-2019-0202", "disbursement", Decimal("350000.20"), Decimal("350000.20"), batch.id),
        ("R-2019-0001", "refund", Decimal("10000.05"), Decimal("10000.05"), batch.id),
    ]
    events = session.scalars(select(Event).where(Event.correlation_id == f"import-{batch.id}")
                             .order_by(Event.id)).all()
    assert [e.type for e in events] == ["LedgerLinesImported", "ImportBatchAccepted"]
    imported = events[0].payload
    assert (imported["import_batch_id"], imported["lines"], imported["kinds"]) == (
        batch.id, 3, {"disbursement": 2, "refund": 1})
    assert imported["id_ranges"] == [[min(t.id for t in lines), max(t.id for t in lines)]]
    totals = [dict(zip(imported["columns"], values)) for values in imported["totals"]]
    assert [(t["activity_id"], t["year"], t["kind"], t["currency"], t["lines"], t["amount_eur"]) for t in totals] == [
        (tradeline.id, 2019, "disbursement", "EUR", 2, "750000.30"), (tradeline.id, 2019, "refund", "EUR", 1,
                                                                      "10000.05")]
    assert [r.row_number for r in rows_of(session, batch)] == [4, 5, 6]


def test_each_row_result_names_the_line_it_created_after_the_lines_already_there(session, tradeline, files,
                                                                                 run_import):
    earlier = record_transaction(session, tradeline, "disbursement", date(2019, 2, 1), Decimal("125000.00"),
                                 "B-2019-0001", description="First tranche 2019")
    session.commit()
    batch = run_import("spending", spending_workbook(files / "ledger.xlsx"))

    by_document = dict(session.execute(select(Transaction.document_number, Transaction.id)
                                       .where(Transaction.import_batch_id == batch.id)).all())
    assert [(r.key, r.entity_id) for r in rows_of(session, batch)] == [
        (document, str(by_document[document])) for document in ("B-2019-0101", "B-2019-0202", "R-2019-0001")]
    assert min(by_document.values()) > earlier.id


@pytest.mark.parametrize("kind, amount, currency", [
    ("disbursement", "1500000", "MWK"),  # converted at the year's rate
    ("disbursement", "1500000.05", "ZAR"),  # no ZAR rate: the EUR amount is null
    ("commitment", "-0.05", "EUR"),  # a decreased commitment below one euro
])
def test_an_imported_line_is_booked_as_record_transaction_books_it(session, tradeline, files, run_import,
                                                                  kind, amount, currency):
    set_rate(session, 2019, "EUR", "0.893276", "IMF")
    set_rate(session, 2019, "MWK", "745.54", "IMF")
    by_service = record_transaction(session, tradeline, kind, date(2019, 6, 3), Decimal(amount),
                                    "B-2019-SVC", currency=currency, description="Local costs",
                                    budget_article="QB0-1QAD2MZ")
    row = ["B-2019-IMP", date(2019, 6, 3), "MWI-2019-TLC", amount, currency, "Local costs", "QB0-1QAD2MZ", kind]
    batch = run_import("spending", spending_workbook(files / "mwk.xlsx", [row]))

    imported = session.scalar(select(Transaction).where(Transaction.document_number == "B-2019-IMP"))
    fields = ("activity_id", "kind", "date", "amount", "currency", "amount_eur", "source", "description",
              "budget_article")
    assert [getattr(imported, f) for f in fields] == [getattr(by_service, f) for f in fields]
    assert (imported.import_batch_id, imported.import_row) == (batch.id, 2)
    payload = session.scalar(select(Event.payload).where(Event.type == "LedgerLinesImported",
                                                         Event.aggregate_id == str(batch.id)))
    total = dict(zip(payload["columns"], payload["totals"][0]))
    assert (total["amount"], total["lines"]) == (str(imported.amount), 1)
    if imported.amount_eur is None:
        assert (total["amount_eur"], total["unconverted"]) == ("0.00", 1)
    else:
        assert (total["amount_eur"], total["unconverted"]) == (str(imported.amount_eur), 0)


def test_the_budget_projection_counts_imported_lines(app, session, tradeline, files, run_import):
    run_import("spending", spending_workbook(files / "ledger.xlsx"))
    session.commit()
    dispatch(app.extensions["aidledger.db"].Session)
    totals = session.get(ProgrammeYearTotal, (tradeline.programme_id, 2019))
    session.refresh(totals)
    assert totals.disbursed == Decimal("740000.25")


def test_the_same_file_twice_is_reported_as_already_imported(session, tradeline, files, run_import):
    path = spending_workbook(files / "ledger.xlsx")
    first = run_import("spending", path)
    before = database_counts(session)
    second = run_import("spending", path)

    assert second.status == "already_imported" and second.duplicate_of_id == first.id
    assert "Already imported" in second.message
    after = database_counts(session)
    assert (after["transactions"], after["events"]) == (before["transactions"], before["events"])


def test_a_newer_extract_updates_changed_lines_adds_new_ones_and_deletes_nothing(session, tradeline, files,
                                                                                 run_import):
    run_import("spending", spending_workbook(files / "march.xlsx"))
    rows = tradeline_ledger_rows()
    rows[1][3] = "350.000,30"  # the second tranche was corrected in the accounting system
    newer = [rows[1], rows[2], ["B-2020-0001", date(2020, 2, 3), "MWI-2019-TLC", 500000, "EUR", "Third", "", ""]]
    batch = run_import("spending", spending_workbook(files / "april.xlsx", newer))

    assert batch.status == "imported"
    assert [r.outcome for r in rows_of(session, batch)] == ["updated", "unchanged", "imported"]
    assert count(session, Transaction) == 4  # B-2019-0101 is not in the newer extract and stays
    corrected = session.scalar(select(Event).where(Event.type == "TransactionCorrected"))
    assert corrected.payload["changes"] == {"amount": {"before": "350000.20", "after": "350000.30"}}
    assert corrected.payload["before"]["amount_eur"] == "350000.20"
    assert corrected.payload["after"] == {"programme_id": tradeline.programme_id, "activity_id": tradeline.id,
                                          "year": 2019, "kind": "disbursement", "amount_eur": "350000.30"}
    line = session.scalar(select(Transaction).where(Transaction.document_number == "B-2019-0202"))
    session.refresh(line)
    assert (line.amount, line.version) == (Decimal("350000.30"), 2)


def test_corrections_keep_the_budget_projection_right(app, session, tradeline, files, run_import):
    run_import("spending", spending_workbook(files / "march.xlsx"))
    rows = tradeline_ledger_rows()
    rows[0][1] = date(2020, 1, 15)  # booked in the wrong year
    run_import("spending", spending_workbook(files / "april.xlsx", rows))
    session.commit()
    dispatch(app.extensions["aidledger.db"].Session)
    session.expire_all()
    assert session.get(ProgrammeYearTotal, (tradeline.programme_id, 2019)).disbursed == Decimal("340000.15")
    assert session.get(ProgrammeYearTotal, (tradeline.programme_id, 2020)).disbursed == Decimal("400000.10")


def test_dutch_headers_and_notation_are_read(session, tradeline, files, run_import):
    rows = [["B-2019-0301", "15/10/2019", "MWI-2019-TLC", "€ 1.234,56", "EUR", "Derde schijf", "QB0", "Uitbetaling"],
            ["B-2019-0302", "16.10.2019", " MWI-2019-TLC\u00a0", "(200,00)", "", "Correctie", "QB0", "uitbetaling"],
            ["R-2019-0303", "2019-10-17", "MWI-2019-TLC", "1,234.56", "eur", "Terugstorting", "QB0",
             "Terugbetaling"]]
    batch = run_import("spending", spending_workbook(files / "boekingen.xlsx", rows,
                                                      headers=DUTCH_SPENDING_HEADERS))
    assert batch.status == "imported", [(r.column, r.reason) for r in rows_of(session, batch)]
    lines = session.scalars(select(Transaction).order_by(Transaction.document_number)).all()
    assert [(t.date, t.amount, t.kind) for t in lines] == [
        (date(2019, 10, 15), Decimal("1234.56"), "disbursement"),
        (date(2019, 10, 16), Decimal("-200.00"), "disbursement"),
        (date(2019, 10, 17), Decimal("1234.56"), "refund")]


def test_a_missing_exchange_rate_is_a_warning_and_leaves_eur_empty(session, tradeline, files, run_import):
    row = ["B-2019-ZAR", date(2019, 6, 3), "MWI-2019-TLC", 1000, "ZAR", "", "", ""]
    batch = run_import("spending", spending_workbook(files / "zar.xlsx", [row]))

    assert batch.status == "imported" and batch.warning_count == 1
    [result] = rows_of(session, batch)
    assert (result.outcome, result.severity, result.column) == ("imported", "warning", "currency")
    assert "no ZAR exchange rate for 2019" in result.reason
    assert session.scalar(select(Transaction.amount_eur).where(Transaction.document_number == "B-2019-ZAR")) is None


def test_row_errors_name_the_column_and_reason(session, tradeline, files, run_import):
    rows = tradeline_ledger_rows()
    rows[0][2] = "MWI-2099-XXX"
    rows[1][1] = "09/31/2019"
    rows[2][3] = "1.000"
    rows.append(["B-2019-0202", date(2019, 9, 3), "MWI-2019-TLC", 5, "USD", "Dup", "", ""])
    rows.append(["B-2019-0404", date(2019, 9, 3), "MWI-2019-TLC", "$ 5", "EUR", "", "", ""])
    rows.append(["B-2019-0505", date(2019, 9, 3), "MWI-2019-TLC", 5, "EUR", "", "", "gift"])
    batch = run_import("spending", spending_workbook(files / "bad.xlsx", rows))

    found = {r.row_number: (r.outcome, r.column) for r in rows_of(session, batch)}
    assert found == {2: ("error", "activity_code"), 3: ("error", "posting_date"), 4: ("error", "amount"),
                     5: ("error", "document_number"), 6: ("error", "amount"), 7: ("error", "kind")}
    reasons = {r.row_number: r.reason for r in rows_of(session, batch)}
    assert "no activity with code MWI-2099-XXX" in reasons[2]
    assert "ambiguous amount '1.000'" in reasons[4]
    assert "appears already on row 3" in reasons[5]
    assert "in USD but the currency column says EUR" in reasons[6]


def test_any_error_rejects_the_whole_file_by_default(session, tradeline, files, run_import):
    rows = tradeline_ledger_rows()
    rows[2][3] = "ten thousand"
    before = database_counts(session)
    batch = run_import("spending", spending_workbook(files / "bad.xlsx", rows))

    assert batch.status == "rejected" and not batch.written
    assert batch.message.startswith("Nothing was imported: 1 of 3 rows have errors")
    assert count(session, Transaction) == before["transactions"]
    new_events = session.scalars(select(Event.type).where(Event.id > 0, Event.correlation_id == f"import-{batch.id}"))
    assert list(new_events) == ["ImportBatchRejected"]


def test_accept_valid_rows_imports_them_and_keeps_the_error_rows(session, tradeline, files, run_import):
    rows = tradeline_ledger_rows()
    rows[2][3] = "ten thousand"
    batch = run_import("spending", spending_workbook(files / "bad.xlsx", rows), mode="accept_valid_rows")

    assert batch.status == "partially_imported" and batch.written
    assert (batch.imported_count, batch.error_count) == (2, 1)
    [error] = [r for r in rows_of(session, batch) if r.outcome == "error"]
    assert error.raw[0] == "R-2019-0001" and error.raw[1] == "2019-12-02"
    assert count(session, Transaction) == 2


def test_check_only_reports_every_row_and_writes_nothing(session, tradeline, files, run_import):
    before = count(session, Transaction)
    batch = run_import("spending", spending_workbook(files / "ledger.xlsx"), dry_run=True)

    assert batch.status == "checked" and not batch.written
    assert [r.outcome for r in rows_of(session, batch)] == ["imported"] * 3
    assert count(session, Transaction) == before
    assert "nothing was written" in batch.message
    assert session.scalar(select(Event).where(Event.correlation_id == f"import-{batch.id}")) is None


def test_a_file_with_only_errors_never_reads_as_success(session, tradeline, files, run_import):
    rows = [["", date(2019, 5, 2), "MWI-2019-TLC", 1, "EUR", "", "", ""]]
    batch = run_import("spending", spending_workbook(files / "bad.xlsx", rows), mode="accept_valid_rows")
    assert batch.status == "rejected" and "Nothing was imported" in batch.message
