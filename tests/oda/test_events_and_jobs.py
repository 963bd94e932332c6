"""Events make work pending; the scheduled jobs classify it, check rates and remind."""
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from app.events.dispatcher import dispatch
from app.events.models import Event
from app.rates.services import set_rate, to_eur
from app.scheduler.registry import load_jobs
from oda import jobs
from oda.models import Classification, PendingActivity, PendingTransaction
from oda.reference.apply import apply_batch
from oda.reference.batch import OFFICIAL, LoadBatch
from oda.services.classify import classify
from oda.services.deadlines import remind_near_deadlines, set_deadline
from oda.services.rates_check import check_rates
from programmes.services.activities import update_activity
from programmes.services.transactions import correct_transaction
from tests.builders.oda import CHILE_PROJECT, MALAWI_MARKET_ACCESS, UNESCO_CORE, activity_from, facts, pay


def deliver(app, session):
    session.commit()
    dispatch(app.extensions["aidledger.db"].Session, only=["oda_pending_work", "oda_exports_seen"])
    session.expire_all()


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_recorded_and_corrected_transactions_become_pending(app, session, reference, programmes):
    activity = activity_from(session, programmes["MWI"], MALAWI_MARKET_ACCESS)
    txn = pay(session, activity, date(2021, 3, 1), "100000.00", "B-2021-1")
    deliver(app, session)
    assert session.get(PendingTransaction, txn.id).reason == "DisbursementRecorded"
    classify(session)
    assert count(session, PendingTransaction) == 0

    correct_transaction(session, txn, amount=Decimal("90000.00"))
    deliver(app, session)
    assert session.get(PendingTransaction, txn.id).reason == "TransactionCorrected"
    classify(session)
    result = session.get(Classification, txn.id)
    assert result.oda_amount == Decimal("90000.00")
    history = session.scalars(select(Event).where(Event.type == "TransactionsClassified",
                                                  Event.aggregate_id == str(activity.id)).order_by(Event.id)).all()
    assert [e.payload["oda_amount_minor"] for e in history] == [10_000_000, 9_000_000]
    assert [e.payload["previous_status"] for e in history] == [None, "eligible"]


def test_a_changed_activity_is_reclassified(app, session, reference, programmes):
    activity = activity_from(session, programmes["MWI"], facts(MALAWI_MARKET_ACCESS, code="CHL-2019"))
    txn = pay(session, activity, date(2019, 3, 1), "80000.00", "B-2019-1")
    classify(session)
    update_activity(session, activity, recipient_code=CHILE_PROJECT.recipient_code)
    deliver(app, session)
    assert session.get(PendingActivity, activity.id) is not None
    counts = classify(session)
    assert counts["results_changed"] == 1
    result = session.get(Classification, txn.id)
    assert (result.status, result.previous_status) == ("not_eligible", "eligible")


def test_a_marker_change_re_evaluates_but_rewrites_nothing(app, session, reference, programmes):
    activity = activity_from(session, programmes["MWI"], MALAWI_MARKET_ACCESS)
    pay(session, activity, date(2021, 3, 1), "1.00", "B-2021-1")
    classify(session)
    update_activity(session, activity, marker_gender=2)
    deliver(app, session)
    counts = classify(session)
    assert counts["contexts"] == 1 and counts["results_changed"] == 0


def test_new_reference_data_reclassifies_only_what_it_changes(app, session, reference, programmes):
    unesco = activity_from(session, programmes["MULTI"], UNESCO_CORE)
    other = activity_from(session, programmes["MWI"], MALAWI_MARKET_ACCESS)
    core = pay(session, unesco, date(2023, 4, 1), "100000.00", "B-2023-1")
    pay(session, other, date(2023, 4, 1), "100000.00", "B-2023-2")
    classify(session)
    apply_batch(session, LoadBatch("annex2_coefficients", OFFICIAL, "OECD Annex 2, 2023", "sha", [{
        "channel_code": "41304", "year": 2023, "origin": OFFICIAL, "coefficient": Decimal("0.62"),
        "core_aid_type": "B02", "acronym": "UNESCO", "name_en": "UNESCO", "source": "OECD Annex 2, 2023"}]))
    deliver(app, session)
    assert count(session, PendingActivity) == 2
    counts = classify(session)
    assert counts["contexts"] == 2 and counts["results_changed"] == 1
    assert session.get(Classification, core.id).oda_amount == Decimal("62000.00")


