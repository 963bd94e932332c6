from decimal import Decimal

import pytest
from sqlalchemy import select

from app.errors import ValidationError
from app.events.dispatcher import dispatch, replay
from app.events.models import Event
from programmes.models import ProgrammeYearTotal
from programmes.services.programmes import set_budget_line
from tests.builders.programmes import disburse, malawi_agriculture_programme, tradeline_market_access


def test_budget_line_change_emits_event_with_old_and_new_amount(session):
    programme = malawi_agriculture_programme(session)
    set_budget_line(session, programme, 2020, Decimal("4750000.50"))
    event = session.scalars(select(Event).where(Event.type == "BudgetLineChanged").order_by(Event.id.desc())).first()
    assert event.payload["planned_amount"] == {"before": "5000000.00", "after": "4750000.50"}
    assert event.payload["year"] == 2020


def test_unchanged_budget_line_emits_nothing(session):
    programme = malawi_agriculture_programme(session)
    before = session.scalar(select(Event.id).order_by(Event.id.desc()).limit(1))
    set_budget_line(session, programme, 2021, Decimal("5000000.00"))
    assert session.scalar(select(Event.id).order_by(Event.id.desc()).limit(1)) == before


@pytest.mark.parametrize("year, amount, field", [
    (2018, "1.00", "year"), (2024, "1.00", "year"), (2020, "-5.00", "planned_amount"),
    (2020, "1.005", "planned_amount"), (2020, "NaN", "planned_amount"),
])
def test_invalid_budget_lines_are_refused(session, year, amount, field):
    programme = malawi_agriculture_programme(session, with_budget=False)
    with pytest.raises(ValidationError) as err:
        set_budget_line(session, programme, year, amount)
    assert err.value.field == field


def test_projection_totals_match_the_ledger_and_survive_replay(app, session):
    programme = malawi_agriculture_programme(session)
    activity = tradeline_market_access(session, programme)
    disburse(session, activity, activity.commitment_date, "1600000.00", "C-2019-001", kind="commitment")
    disburse(session, activity, __import__("datetime").date(2019, 5, 2), "400000.10", "B-2019-0101")
    disburse(session, activity, __import__("datetime").date(2019, 9, 2), "350000.20", "B-2019-0202")
    disburse(session, activity, __import__("datetime").date(2019, 12, 2), "10000.05", "R-2019-0001", kind="refund")
    session.commit()
    factory = app.extensions["aidledger.db"].Session

    dispatch(factory)
    totals = session.get(ProgrammeYearTotal, (programme.id, 2019))
    session.refresh(totals)
    assert (totals.planned, totals.committed, totals.disbursed) == (
        Decimal("5000000.00"), Decimal("1600000.00"), Decimal("740000.25"))

    replay(factory, "budget_totals")
    session.expire_all()
    rebuilt = session.get(ProgrammeYearTotal, (programme.id, 2019))
    assert (rebuilt.planned, rebuilt.committed, rebuilt.disbursed) == (
        Decimal("5000000.00"), Decimal("1600000.00"), Decimal("740000.25"))


@pytest.mark.parametrize("amount", ["1e999", "-1e20", "Infinity", 0.5, "12,50", None])
def test_amounts_that_are_not_money_are_refused_with_a_field(amount):
    from app.errors import money_value

    with pytest.raises(ValidationError) as err:
        money_value(amount, "amount")
    assert err.value.field == "amount"
