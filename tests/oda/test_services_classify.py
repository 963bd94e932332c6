"""Classification end to end, in bulk: Flemish cases, amounts, events, idempotency."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.events.models import Event
from app.rates.services import set_rate, to_eur
from oda.models import Classification, ClassificationRun, Evaluation
from oda.services.classify import classify
from tests.builders.oda import (ADMIN_COSTS_FLANDERS, CERF_CORE, CHILE_PROJECT, FUT_INSTALMENT,
                                MALAWI_MARKET_ACCESS, MALAWI_PREPAREDNESS_OLD_CODE, TRAINEE_AT_HEADQUARTERS,
                                UNESCO_CORE, activity_from, facts, pay)


def result_of(session, txn) -> Classification:
    session.expire_all()
    return session.get(Classification, txn.id)


def reasons_of(session, result) -> dict:
    return {r["rule"]: r for r in session.get(Evaluation, result.evaluation_id).reasons}


def events(session, type_="TransactionsClassified"):
    return session.scalars(select(Event).where(Event.type == type_).order_by(Event.id)).all()


def classified(session) -> dict[int, dict]:
    """Each transaction's latest state, read from the TransactionsClassified events."""
    states = {}
    for event in events(session):
        outcome = {key: event.payload[key] for key in ("status", "previous_status", "share_e10", "override_id")}
        for transaction_id in event.payload["transaction_ids"]:
            states[transaction_id] = outcome | {"event": event}
    return states


@pytest.fixture
def portfolio(session, reference, programmes):
    """One transaction per Flemish case."""
    multi, mwi, indonor = programmes["MULTI"], programmes["MWI"], programmes["INDONOR"]
    acts = {
        "cerf": activity_from(session, multi, CERF_CORE),
        "unesco": activity_from(session, multi, UNESCO_CORE),
        "fut": activity_from(session, multi, FUT_INSTALMENT),
        "admin": activity_from(session, indonor, ADMIN_COSTS_FLANDERS),
        "trainee": activity_from(session, indonor, TRAINEE_AT_HEADQUARTERS),
        "chile": activity_from(session, multi, CHILE_PROJECT),
        "drr": activity_from(session, mwi, MALAWI_PREPAREDNESS_OLD_CODE),
        "norecipient": activity_from(session, mwi, facts(MALAWI_MARKET_ACCESS, code="MWI-2023-NR",
                                                         recipient_code=None)),
        "malawi": activity_from(session, mwi, MALAWI_MARKET_ACCESS),
    }
    txns = {
        "cerf": pay(session, acts["cerf"], date(2019, 3, 2), "600000.00", "B-2019-0001"),
        "unesco": pay(session, acts["unesco"], date(2019, 5, 6), "153333.33", "B-2019-0002"),
        "fut": pay(session, acts["fut"], date(2023, 5, 2), "450000.00", "B-2023-0003"),
        "admin": pay(session, acts["admin"], date(2022, 12, 20), "1250000.00", "B-2022-0004"),
        "trainee": pay(session, acts["trainee"], date(2023, 9, 1), "3700.00", "B-2023-0005"),
        "chile": pay(session, acts["chile"], date(2019, 7, 1), "80000.00", "B-2019-0006"),
        "drr": pay(session, acts["drr"], date(2019, 4, 1), "250000.00", "B-2019-0007"),
        "norecipient": pay(session, acts["norecipient"], date(2023, 2, 1), "10000.00", "B-2023-0008"),
        "mwk": pay(session, acts["malawi"], date(2023, 8, 1), "1161094.37", "L-2023-0009", currency="MWK"),
    }
    return acts, txns


def test_flemish_cases_are_classified_with_amounts_share_and_reasons(session, portfolio):
    _, txns = portfolio
    counts = classify(session)
    assert counts["results_changed"] == len(txns)

    cerf = result_of(session, txns["cerf"])
    assert (cerf.status, cerf.share, cerf.oda_amount, cerf.oda_amount_eur) == (
        "eligible", Decimal("1"), Decimal("600000.00"), Decimal("600000.00"))
    unesco = result_of(session, txns["unesco"])
    assert (unesco.status, unesco.share, unesco.oda_amount) == ("eligible", Decimal("0.6"), Decimal("92000.00"))
    assert result_of(session, txns["fut"]).oda_amount == Decimal("450000.00")
    assert result_of(session, txns["admin"]).status == "eligible"

    trainee = result_of(session, txns["trainee"])
    assert (trainee.status, trainee.oda_amount, trainee.oda_amount_eur) == (
        "not_eligible", Decimal("0.00"), Decimal("0.00"))
    assert reasons_of(session, trainee)["main_objective"]["result"] == "fail"
    assert result_of(session, txns["chile"]).status == "not_eligible"
    drr = result_of(session, txns["drr"])
    assert drr.status == "needs_review"
    assert "74010" in reasons_of(session, drr)["codes"]["reason"]
    assert result_of(session, txns["norecipient"]).status == "needs_review"


def test_a_currency_without_a_rate_is_never_converted_to_zero(session, portfolio):
    _, txns = portfolio
    classify(session)
    mwk = result_of(session, txns["mwk"])
    assert mwk.status == "needs_review"
    assert mwk.oda_amount == Decimal("1161094.37")
    assert mwk.amount_eur is None and mwk.oda_amount_eur is None
    assert "the 2023 MWK rate" in reasons_of(session, mwk)["exchange_rate"]["reason"]


