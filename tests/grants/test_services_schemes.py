"""Scheme configuration and calls: validated, evented, controlled."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.events.models import Event
from grants.services.calls import close_call, open_call
from grants.services.errors import GrantsError, NotAllowed, WrongStatus
from grants.services.schemes import create_scheme, set_allowance_rate, update_scheme
from tests.builders.grants import grants_programme


@pytest.mark.parametrize("fields, field", [
    ({"kind": "lottery"}, "kind"),
    ({"code": "bad code!"}, "code"),
    ({"programme_id": 999_999}, "programme_id"),
    ({"crs_defaults": {"aid_type": "H01", "colour": "red"}}, "crs_defaults"),
    ({"crs_defaults": {"main_objective": "tax_avoidance"}}, "crs_defaults"),
    ({"crs_defaults": {"purpose_code": "998200"}}, "crs_defaults"),
    ({"criteria": [{"code": "a", "label": "A", "max_score": 0}]}, "criteria"),
    ({"criteria": [{"code": "a", "label": "A", "max_score": 5}, {"code": "a", "label": "B", "max_score": 5}]},
     "criteria"),
    ({"checklist": ["just text"]}, "checklist"),
    ({"checklist": [{"code": "x" * 41, "label": "long"}]}, "checklist"),
    ({"reminder_days": -1}, "reminder_days"),
    ({"min_months": 6, "max_months": 2}, "max_months"),
    ({"travel_lump_sum_europe": Decimal("-200.00")}, "travel_lump_sum_europe"),
])
def test_a_bad_configuration_is_refused(session, fields, field):
    programme = grants_programme(session, "GR-X", "Test scheme programme")
    base = {"code": "X", "name": "X scheme", "kind": "un_promoters", "programme_id": programme.id}
    with pytest.raises(GrantsError) as err:
        create_scheme(session, **{**base, **fields})
    assert err.value.field == field


def test_managers_tune_a_scheme_but_only_admins_touch_its_controls(session, unp, admin):
    diff = update_scheme(session, unp.scheme, user=unp.assessor, reminder_days=30)
    assert diff == {"reminder_days": {"before": 14, "after": 30}}
    for control in ({"four_eyes": False}, {"requires_assessment": False}, {"active": False}):
        with pytest.raises(NotAllowed, match="only an admin"):
            update_scheme(session, unp.scheme, user=unp.assessor, **control)
    update_scheme(session, unp.scheme, user=admin, four_eyes=False)
    changed = session.scalars(select(Event).where(Event.type == "SchemeChanged").order_by(Event.id)).all()
    assert changed[-1].payload["changes"] == {"four_eyes": {"before": True, "after": False}}


def test_allowance_rates_are_set_per_destination_and_evented(session, ftp):
    rate = set_allowance_rate(session, ftp.scheme, "Rome", True, Decimal("1150.00"))
    assert rate.monthly_allowance == Decimal("1150.00")
    assert set_allowance_rate(session, ftp.scheme, "rome", True, Decimal("1150.00")) is rate
    event = session.scalars(select(Event).where(Event.type == "AllowanceRateSet").order_by(Event.id.desc())).first()
    assert event.payload["before"] == {"in_europe": True, "monthly_allowance": "1100.00"}
    with pytest.raises(GrantsError):
        set_allowance_rate(session, ftp.scheme, "Paris", True, Decimal("-1.00"))


@pytest.mark.parametrize("year, ceiling, opens, closes, field", [
    (1999, "1.00", date(2024, 1, 1), None, "year"),
    (2024, "0.00", date(2024, 1, 1), None, "budget_ceiling"),
    (2024, "10.001", date(2024, 1, 1), None, "budget_ceiling"),
    (2024, "10.00", date(2024, 3, 1), date(2024, 2, 1), "closes_on"),
    (2024, "10.00", "2024-01-01", None, "opens_on"),
])
def test_a_call_needs_a_year_a_positive_ceiling_and_dates_in_order(session, unp, year, ceiling, opens, closes,
                                                                   field):
    with pytest.raises(Exception) as err:
        open_call(session, unp.scheme, "UNP-X", "t", year, ceiling, opens, closes)
    assert getattr(err.value, "field", None) == field


def test_a_closed_call_takes_no_new_applications(session, unp):
    from tests.builders.grants import vvn_application

    close_call(session, unp.call)
    with pytest.raises(WrongStatus):
        close_call(session, unp.call)
    with pytest.raises(GrantsError, match="closed"):
        vvn_application(session, unp.scheme, unp.call)
