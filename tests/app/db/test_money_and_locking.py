from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm.exc import StaleDataError

from app.db import get_db
from app.events.models import Event
from programmes.models import Transaction
from tests.builders.programmes import disburse, malawi_agriculture_programme, tradeline_market_access


def test_sums_of_cents_are_exact_on_every_engine(session):
    activity = tradeline_market_access(session, malawi_agriculture_programme(session, with_budget=False))
    for i in range(10):
        disburse(session, activity, date(2020, 1, 1), "0.10", f"D-{i}")
        disburse(session, activity, date(2020, 1, 2), "0.20", f"E-{i}")
    assert session.scalar(select(func.sum(Transaction.amount))) == Decimal("3.00")
    assert session.scalar(text("SELECT SUM(amount_minor) FROM transactions")) == 300
    loaded = session.scalars(select(Transaction).where(Transaction.document_number == "D-0")).one()
    assert loaded.amount == Decimal("0.10") and isinstance(loaded.amount, Decimal)


def test_money_refuses_floats_and_sub_cent_values(session):
    activity = tradeline_market_access(session, malawi_agriculture_programme(session, with_budget=False))
    txn = disburse(session, activity, date(2020, 1, 1), "10.00", "D-1")
    txn.amount = 0.1
    with pytest.raises(Exception, match="float"):
        session.flush()
    session.rollback()


def test_concurrent_edit_of_an_activity_is_refused(app, session):
    programme = malawi_agriculture_programme(session, with_budget=False)
    activity = tradeline_market_access(session, programme)
    session.commit()
    other = get_db(app).Session()
    stale_copy = other.get(type(activity), activity.id)
    activity.title = "Market access for smallholders, phase 2"
    session.commit()
    stale_copy.title = "Something else"
    with pytest.raises(StaleDataError):
        other.flush()
    other.rollback()
    other.close()


def test_an_event_is_never_kept_without_its_change(session):
    programme = malawi_agriculture_programme(session, with_budget=False)
    session.commit()
    events_before = session.scalar(select(func.count()).select_from(Event))
    from programmes.services.programmes import set_budget_line

    set_budget_line(session, programme, 2020, Decimal("100.00"))
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Event)) == events_before
