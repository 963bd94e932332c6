"""Erasure of an intern: the person disappears everywhere, the money trail stays."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

import app.models  # noqa: F401 - every table in the metadata
from app.db import Base
from app.events.models import Event
from grants.services.applications import update_draft
from grants.services.assess import record_assessment, start_assessment
from grants.services.changes import decrease_commitment
from grants.services.commit import create_commitment
from grants.services.decide import approve
from grants.services.erasure import erase_person
from grants.services.errors import GrantsError, NotAllowed, WrongStatus
from grants.services.payments import record_payment
from grants.services.reports import receive_report, request_final_report
from grants.services.schedule import cancel_tranche, schedule_tranche
from grants.services.submit import submit
from programmes.models import Transaction
from tests.builders.grants import full_marks, intern_application

NAME, EMAIL, PHONE = "Lotte Vandenbroucke", "lotte.v@example.be", "+32 470 12 34 56"
TODAY = date(2024, 12, 31)


def places_mentioning(session, *needles) -> list[str]:
    """Every table.column whose value contains one of the needles (JSON payloads included)."""
    found = []
    for table in Base.metadata.sorted_tables:
        for row in session.execute(select(table)).mappings():
            for column, value in row.items():
                if value is not None and any(n.lower() in str(value).lower() for n in needles):
                    found.append(f"{table.name}.{column}")
    return sorted(set(found))


def intern_through_everything(session, ftp):
    application = intern_application(session, ftp.scheme, full_name=NAME, call=ftp.call)
    update_draft(session, application, description=f"{NAME} studied at KU Leuven")
    submit(session, application, today=date(2024, 1, 10))
    start_assessment(session, application)
    record_assessment(session, application, ftp.assessor, *full_marks(ftp.scheme), "approve",
                      comment=f"{NAME} has an excellent motivation letter")
    approve(session, application, ftp.approver, Decimal("4600.00"), reason=f"{NAME} fits FAO's needs")
    create_commitment(session, application, commitment_date=date(2024, 1, 20), today=TODAY)
    first = schedule_tranche(session, application, date(2024, 2, 1), Decimal("3000.00"))
    spare = schedule_tranche(session, application, date(2024, 6, 1), Decimal("600.00"))
    record_payment(session, application, first, date(2024, 2, 1), Decimal("3000.00"), "FTP2024-0017", today=TODAY)
    cancel_tranche(session, application, spare, f"{NAME} travelled by train")
    decrease_commitment(session, application, Decimal("600.00"), f"{NAME} stayed a week less", today=TODAY)
    report = request_final_report(session, application, date(2024, 7, 31), today=TODAY)
    receive_report(session, application, report, date(2024, 7, 15), notes=f"Report by {NAME}", today=TODAY)
    return application


def test_erasure_removes_the_person_from_the_whole_database_and_keeps_the_money(session, ftp):
    application = intern_through_everything(session, ftp)
    assert "grants_persons.full_name" in places_mentioning(session, NAME)
    assert not [p for p in places_mentioning(session, NAME, EMAIL, PHONE) if p.startswith("events.")]
    ledger_before = [(t.kind, t.amount, t.date) for t in session.scalars(select(Transaction).order_by(Transaction.id))]
    events_before = session.scalar(select(func.count()).select_from(Event))

    counts = erase_person(session, application.person, ftp.approver)

    assert places_mentioning(session, NAME, EMAIL, PHONE, "Vandenbroucke", "Lotte") == []
    assert counts == {"applications": 1, "texts": 6}
    assert [(t.kind, t.amount, t.date) for t in session.scalars(select(Transaction).order_by(Transaction.id))] \
        == ledger_before
    assert session.scalar(select(func.count()).select_from(Event)) == events_before + 1
    assert (application.approved_amount, application.paid_amount, application.committed_amount) == (
        Decimal("4600.00"), Decimal("3000.00"), Decimal("4000.00"))
    assert application.reference == "FTP-2024-001" and application.person.erased
    erased = session.scalar(select(Event).where(Event.type == "PersonErased"))
    assert erased.payload["application_ids"] == [application.id]


def test_an_erased_person_stays_erased(session, ftp):
    application = intern_application(session, ftp.scheme, full_name=NAME, call=ftp.call)
    erase_person(session, application.person)
    with pytest.raises(WrongStatus):
        erase_person(session, application.person)
    with pytest.raises(GrantsError, match="erased"):
        update_draft(session, application, full_name=NAME)
    with pytest.raises(GrantsError, match="erased"):
        submit(session, application, today=date(2024, 1, 10))


def test_only_the_schemes_managers_may_erase(session, ftp, unp):
    application = intern_application(session, ftp.scheme, full_name=NAME, call=ftp.call)
    with pytest.raises(NotAllowed):
        erase_person(session, application.person, unp.approver)
    assert application.person.full_name == NAME