def test_once_the_rate_is_set_the_eur_amount_matches_the_rates_service(session, portfolio):
    _, txns = portfolio
    classify(session)
    set_rate(session, 2023, "MWK", Decimal("1161.0943666667"), "IMF annual average, Malawi")
    classify(session, everything=True)
    mwk = result_of(session, txns["mwk"])
    expected = to_eur(session, Decimal("1161094.37"), "MWK", 2023)
    assert mwk.status == "eligible"
    assert mwk.amount_eur == expected == mwk.oda_amount_eur
    assert mwk.previous_status == "needs_review"


def test_results_carry_versions_and_each_change_is_an_event(session, portfolio):
    acts, txns = portfolio
    classify(session)
    unesco = result_of(session, txns["unesco"])
    assert unesco.reference_version > 0 and unesco.rules_version
    published = classified(session)
    assert set(published) == {t.id for t in txns.values()}
    state = published[txns["unesco"].id]
    assert state["status"] == "eligible" and state["share_e10"] == 6_000_000_000
    assert state["previous_status"] is None and state["override_id"] is None
    event = state["event"]
    assert (event.payload["count"], event.payload["oda_amount_minor"]) == (1, 9_200_000)
    assert (event.aggregate_type, event.aggregate_id) == ("Activity", str(acts["unesco"].id))
    assert event.payload["year"] == 2019 and event.payload["evaluation_id"] == unesco.evaluation_id
    assert event.payload["reference_version"] == unesco.reference_version


def test_running_again_changes_nothing_and_emits_nothing(session, portfolio):
    classify(session)
    before = len(events(session))
    assert classify(session)["results_changed"] == 0
    assert classify(session, everything=True)["results_changed"] == 0
    assert len(events(session)) == before
    assert session.scalar(select(func.count()).select_from(ClassificationRun)) == 3


def test_a_year_filter_leaves_other_years_pending(session, portfolio):
    _, txns = portfolio
    counts = classify(session, year=2019)
    assert counts["transactions_checked"] == 4
    assert result_of(session, txns["fut"]) is None
    assert classify(session)["results_changed"] == 5


def test_rounding_is_exact_and_half_to_even(session, reference, programmes):
    unesco = activity_from(session, programmes["MULTI"], UNESCO_CORE)
    small = pay(session, unesco, date(2019, 1, 2), "0.05", "B-2019-1")
    negative = pay(session, unesco, date(2019, 1, 3), "-100.05", "C-2019-2", kind="commitment")
    classify(session)
    assert result_of(session, small).oda_amount == Decimal("0.03")  # 0.05 × 0.6 = 0.030
    assert result_of(session, negative).oda_amount == Decimal("-60.03")


def test_a_large_amount_in_a_foreign_currency_is_exact(session, reference, programmes):
    set_rate(session, 2019, "EUR", Decimal("0.893276"), "IMF")
    set_rate(session, 2019, "ZAR", Decimal("14.4484270548"), "IMF")
    unesco = activity_from(session, programmes["MULTI"], UNESCO_CORE)
    big = pay(session, unesco, date(2019, 6, 1), "987654321012.35", "B-2019-BIG", currency="ZAR")
    classify(session)
    result = result_of(session, big)
    units = result.units_per_eur
    exact = (Decimal("987654321012.35") * Decimal("0.6") / units).quantize(Decimal("0.01"))
    assert result.oda_amount_eur == exact


def test_the_lines_of_one_outcome_are_one_event_with_their_totals(session, reference, programmes):
    unesco = activity_from(session, programmes["MULTI"], UNESCO_CORE)
    lines = [pay(session, unesco, date(2019, 1, 2 + n), "10.01", f"B-2019-S{n}") for n in range(5)]
    classify(session)
    (event,) = events(session)
    assert sorted(event.payload["transaction_ids"]) == sorted(t.id for t in lines)
    assert (event.payload["count"], event.payload["amount_minor"]) == (5, 5005)
    # 60 % of 10.01 is 6.006, rounded per line to 6.01: the total is the sum of the lines
    assert event.payload["oda_amount_minor"] == 5 * 601
    assert len(classified(session)) == 5

def test_a_new_line_of_an_evaluated_year_reads_its_outcome_at_once_and_the_job_lists_it_once(
        app, session, reference, programmes):
    """No row per line: the second UNESCO instalment of 2019 is 60 % ODA as soon as it is
    booked; the job's next run lists only it, after the handler queued it."""
    from app.events.dispatcher import dispatch

    unesco = activity_from(session, programmes["MULTI"], UNESCO_CORE)
    pay(session, unesco, date(2019, 1, 2), "100.00", "B-2019-1")
    classify(session)
    second = pay(session, unesco, date(2019, 6, 3), "50.05", "B-2019-2")
    assert result_of(session, second).oda_amount == Decimal("30.03")  # 60 % of 50.05, half to even
    session.commit()
    dispatch(app.extensions["aidledger.db"].Session, only=["oda_pending_work"])
    session.expire_all()
    before = len(events(session))
    assert classify(session)["results_changed"] == 1
    (event,) = events(session)[before:]
    assert event.payload["transaction_ids"] == [second.id]
    assert (event.payload["count"], event.payload["amount_minor"], event.payload["oda_amount_minor"]) == (
        1, 5005, 3003)
    assert event.payload["previous_status"] is None