def test_a_rate_set_later_reclassifies_that_currency(app, session, reference, programmes):
    activity = activity_from(session, programmes["MWI"], MALAWI_MARKET_ACCESS)
    txn = pay(session, activity, date(2022, 5, 1), "949039.00", "L-2022-1", currency="MWK")
    classify(session)
    set_rate(session, 2022, "MWK", Decimal("949.0390"), "IMF annual average, Malawi")
    deliver(app, session)
    classify(session)
    assert session.get(Classification, txn.id).oda_amount_eur == to_eur(session, Decimal("949039.00"), "MWK", 2022)
    assert session.get(Classification, txn.id).oda_amount_eur == Decimal("949.62")


def test_the_jobs_are_registered_and_return_counts(session, reference, programmes):
    registered = load_jobs()
    assert {"oda_classify_pending", "oda_rate_completeness", "oda_deadline_reminder"} <= set(registered)
    activity = activity_from(session, programmes["MWI"], MALAWI_MARKET_ACCESS)
    pay(session, activity, date(2021, 3, 1), "5.00", "B-2021-J")
    assert jobs.classify_pending(session)["results_changed"] == 1
    assert "alerts" in jobs.rate_completeness(session)
    assert "reminders" in jobs.deadline_reminder(session)


def test_a_missing_eur_rate_for_a_year_with_spending_raises_one_alert_a_day(session, reference, programmes):
    activity = activity_from(session, programmes["MWI"], MALAWI_MARKET_ACCESS)
    pay(session, activity, date(2025, 3, 1), "5.00", "B-2025-1")
    pay(session, activity, date(2025, 3, 2), "5.00", "L-2025-2", currency="MZN")
    first = check_rates(session, today=date(2026, 2, 1))
    assert (first["year"], first["missing"], first["alerts"]) == (2025, 2, 2)
    alerts = session.scalars(select(Event).where(Event.type == "ExchangeRateMissing")).all()
    assert {a.payload["currency"] for a in alerts} == {"EUR", "MZN"}
    assert check_rates(session, today=date(2026, 2, 1))["alerts"] == 0
    assert check_rates(session, year=2024, today=date(2026, 2, 1))["missing"] == 0


def test_a_reminder_goes_out_when_the_deadline_is_near_and_names_what_blocks_the_year(session, reference,
                                                                                     programmes):
    activity = activity_from(session, programmes["MWI"], facts(MALAWI_MARKET_ACCESS, recipient_code=None))
    pay(session, activity, date(2022, 6, 1), "5.00", "B-2022-1")
    classify(session)
    set_deadline(session, 2022, date(2023, 6, 30), remind_days=30)
    assert remind_near_deadlines(session, today=date(2023, 5, 1))["reminders"] == 0
    assert remind_near_deadlines(session, today=date(2023, 6, 5))["reminders"] == 1
    assert remind_near_deadlines(session, today=date(2023, 6, 5))["reminders"] == 0
    reminder = session.scalars(select(Event).where(Event.type == "ReportingDeadlineNear")).one()
    blocking = reminder.payload.pop("blocking")
    assert reminder.payload == {"year": 2022, "deadline": "2023-06-30", "days_left": 25, "open_reviews": 1}
    assert {"kind": "open_review_groups", "title": "Open review groups", "count": 1, "unit": "groups"} in blocking
    assert {"kind": "missing_mandatory_items", "title": "CRS rows missing a mandatory item", "count": 1,
            "unit": "activities"} in blocking


def test_no_reminder_while_nothing_blocks_the_year(session, reference, programmes):
    set_deadline(session, 2022, date(2023, 6, 30))
    assert remind_near_deadlines(session, today=date(2023, 6, 29))["reminders"] == 0


def test_an_export_marks_the_year_exported(app, session):
    from app.events import publish
    from oda.models import ReportingYear

    publish(session, "ExportGenerated", "ExportRun", 1, {"year": 2023, "sha256": "abc"})
    deliver(app, session)
    assert session.get(ReportingYear, 2023).last_export_at is not None
