"""A rate change revalues the ledger's EUR values in its own transaction, with one event."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.events.dispatcher import dispatch, replay
from app.events.models import Event
from app.rates.services import RateError, RateOrigin, eur_value, one_revaluation_per_year, set_rate
from programmes.models import ActivityYearTotal, ProgrammeYearTotal
from tests.builders.programmes import disburse, malawi_agriculture_programme, tradeline_market_access

EUR_2023 = "0.924840"  # IMF, EUR per USD
MWK_2023 = "1161.0943666667"  # IMF, kwacha per USD


@pytest.fixture
def kwacha_lines(session):
    """Tradeline in Malawi, paid in kwacha and in euro in 2023 before the kwacha rate existed."""
    set_rate(session, 2023, "EUR", EUR_2023, "IMF", RateOrigin.IMF)
    activity = tradeline_market_access(session, malawi_agriculture_programme(session))
    lines = [disburse(session, activity, date(2023, 3, 1), "180000000.00", "B-2023-MWK1", currency="MWK"),
             disburse(session, activity, date(2023, 9, 1), "95500000.55", "B-2023-MWK2", currency="MWK"),
             disburse(session, activity, date(2023, 10, 2), "2500000.00", "T-2023-MWK1", kind="refund",
                      currency="MWK"),
             disburse(session, activity, date(2023, 5, 2), "400000.10", "B-2023-0101"),
             disburse(session, activity, date(2024, 1, 5), "50000000.00", "B-2024-MWK1", currency="MWK")]
    return activity, lines


def _revalued(session) -> list[Event]:
    return session.scalars(select(Event).where(Event.type == "TransactionsRevalued").order_by(Event.id)).all()


def test_without_a_rate_a_line_stays_unconverted_never_zero(session, kwacha_lines):
    _, lines = kwacha_lines
    assert [line.amount_eur for line in lines] == [None, None, None, Decimal("400000.10"), None]


def test_a_new_rate_revalues_the_years_lines_of_that_currency_with_one_event(session, kwacha_lines):
    _, lines = kwacha_lines
    rate = set_rate(session, 2023, "MWK", MWK_2023, "DAC annual average 2023")
    assert [line.amount_eur for line in lines] == [
        eur_value(lines[0].amount, rate.units_per_eur), eur_value(lines[1].amount, rate.units_per_eur),
        eur_value(lines[2].amount, rate.units_per_eur), Decimal("400000.10"), None], "2024 has no rate yet"
    assert lines[0].amount_eur == Decimal("143374.39"), "180,000,000 MWK at 1255.4543128181 MWK per EUR"
    (event,) = _revalued(session)
    assert event.aggregate_id == "2023-MWK" and event.payload["rates"] == ["2023-MWK"]
    assert (event.payload["lines"], event.payload["revalued"]) == (3, 3)
    cents = {kind: int(sum(l.amount_eur for l in lines[:3] if l.kind == kind) * 100)
             for kind in ("disbursement", "refund")}
    assert event.payload["totals_cents"]["disbursement"] == {
        "before": 0, "after": cents["disbursement"], "unconverted_before": 2, "unconverted_after": 0}
    assert event.payload["totals_cents"]["refund"]["after"] == cents["refund"]


def test_a_changed_eur_rate_revalues_every_currency_of_the_year(session, kwacha_lines):
    _, lines = kwacha_lines
    set_rate(session, 2023, "MWK", MWK_2023, "DAC annual average 2023")
    before = lines[0].amount_eur
    set_rate(session, 2023, "EUR", "0.9248", "DAC annual average 2023")
    assert lines[0].amount_eur != before and lines[3].amount_eur == Decimal("400000.10")
    last = _revalued(session)[-1]
    assert last.aggregate_id == "2023-EUR" and last.payload["currencies"] == ["MWK"]


def test_a_file_of_rates_revalues_once_per_year(session, kwacha_lines):
    with one_revaluation_per_year(session):
        set_rate(session, 2023, "MWK", MWK_2023, "koersen.xlsx")
        set_rate(session, 2023, "EUR", "0.9248", "koersen.xlsx")
        set_rate(session, 2024, "EUR", "0.923890", "koersen.xlsx")
        set_rate(session, 2024, "MWK", "1734.5", "koersen.xlsx")
        assert _revalued(session) == [], "nothing before the end of the file"
    events = _revalued(session)
    assert [(e.aggregate_id, e.payload["rates"], e.payload["lines"]) for e in events] == [
        ("2023", ["2023-MWK", "2023-EUR"], 3), ("2024-MWK", ["2024-MWK"], 1)], \
        "no kwacha line moved with the EUR rate of 2024"


def test_a_refused_rate_changes_nothing(session, kwacha_lines):
    set_rate(session, 2023, "MWK", MWK_2023, "DAC annual average 2023", RateOrigin.OFFICER)
    count = session.scalar(select(func.count()).select_from(Event))
    with pytest.raises(RateError, match="officer rate of MWK for 2023 outranks a imf rate"):
        set_rate(session, 2023, "MWK", "1161.09", "IMF file", RateOrigin.IMF)
    for bad in ("0", "-1161.09"):
        with pytest.raises(RateError, match="must be positive"):
            set_rate(session, 2023, "MWK", bad, "typo")
    assert session.scalar(select(func.count()).select_from(Event)) == count


def test_the_projections_follow_the_revaluation_and_replay_to_the_same_totals(app, session, kwacha_lines):
    activity, lines = kwacha_lines
    factory = app.extensions["aidledger.db"].Session
    session.commit()
    dispatch(factory)
    set_rate(session, 2023, "MWK", MWK_2023, "DAC annual average 2023")
    session.commit()
    dispatch(factory)

    def totals():
        session.expire_all()
        programme = session.get(ProgrammeYearTotal, (activity.programme_id, 2023))
        own = session.get(ActivityYearTotal, (activity.id, 2023))
        return programme.disbursed, own.disbursed, own.unconverted

    net = sum(l.amount_eur for l in lines[:4] if l.kind == "disbursement") - lines[2].amount_eur
    assert totals() == (net, net, 0)
    replay(factory, "budget_totals")
    replay(factory, "activity_totals")
    assert totals() == (net, net, 0)
