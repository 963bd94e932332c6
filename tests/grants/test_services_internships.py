"""Flanders Trainee Programme: 2–6 months, travel lump sum plus a monthly allowance per destination."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from grants.models import Person
from grants.services.allowances import internship_allowance, period_length
from grants.services.applications import update_draft
from grants.services.assess import record_assessment, start_assessment
from grants.services.commit import create_commitment
from grants.services.decide import approve
from grants.services.errors import GrantsError, GuardViolation
from grants.services.submit import submit
from tests.builders.grants import full_marks, intern_application
from tests.grants.helpers import grant_events


@pytest.mark.parametrize("start, end, months, days", [
    (date(2024, 2, 1), date(2024, 5, 31), 4, 0),
    (date(2024, 1, 31), date(2024, 3, 30), 2, 0),
    (date(2024, 3, 15), date(2024, 5, 29), 2, 15),
    (date(2024, 9, 1), date(2025, 2, 28), 6, 0),
])
def test_period_length_counts_whole_months_then_days(start, end, months, days):
    assert period_length(start, end) == (months, days)


@pytest.mark.parametrize("destination, start, end, total", [
    ("Rome", date(2024, 2, 1), date(2024, 5, 31), "4600.00"),       # 200 + 4 × 1100
    ("Maputo", date(2024, 9, 1), date(2025, 2, 28), "5900.00"),     # 500 + 6 × 900
    ("New York", date(2024, 3, 15), date(2024, 5, 29), "5000.00"),  # 500 + 2 × 1800 + 15/30 × 1800
    ("geneva", date(2024, 1, 1), date(2024, 2, 29), "3200.00"),     # case-insensitive: 200 + 2 × 1500
])
def test_the_allowance_follows_the_configured_scale(session, ftp, destination, start, end, total):
    assert internship_allowance(session, ftp.scheme, destination, start, end).total == Decimal(total)


@pytest.mark.parametrize("start, end, message", [
    (date(2024, 2, 1), date(2024, 3, 30), "at least 2 months"),
    (date(2024, 2, 1), date(2024, 8, 1), "at most 6 months"),
    (date(2024, 5, 1), date(2024, 4, 1), "before the start"),
])
def test_an_internship_lasts_two_to_six_months(session, ftp, start, end, message):
    with pytest.raises(GrantsError, match=message):
        intern_application(session, ftp.scheme, start=start, end=end)
    assert session.scalar(select(Person.id)) is None


def test_an_intern_cannot_ask_more_than_the_scale_and_gets_it_by_default(session, ftp):
    with pytest.raises(GuardViolation, match="allowance for this period and destination is 4600.00"):
        intern_application(session, ftp.scheme, amount=Decimal("4600.01"))
    application = intern_application(session, ftp.scheme, call=ftp.call)
    assert application.amount_requested == Decimal("4600.00")
    assert application.title == "Internship at FAO, Rome"
    with pytest.raises(GrantsError, match="destination 'Atlantis'"):
        update_draft(session, application, destination="Atlantis")


def test_interns_are_kept_apart_and_never_named_in_events(session, ftp):
    application = intern_application(session, ftp.scheme, full_name="Lotte Vandenbroucke", call=ftp.call)
    assert application.person.full_name == "Lotte Vandenbroucke"
    update_draft(session, application, full_name="Lotte Vanden Broucke", phone="+32 470 99 88 77",
                 host_organisation="UNDP", destination="Maputo", start_date=date(2024, 2, 1),
                 end_date=date(2024, 4, 30))
    created, changed = grant_events(session, application)
    for event in (created, changed):
        text = str(event.payload)
        assert "Vanden" not in text and "470" not in text and "Maputo" not in text and "UNDP" not in text
    assert sorted(changed.payload["personal_fields_changed"]) == [
        "destination", "end_date", "full_name", "host_organisation", "phone", "title"]
    assert changed.payload["changes"] == {"amount_requested": {"before": "4600.00", "after": "3200.00"}}


def test_an_internship_defaults_to_donor_interest_unless_the_reviewer_records_otherwise(session, ftp):
    def decide(application, objective):
        submit(session, application, today=date(2024, 1, 10))
        start_assessment(session, application)
        record_assessment(session, application, ftp.assessor, *full_marks(ftp.scheme), "approve",
                          main_objective=objective)
        approve(session, application, ftp.approver, application.amount_requested)
        return create_commitment(session, application, commitment_date=date(2024, 1, 20), today=date(2024, 2, 1))

    default = decide(intern_application(session, ftp.scheme, call=ftp.call), None)
    assert (default.main_objective, default.aid_type) == ("donor_interest", "D01")
    assert "Lotte" not in default.title and ftp.scheme.name in default.title
    reviewed = decide(intern_application(session, ftp.scheme, call=ftp.call, full_name="Jonas Maes",
                                         destination="Maputo", host="UNDP"),
                      "development")
    assert reviewed.main_objective == "development"


@pytest.mark.parametrize("person, field", [
    ({"full_name": ""}, "full_name"),
    ({"full_name": "A" * 201}, "full_name"),
    ({"full_name": "Eve\x00Null"}, "full_name"),
    ({"full_name": "Eve", "email": "not-an-email"}, "email"),
    ({"full_name": "Eve", "phone": "call me"}, "phone"),
    ({"full_name": "Eve", "password": "x"}, "password"),
    ("Eve", "full_name"),
])
def test_bad_personal_details_are_refused(session, ftp, person, field):
    from grants.services.applications import create_application

    with pytest.raises(GrantsError) as err:
        create_application(session, ftp.scheme, person=person, host_organisation="FAO", destination="Rome",
                           start_date=date(2024, 2, 1), end_date=date(2024, 5, 31))
    assert err.value.field == field
