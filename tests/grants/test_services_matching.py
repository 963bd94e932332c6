"""Payments matched from the imported ledger by the document number listed on a tranche."""
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.events.dispatcher import dispatch
from grants.jobs import match_ledger_payments
from grants.models import LedgerMismatch, Payment
from grants.services.matching import dismiss_mismatch, retry_mismatch
from grants.services.overview import open_mismatches
from grants.services.schedule import change_tranche, schedule_tranche
from programmes.models import Activity
from programmes.services.transactions import record_transaction
from tests.builders.grants import committed, vvn_application
from tests.builders.programmes import malawi_agriculture_programme, tradeline_market_access
from tests.grants.helpers import grant_events


def grant(session, unp, tranche_amount="10000.00", document="BK2024-0505"):
    application = committed(session, vvn_application(session, unp.scheme, unp.call), unp.assessor, unp.approver)
    tranche = schedule_tranche(session, application, date(2024, 4, 1), Decimal(tranche_amount),
                               document_number=document)
    return application, tranche


def ledger_line(session, activity, document, amount="10000.00", kind="disbursement", source="ledger"):
    """What the finance import books: a line of the accounting system's extract."""
    return record_transaction(session, activity, kind, date(2024, 4, 3), Decimal(amount), document, source=source)


def deliver(app, session):
    session.commit()
    dispatch(app.extensions["aidledger.db"].Session, only=["grants_ledger_matching"])
    session.expire_all()


def test_a_ledger_disbursement_with_the_tranches_document_number_pays_the_tranche(app, session, unp):
    application, tranche = grant(session, unp)
    ledger_line(session, session.get(Activity, application.activity_id), "BK2024-0505")
    deliver(app, session)

    payment = session.scalar(select(Payment).where(Payment.tranche_id == tranche.id))
    assert (payment.source, payment.amount, payment.document_number) == ("ledger", Decimal("10000.00"), "BK2024-0505")
    assert tranche.status == "paid" and application.paid_amount == Decimal("10000.00")
    assert grant_events(session, application, "PaymentRecorded")[0].payload["source"] == "ledger"
    deliver(app, session)  # delivering again matches nothing twice
    assert len(session.scalars(select(Payment)).all()) == 1


def test_a_line_booked_on_another_activity_is_kept_as_a_mismatch(app, session, unp):
    application, tranche = grant(session, unp)
    elsewhere = tradeline_market_access(session, malawi_agriculture_programme(session, with_budget=False))
    ledger_line(session, elsewhere, "BK2024-0505")
    deliver(app, session)

    assert session.scalar(select(Payment.id)) is None and tranche.status == "planned"
    mismatch = session.scalar(select(LedgerMismatch))
    assert mismatch.reason == "booked on another activity than the grant's"
    assert [m.id for m, _ in open_mismatches(session, None)] == [mismatch.id]
    assert open_mismatches(session, {elsewhere.programme_id}) == []
    dismiss_mismatch(session, mismatch, "Booked on the wrong project code; finance corrects it")
    assert open_mismatches(session, None) == []


def test_a_line_above_the_tranche_waits_until_the_schedule_is_fixed(app, session, unp):
    application, tranche = grant(session, unp)
    ledger_line(session, session.get(Activity, application.activity_id), "BK2024-0505", amount="12000.00")
    deliver(app, session)
    mismatch = session.scalar(select(LedgerMismatch))
    assert "12000.00 is more than is left on tranche 1" in mismatch.reason
    assert retry_mismatch(session, mismatch) == "mismatch"

    change_tranche(session, application, tranche, amount=Decimal("12000.00"))
    assert retry_mismatch(session, mismatch) == "matched"
    assert mismatch.resolved_at is not None and application.paid_amount == Decimal("12000.00")


def test_a_document_noted_after_the_import_is_matched_at_once(session, unp):
    application = committed(session, vvn_application(session, unp.scheme, unp.call), unp.assessor, unp.approver)
    ledger_line(session, session.get(Activity, application.activity_id), "BK2024-0777", amount="5000.00")
    tranche = schedule_tranche(session, application, date(2024, 4, 1), Decimal("5000.00"),
                               document_number="BK2024-0777")
    assert tranche.status == "paid" and application.paid_amount == Decimal("5000.00")


def test_only_ledger_disbursements_are_matched(app, session, unp):
    application, tranche = grant(session, unp)
    activity = session.get(Activity, application.activity_id)
    ledger_line(session, activity, "BK2024-0505", kind="refund")
    ledger_line(session, activity, "BK2024-0505", source="grants-test")
    deliver(app, session)
    assert session.scalar(select(Payment.id)) is None and session.scalar(select(LedgerMismatch.id)) is None


def test_the_daily_job_matches_what_the_handler_did_not_see(session, unp):
    application, tranche = grant(session, unp)
    ledger_line(session, session.get(Activity, application.activity_id), "BK2024-0505")
    counts = match_ledger_payments(session)
    assert counts == {"looked_at": 1, "matched": 1}
    assert match_ledger_payments(session) == {"looked_at": 0}
