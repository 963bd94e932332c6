"""Refunds in a ledger extract: money returned, whatever sign or brackets the file uses.

A refund is booked as a positive amount of kind refund and lowers what was disbursed
once; a refund larger than what the activity disbursed up to that line (ledger and
file together) is imported with a warning on its row.
"""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.events.dispatcher import dispatch
from programmes.models import ActivityYearTotal, ProgrammeYearTotal, Transaction
from programmes.services.transactions import record_transaction
from tests.builders.importers import DUTCH_SPENDING_HEADERS, spending_workbook
from tests.importers.conftest import rows_of


def _line(document, when, amount, kind, description="Schijf"):
    return [document, when, "MWI-2019-TLC", amount, "EUR", description, "QB0-1QAD2MZ", kind]


def _import(run_import, files, rows, name="boekingen.xlsx"):
    return run_import("spending", spending_workbook(files / name, rows, headers=DUTCH_SPENDING_HEADERS))


def _stored(session, document):
    return session.scalar(select(Transaction).where(Transaction.document_number == document))


def _warnings(session, batch) -> dict:
    return {r.key: r.reason for r in rows_of(session, batch) if r.severity == "warning"}


def test_a_refund_in_brackets_lowers_what_the_programme_disbursed(app, session, tradeline, files, run_import):
    batch = _import(run_import, files, [
        _line("B-2019-0801", "01/08/2019", "1.000,00", "Uitbetaling", "Eerste schijf"),
        _line("T-2019-0802", "05/11/2019", "(250,00)", "terugbetaling", "Niet bestede middelen")])
    assert batch.status == "imported", [(r.column, r.reason) for r in rows_of(session, batch)]
    refund = _stored(session, "T-2019-0802")
    assert (refund.kind, refund.amount, refund.amount_eur) == ("refund", Decimal("250.00"), Decimal("250.00"))

    session.commit()
    dispatch(app.extensions["aidledger.db"].Session)
    session.expire_all()
    assert session.get(ProgrammeYearTotal, (tradeline.programme_id, 2019)).disbursed == Decimal("750.00")
    assert session.get(ActivityYearTotal, (tradeline.id, 2019)).disbursed == Decimal("750.00")


@pytest.mark.parametrize("written", ["250,00", "-250,00", "(250,00)", "€ -250", "-€ 250,00", "250,00-", "€ (250,00)",
                                     -250, -250.0, 250])
def test_a_refund_is_money_returned_whatever_its_sign(session, tradeline, files, run_import, written):
    batch = _import(run_import, files, [_line("B-2019-0801", date(2019, 8, 1), 1000, "uitbetaling"),
                                        _line("T-2019-0802", date(2019, 11, 5), written, "Terugstorting")])
    assert batch.status == "imported" and batch.warning_count == 0, _warnings(session, batch)
    assert _stored(session, "T-2019-0802").amount == Decimal("250.00")


def test_a_negative_disbursement_stays_a_correction_of_what_was_paid(session, tradeline, files, run_import):
    _import(run_import, files, [_line("B-2019-0801", date(2019, 8, 1), "(200,00)", "uitbetaling", "Correctie")])
    assert _stored(session, "B-2019-0801").amount == Decimal("-200.00")


def test_a_refund_larger_than_what_was_disbursed_is_a_row_warning(session, tradeline, files, run_import):
    record_transaction(session, tradeline, "disbursement", date(2019, 2, 1), Decimal("1000.00"), "B-2019-0001")
    batch = _import(run_import, files, [
        _line("B-2019-0801", date(2019, 8, 1), "500,00", "uitbetaling"),
        _line("T-2019-0901", date(2019, 9, 1), "(1.400,00)", "terugbetaling"),  # 1 500 paid: fine
        _line("T-2019-1001", date(2019, 10, 1), "(200,00)", "terugbetaling"),  # only 50 left
        _line("T-2019-0115", date(2019, 1, 15), "(50,00)", "terugbetaling"),  # before any payment, yet counted
    ])

    assert batch.status == "imported" and batch.warning_count == 2
    assert [r.outcome for r in rows_of(session, batch)] == ["imported"] * 4
    warnings = _warnings(session, batch)
    assert set(warnings) == {"T-2019-1001", "T-2019-0115"}
    assert ("refund of 200.00 EUR is more than the 50.00 EUR disbursed on MWI-2019-TLC up to 01/10/2019"
            in warnings["T-2019-1001"])
    assert "more than the 0.00 EUR disbursed" in warnings["T-2019-0115"]
    assert _stored(session, "T-2019-1001").amount == Decimal("200.00"), "imported all the same"


def test_a_line_of_the_ledger_that_the_file_corrects_is_not_counted_twice(session, tradeline, files, run_import):
    _import(run_import, files, [_line("B-2019-0801", date(2019, 8, 1), "1.000,00", "uitbetaling"),
                                _line("T-2019-0802", date(2019, 11, 5), "(250,00)", "terugbetaling")], "juli.xlsx")
    # the newer extract: the refund grew to 900; the old 250 must not be deducted as well
    newer = _import(run_import, files, [_line("B-2019-0801", date(2019, 8, 1), "1.000,00", "uitbetaling"),
                                        _line("T-2019-0802", date(2019, 11, 5), "(900,00)", "terugbetaling")],
                    "augustus.xlsx")
    assert [r.outcome for r in rows_of(session, newer)] == ["unchanged", "updated"]
    assert newer.warning_count == 0, _warnings(session, newer)
    # and the payment the newer extract moves after the refund no longer covers it
    later = _import(run_import, files, [_line("B-2019-0801", date(2019, 12, 1), "1.000,00", "uitbetaling"),
                                        _line("T-2019-0802", date(2019, 11, 5), "(900,00)", "terugbetaling")],
                    "september.xlsx")
    assert set(_warnings(session, later)) == {"T-2019-0802"}


def test_a_refund_stored_negative_by_an_older_import_is_corrected_by_the_next_extract(session, tradeline, files,
                                                                                       run_import):
    record_transaction(session, tradeline, "disbursement", date(2019, 8, 1), Decimal("1000.00"), "B-2019-0801")
    wrong = record_transaction(session, tradeline, "refund", date(2019, 11, 5), Decimal("250.00"), "T-2019-0802")
    wrong.amount = wrong.amount_eur = Decimal("-250.00")  # as the import stored it before refunds were signed
    session.flush()
    batch = _import(run_import, files, [_line("T-2019-0802", date(2019, 11, 5), "(250,00)", "terugbetaling")])
    assert [r.outcome for r in rows_of(session, batch)] == ["updated"]
    session.refresh(wrong)
    assert wrong.amount == Decimal("250.00")
