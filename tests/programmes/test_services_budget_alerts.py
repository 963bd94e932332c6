"""Budget alerts: BudgetOverrun once per programme-year and level."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.events.dispatcher import dispatch
from app.events.models import Event
from app.scheduler.execution import execute_job
from app.scheduler.registry import get_job
from programmes.services.budget_alerts import check_budget_overruns
from programmes.services.programmes import set_budget_line
from tests.builders.programmes import (disburse, malawi_agriculture_programme, mozambique_health_programme,
                                       tradeline_market_access)


def _project(app, session):
    session.commit()
    dispatch(app.extensions["aidledger.db"].Session, only=["budget_totals"])
    session.expire_all()


def _alerts(session) -> list[dict]:
    return [e.payload for e in session.scalars(select(Event).where(Event.type == "BudgetOverrun").order_by(Event.id))]


def _overspent_malawi_2020(app, session):
    """Malawi plans EUR 5 M for 2020; Tradeline receives 5.2 M that year."""
    programme = malawi_agriculture_programme(session)
    activity = tradeline_market_access(session, programme)
    disburse(session, activity, date(2020, 3, 2), "3000000.00", "B-2020-0101")
    disburse(session, activity, date(2020, 9, 1), "2200000.45", "B-2020-0202")
    disburse(session, activity, date(2021, 3, 1), "1000000.00", "B-2021-0101")
    _project(app, session)
    return programme, activity


def test_an_overspent_year_raises_one_alert_with_exact_figures(app, session):
    programme, _ = _overspent_malawi_2020(app, session)
    counts = check_budget_overruns(session)
    assert counts == {"overruns": 1, "alerts": 1, "unchanged": 0}
    [event] = session.scalars(select(Event).where(Event.type == "BudgetOverrun")).all()
    assert (event.aggregate_type, event.aggregate_id) == ("Programme", str(programme.id))
    assert event.payload == {"programme_id": programme.id, "year": 2020, "planned": "5000000.00",
                             "disbursed": "5200000.45", "excess": "200000.45"}


def test_nothing_changed_means_no_second_alert(app, session):
    _overspent_malawi_2020(app, session)
    check_budget_overruns(session)
    session.commit()
    assert check_budget_overruns(session) == {"overruns": 1, "alerts": 0, "unchanged": 1}
    assert len(_alerts(session)) == 1


def test_a_new_level_of_overspending_or_a_new_plan_raises_a_new_alert(app, session):
    programme, activity = _overspent_malawi_2020(app, session)
    check_budget_overruns(session)
    disburse(session, activity, date(2020, 12, 1), "100000.00", "B-2020-0303")
    _project(app, session)
    assert check_budget_overruns(session)["alerts"] == 1
    set_budget_line(session, programme, 2020, Decimal("5250000.00"))
    _project(app, session)
    assert check_budget_overruns(session)["alerts"] == 1
    assert [(a["disbursed"], a["planned"], a["excess"]) for a in _alerts(session)] == [
        ("5200000.45", "5000000.00", "200000.45"),
        ("5300000.45", "5000000.00", "300000.45"),
        ("5300000.45", "5250000.00", "50000.45"),
    ]


def test_spending_within_or_exactly_at_the_plan_raises_nothing(app, session):
    programme = malawi_agriculture_programme(session)
    activity = tradeline_market_access(session, programme)
    disburse(session, activity, date(2019, 5, 2), "5000000.00", "B-2019-0101")
    _project(app, session)
    assert check_budget_overruns(session) == {"overruns": 0, "alerts": 0, "unchanged": 0}


def test_spending_in_a_year_without_a_plan_is_an_overrun_of_all_of_it(app, session):
    from programmes.services.activities import create_activity

    programme = mozambique_health_programme(session)
    activity = create_activity(
        session, code="MOZ-2021-HLTH", title="Primary health care in Zambezia", programme_id=programme.id,
        recipient_code="259", purpose_code="12220", aid_type="C01", bi_multi="1", main_objective="development")
    disburse(session, activity, date(2021, 4, 1), "750000.00", "B-2021-0404")
    _project(app, session)
    check_budget_overruns(session)
    assert _alerts(session) == [{"programme_id": programme.id, "year": 2021, "planned": "0.00",
                                 "disbursed": "750000.00", "excess": "750000.00"}]


def test_the_daily_job_records_its_counts_and_signs_its_events(app, session):
    _overspent_malawi_2020(app, session)
    result = execute_job(app, get_job("budget_check"))
    assert (result.outcome, result.counts) == ("ok", {"overruns": 1, "alerts": 1, "unchanged": 0})
    session.expire_all()
    event = session.scalar(select(Event).where(Event.type == "BudgetOverrun"))
    assert event.actor == "scheduler:budget_check"
