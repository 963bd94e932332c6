"""The ODA part of ``flask demo load``: reference data, a deadline, a first classification."""
from sqlalchemy import func, select

from oda.demo import load
from oda.models import ReportingYear
from oda.services.rates_check import current_reporting_year


def test_demo_load_is_repeatable(session):
    first = load(session)
    assert first["reference lists changed"] >= 10
    year = current_reporting_year()
    deadline = session.get(ReportingYear, year).deadline
    assert (deadline.year, deadline.month, deadline.day) == (year + 1, 6, 30)
    again = load(session)
    assert again["reference lists changed"] == 0 and again["transactions classified"] == 0
    assert session.scalar(select(func.count()).select_from(ReportingYear)) == 1
