"""Overrides: accept, reject, set a share; kept on equal inputs, flagged when they change."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.errors import ValidationError
from app.events.dispatcher import dispatch
from app.events.models import Event
from oda.models import Classification, Override
from oda.reference.apply import apply_batch
from oda.reference.batch import OFFICIAL, LoadBatch
from oda.services.classify import classify
from oda.services.overrides import override_classification, parse_share, reconfirm
from programmes.services.activities import update_activity
from tests.builders.oda import (MALAWI_MARKET_ACCESS, TRAINEE_AT_HEADQUARTERS, UNESCO_CORE, activity_from, facts,
                                pay)


def fresh(session, txn) -> Classification:
    session.expire_all()
    return session.get(Classification, txn.id)


def deliver(app, session):
    session.commit()
    dispatch(app.extensions["aidledger.db"].Session)
    session.expire_all()


@pytest.fixture
def staff_costs(session, reference, programmes):
    """Malawi country office staff costs, coded with a withdrawn purpose code: needs review."""
    activity = activity_from(session, programmes["MWI"], facts(MALAWI_MARKET_ACCESS, code="MWI-2021-STAFF",
                                                               title="Lilongwe office staff", purpose_code="74010"))
    txn = pay(session, activity, date(2021, 6, 30), "84000.00", "B-2021-0101")
    classify(session)
    return activity, txn


def test_set_share_applies_the_officers_share_and_is_an_event(session, staff_costs):
    _, txn = staff_costs
    override = override_classification(session, txn.id, "set_share", "75 % of staff time is ODA work", "75 %")
    result = fresh(session, txn)
    assert (result.status, result.share, result.oda_amount, result.oda_amount_eur) == (
        "eligible", Decimal("0.75"), Decimal("63000.00"), Decimal("63000.00"))
    assert result.computed_status == "needs_review" and result.override_id == override.id
    event = session.scalars(select(Event).where(Event.type == "ClassificationOverridden")).one()
    assert event.payload["reason"] == "75 % of staff time is ODA work"
    assert event.payload["before"]["status"] == "needs_review"
    assert event.payload["after"]["oda_amount"] == "63000.00"


def test_accept_keeps_the_computed_share_and_reject_zeroes_it(session, reference, programmes):
    unesco = activity_from(session, programmes["MULTI"], facts(UNESCO_CORE, purpose_code="74010"))
    txn = pay(session, unesco, date(2019, 5, 2), "100000.00", "B-2019-U")
    classify(session)
    override_classification(session, txn.id, "accept", "Core contribution: 99810 applies, recoded in the next year")
    assert fresh(session, txn).oda_amount == Decimal("60000.00")
    override_classification(session, txn.id, "reject", "Paid from the culture budget twice; refunded")
    result = fresh(session, txn)
    assert (result.status, result.oda_amount) == ("not_eligible", Decimal("0.00"))
    states = session.scalars(select(Override.state).where(Override.transaction_id == txn.id).order_by(Override.id))
    assert list(states) == ["superseded", "active"]


def test_half_cents_round_to_even(session, staff_costs, programmes):
    activity, _ = staff_costs
    odd = pay(session, activity, date(2021, 7, 1), "0.15", "B-2021-ODD")
    even = pay(session, activity, date(2021, 7, 2), "0.05", "B-2021-EVEN")
    classify(session)
    override_classification(session, odd.id, "set_share", "half", "0.5")
    override_classification(session, even.id, "set_share", "half", "0.5")
    assert fresh(session, odd).oda_amount == Decimal("0.08")
    assert fresh(session, even).oda_amount == Decimal("0.02")


@pytest.mark.parametrize("action, reason, share, field", [
    ("set_share", "", "0.5", "reason"),
    ("set_share", "   ", "0.5", "reason"),
    ("set_share", "x" * 2001, "0.5", "reason"),
    ("set_share", "why", "1.5", "share"),
    ("set_share", "why", "-0.1", "share"),
    ("set_share", "why", "0", "share"),
    ("set_share", "why", "NaN", "share"),
    ("set_share", "why", "abc", "share"),
    ("set_share", "why", 0.5, "share"),
    ("set_share", "why", "0.12345678901", "share"),
    ("approve", "why", None, "action"),
])
def test_bad_overrides_are_refused_and_change_nothing(session, staff_costs, action, reason, share, field):
    _, txn = staff_costs
    with pytest.raises(ValidationError) as err:
        override_classification(session, txn.id, action, reason, share)
    assert err.value.field == field
    assert fresh(session, txn).status == "needs_review"
    assert session.scalar(select(Override.id)) is None


def test_an_override_cannot_replace_a_missing_exchange_rate(session, reference, programmes):
    activity = activity_from(session, programmes["MWI"], MALAWI_MARKET_ACCESS)
    txn = pay(session, activity, date(2023, 3, 1), "500000.00", "L-2023-1", currency="MWK")
    classify(session)
    with pytest.raises(ValidationError, match="set the rate first"):
        override_classification(session, txn.id, "accept", "fine")


def test_an_override_is_kept_when_reclassified_with_the_same_inputs(session, staff_costs):
    _, txn = staff_costs
    override_classification(session, txn.id, "set_share", "75 % of staff time", "0.75")
    counts = classify(session, everything=True)
    assert counts["overrides_flagged"] == 0 and counts["results_changed"] == 0
    assert fresh(session, txn).status == "eligible"


def test_an_override_is_flagged_when_the_activity_changes_and_can_be_reconfirmed(app, session, staff_costs):
    activity, txn = staff_costs
    override = override_classification(session, txn.id, "set_share", "75 % of staff time", "0.75")
    update_activity(session, activity, purpose_code="31120")
    deliver(app, session)
    counts = classify(session)
    assert counts["overrides_flagged"] == 1
    result = fresh(session, txn)
    assert result.status == "needs_review" and result.computed_status == "eligible"
    assert session.get(Override, override.id).state == "needs_reconfirmation"
    flagged = session.scalars(select(Event).where(Event.type == "ClassificationOverrideFlagged")).one()
    assert flagged.payload["changed"] == ["codes"]

    reconfirm(session, override.id, "Still 75 %: the office also handles Flemish consular work")
    result = fresh(session, txn)
    assert (result.status, result.oda_amount) == ("eligible", Decimal("63000.00"))


def test_an_override_is_flagged_when_the_reference_data_changes(app, session, reference, programmes):
    unesco = activity_from(session, programmes["MULTI"], UNESCO_CORE)
    txn = pay(session, unesco, date(2023, 5, 2), "100000.00", "B-2023-U")
    classify(session)
    override_classification(session, txn.id, "accept", "Checked against the UNESCO pledge letter")
    apply_batch(session, LoadBatch("annex2_coefficients", OFFICIAL, "OECD Annex 2, 2023 table", "sha", [{
        "channel_code": "41304", "year": 2023, "origin": OFFICIAL, "coefficient": Decimal("0.6200000000"),
        "core_aid_type": "B02", "acronym": "UNESCO", "name_en": "UNESCO", "source": "OECD Annex 2, 2023 table"}]))
    deliver(app, session)
    assert classify(session)["overrides_flagged"] == 1
    assert fresh(session, txn).status == "needs_review"


def test_an_unclassified_transaction_cannot_be_overridden(session, reference, programmes):
    activity = activity_from(session, programmes["INDONOR"], TRAINEE_AT_HEADQUARTERS)
    txn = pay(session, activity, date(2023, 1, 5), "1200.00", "B-2023-T")
    with pytest.raises(ValidationError, match="not been classified"):
        override_classification(session, txn.id, "accept", "why")


@pytest.mark.parametrize("raw, expected", [("0.75", "0.75"), ("75%", "0.75"), ("58,3333 %", "0.583333"),
                                           ("1", "1"), (Decimal("0.5"), "0.5")])
def test_shares_are_read_as_fractions_or_percentages(raw, expected):
    assert parse_share(raw) == Decimal(expected)


def test_each_outcome_of_an_activity_year_is_an_event_with_its_transactions_and_totals(
        app, session, staff_costs):
    """Two more staff-cost lines, one overridden at 75 %: once the purpose code is current, the
    flagged override and the two computed lines are two outcomes, two events."""
    activity, first = staff_costs
    second = pay(session, activity, date(2021, 9, 30), "21000.00", "B-2021-0102")
    third = pay(session, activity, date(2021, 12, 31), "10000.01", "B-2021-0103")
    classify(session)
    override = override_classification(session, first.id, "set_share", "75 % of staff time", "0.75")
    update_activity(session, activity, purpose_code="31120")
    deliver(app, session)
    before = session.scalar(select(func.max(Event.id)))
    classify(session)
    published = session.scalars(select(Event).where(Event.type == "TransactionsClassified", Event.id > before)
                                .order_by(Event.id)).all()
    by_status = {e.payload["status"]: e.payload for e in published}
    assert len(published) == 2 and set(by_status) == {"eligible", "needs_review"}
    computed = by_status["eligible"]
    assert sorted(computed["transaction_ids"]) == sorted([second.id, third.id])
    assert (computed["count"], computed["previous_status"], computed["share_e10"]) == (2, "needs_review",
                                                                                        10_000_000_000)
    assert computed["oda_amount_minor"] == 3_100_001 and computed["override_id"] is None
    flagged = by_status["needs_review"]
    assert flagged["transaction_ids"] == [first.id] and flagged["override_id"] == override.id
    assert flagged["previous_status"] == "eligible"
