"""Each step of the workflow, its event, and the steps that may not follow."""
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from grants import workflow
from grants.models.enums import ApplicationStatus
from grants.models.enums import ApplicationStatus as S
from grants.services.assess import record_assessment, start_assessment
from grants.services.changes import decrease_commitment, withdraw
from grants.services.close import close
from grants.services.commit import create_commitment
from grants.services.decide import approve, reject
from grants.services.errors import GrantsError, NotAllowed, WrongStatus
from grants.services.payments import record_payment
from grants.services.reports import receive_report, request_final_report
from grants.services.schedule import cancel_tranche, schedule_tranche
from grants.services.submit import submit
from programmes.models import Activity, Transaction
from tests.builders.grants import approved, committed, full_marks, vvn_application
from tests.grants.helpers import grant_events

TODAY = date(2024, 12, 31)


def ledger(session, application):
    return list(session.scalars(select(Transaction).join(Activity).where(Activity.code == application.reference)
                                .order_by(Transaction.id)))


def test_un_promoter_grant_from_draft_to_closed_emits_every_step(session, unp):
    application = vvn_application(session, unp.scheme, unp.call)
    assert (application.status, application.reference) == ("draft", "UNP-2024-001")
    submit(session, application, unp.assessor, today=unp.opens)
    start_assessment(session, application, unp.assessor)
    checklist, scores = full_marks(unp.scheme)
    record_assessment(session, application, unp.assessor, checklist, scores, "approve",
                      recommended_amount=Decimal("35000.00"), comment="Strong school network")
    approve(session, application, unp.approver, Decimal("35000.00"))
    activity = create_commitment(session, application, unp.approver, date(2024, 3, 1), today=TODAY)
    first = schedule_tranche(session, application, date(2024, 3, 15), Decimal("28000.00"))
    last = schedule_tranche(session, application, date(2024, 12, 15), Decimal("7000.00"), "final_report_received")
    record_payment(session, application, first, date(2024, 3, 20), Decimal("28000.00"), "BK2024-0311", today=TODAY)
    report = request_final_report(session, application, date(2024, 12, 10), today=TODAY)
    receive_report(session, application, report, date(2024, 12, 1), today=TODAY)
    record_payment(session, application, last, date(2024, 12, 20), Decimal("7000.00"), "BK2024-1288", today=TODAY)
    close(session, application, unp.approver, today=TODAY)

    assert application.status == "closed" and application.paid_amount == Decimal("35000.00")
    assert [e.type for e in grant_events(session, application)] == [
        "ApplicationCreated", "ApplicationSubmitted", "AssessmentStarted", "AssessmentRecorded",
        "ApplicationApproved", "GrantCommitted", "TrancheScheduled", "TrancheScheduled", "PaymentRecorded",
        "FinalReportRequested", "ReportReceived", "PaymentRecorded", "ApplicationClosed"]
    assert (activity.aid_type, activity.purpose_code, activity.recipient_code) == ("H01", "99820", "998")
    assert activity.main_objective == "development_awareness" and activity.programme_id == unp.scheme.programme_id
    assert [(t.kind, t.amount, t.source) for t in ledger(session, application)] == [
        ("commitment", Decimal("35000.00"), "grants"), ("disbursement", Decimal("28000.00"), "grants"),
        ("disbursement", Decimal("7000.00"), "grants")]


def test_approval_may_be_lower_than_asked_never_higher(session, unp):
    application = vvn_application(session, unp.scheme, unp.call, amount="40000.00")
    submit(session, application, today=unp.opens)
    start_assessment(session, application)
    record_assessment(session, application, unp.assessor, *full_marks(unp.scheme), "approve")
    with pytest.raises(GrantsError, match="cannot exceed"):
        approve(session, application, unp.approver, Decimal("40000.01"))
    approve(session, application, unp.approver, Decimal("31500.50"))
    event = grant_events(session, application, "ApplicationApproved")[0]
    assert (event.payload["amount"], event.payload["amount_requested"]) == ("31500.50", "40000.00")


def test_rejection_needs_a_reason_and_ends_the_workflow(session, unp):
    application = vvn_application(session, unp.scheme, unp.call)
    submit(session, application, today=unp.opens)
    start_assessment(session, application)
    with pytest.raises(GrantsError, match="reason is required"):
        reject(session, application, unp.approver, "   ")
    reject(session, application, unp.approver, "Not about multilateral cooperation")
    assert application.status == "rejected"
    assert grant_events(session, application, "ApplicationRejected")[0].payload["reason"] == \
        "Not about multilateral cooperation"
    for step in (lambda: create_commitment(session, application),
                 lambda: approve(session, application, unp.approver, Decimal("1.00")),
                 lambda: withdraw(session, application, "changed our mind")):
        with pytest.raises(WrongStatus):
            step()
    assert session.scalar(select(Activity).where(Activity.code == application.reference)) is None


def test_the_transition_table_refuses_every_step_from_a_wrong_status():
    """Every (step, status) pair outside the table is refused; inside it is allowed."""
    for fast_track in (False, True):
        scheme = SimpleNamespace(requires_assessment=not fast_track)
        for action in workflow.TRANSITIONS:
            for status in ApplicationStatus:
                application = SimpleNamespace(status=status.value, scheme=scheme)
                if status in workflow.sources(application, action):
                    workflow.ensure(application, action)
                else:
                    with pytest.raises(WrongStatus):
                        workflow.ensure(application, action)
    assert S.SUBMITTED in workflow.sources(SimpleNamespace(scheme=SimpleNamespace(requires_assessment=False)),
                                           "approve")
    assert S.SUBMITTED not in workflow.sources(SimpleNamespace(scheme=SimpleNamespace(requires_assessment=True)),
                                               "approve")


def test_submission_is_refused_outside_the_call_period_and_on_a_closed_call(session, unp):
    application = vvn_application(session, unp.scheme, unp.call)
    with pytest.raises(GrantsError, match="does not take applications on 2025-01-01"):
        submit(session, application, today=date(2025, 1, 1))
    assert application.status == "draft" and not grant_events(session, application, "ApplicationSubmitted")


def test_a_manager_of_another_programme_may_not_take_a_step(session, unp, hum):
    application = vvn_application(session, unp.scheme, unp.call)
    with pytest.raises(NotAllowed):
        submit(session, application, hum.assessor, today=unp.opens)
    assert application.status == "draft"


def test_assessment_checks_every_checklist_item_and_score_range(session, unp):
    application = vvn_application(session, unp.scheme, unp.call)
    submit(session, application, today=unp.opens)
    start_assessment(session, application)
    checklist, scores = full_marks(unp.scheme)
    bad_inputs = [
        ({**checklist, "seat_in_flanders": "yes"}, scores, "checklist"),
        ({"budget_attached": True}, scores, "checklist"),
        ({**checklist, "invented": True}, scores, "checklist"),
        (checklist, {**scores, "reach": 11}, "scores"),
        (checklist, {**scores, "reach": -1}, "scores"),
        (checklist, {**scores, "reach": True}, "scores"),
        (checklist, {**scores, "extra": 1}, "scores"),
    ]
    for answers, points, field in bad_inputs:
        with pytest.raises(GrantsError) as err:
            record_assessment(session, application, unp.assessor, answers, points, "approve")
        assert err.value.field == field
    assessment = record_assessment(session, application, unp.assessor, checklist, {**scores, "reach": 4}, "reject")
    assert (assessment.total_score, assessment.max_score) == (19, 25)


def test_decrease_books_a_negative_commitment_with_its_reason(session, unp):
    application = committed(session, vvn_application(session, unp.scheme, unp.call), unp.assessor, unp.approver)
    decrease_commitment(session, application, Decimal("5000.00"), "Fewer schools took part", today=TODAY)
    assert application.committed_amount == Decimal("35000.00")
    assert [t.amount for t in ledger(session, application)] == [Decimal("40000.00"), Decimal("-5000.00")]
    event = grant_events(session, application, "CommitmentDecreased")[0]
    assert event.payload["reason"] == "Fewer schools took part"
    assert event.payload["committed_amount"] == "35000.00"
    with pytest.raises(GrantsError, match="reason is required"):
        decrease_commitment(session, application, Decimal("1.00"), "", today=TODAY)


def test_withdrawal_after_a_payment_releases_only_the_unpaid_balance(session, unp):
    application = committed(session, vvn_application(session, unp.scheme, unp.call), unp.assessor, unp.approver)
    first = schedule_tranche(session, application, date(2024, 3, 10), Decimal("30000.00"))
    second = schedule_tranche(session, application, date(2024, 9, 10), Decimal("10000.00"))
    record_payment(session, application, first, date(2024, 3, 12), Decimal("30000.00"), "BK-1", today=TODAY)
    withdraw(session, application, "The organisation stopped the campaign", today=TODAY)

    assert application.status == "withdrawn" and second.status == "cancelled"
    assert [t.amount for t in ledger(session, application) if t.kind == "commitment"] == [
        Decimal("40000.00"), Decimal("-10000.00")]
    assert grant_events(session, application, "ApplicationWithdrawn")[0].payload["released_amount"] == "10000.00"


def test_withdrawal_before_commitment_touches_no_ledger_and_frees_the_call(session, unp):
    from grants.services.calls import remaining_budget

    application = approved(session, vvn_application(session, unp.scheme, unp.call), unp.assessor, unp.approver)
    assert remaining_budget(session, unp.call) == Decimal("110000.00")
    withdraw(session, application, "Duplicate application")
    assert remaining_budget(session, unp.call) == Decimal("150000.00")
    assert ledger(session, application) == []


def test_closing_releases_the_unspent_balance_and_needs_the_final_report(session, unp):
    application = committed(session, vvn_application(session, unp.scheme, unp.call), unp.assessor, unp.approver)
    tranche = schedule_tranche(session, application, date(2024, 3, 10), Decimal("30000.00"))
    record_payment(session, application, tranche, date(2024, 3, 12), Decimal("30000.00"), "BK-1", today=TODAY)
    with pytest.raises(GrantsError, match="final report"):
        close(session, application, today=TODAY)
    report = request_final_report(session, application, date(2024, 12, 1), today=TODAY)
    receive_report(session, application, report, date(2024, 11, 20), today=TODAY)
    close(session, application, today=TODAY)
    assert [t.amount for t in ledger(session, application) if t.kind == "commitment"] == [
        Decimal("40000.00"), Decimal("-10000.00")]
    assert application.committed_amount == application.paid_amount == Decimal("30000.00")


def test_a_planned_tranche_must_be_paid_or_cancelled_before_closing(session, mlt):
    from tests.builders.grants import organisation_named
    from grants.services.applications import create_application

    cerf = organisation_named(session, "UN Central Emergency Response Fund", "multilateral", channel_code="41147")
    application = create_application(session, mlt.scheme, organisation_id=cerf.id, title="CERF core 2024",
                                     amount_requested=Decimal("600000.00"))
    committed(session, application, mlt.assessor, mlt.approver)
    tranche = schedule_tranche(session, application, date(2024, 5, 29), Decimal("600000.00"))
    with pytest.raises(GrantsError, match="tranche 1 is still planned"):
        close(session, application, today=TODAY)
    cancel_tranche(session, application, tranche, "Pledge moved to next year")
    close(session, application, today=TODAY)
    assert application.status == "closed" and application.committed_amount == Decimal("0.00")
    activity = session.get(Activity, application.activity_id)
    assert activity.channel_code == "41147"


def test_humanitarian_grant_is_decided_without_assessment_and_paid_the_day_of_commitment(session, hum):
    from tests.builders.grants import organisation_named
    from grants.services.applications import create_application

    red_cross = organisation_named(session, "Rode Kruis-Vlaanderen", "ngo", channel_code="22000")
    idai = create_application(session, hum.scheme, organisation_id=red_cross.id, amount_requested=Decimal("250000.00"),
                              title="Emergency aid after cyclone Idai", recipient_code="1029")
    submit(session, idai, today=date(2019, 3, 22))
    approve(session, idai, hum.approver, Decimal("250000.00"))
    activity = create_commitment(session, idai, commitment_date=date(2019, 3, 23), today=TODAY)
    tranche = schedule_tranche(session, idai, date(2019, 3, 23), Decimal("250000.00"))
    record_payment(session, idai, tranche, date(2019, 3, 23), Decimal("250000.00"), "HUM2019-0323", today=TODAY)
    assert [(t.kind, t.date) for t in ledger(session, idai)] == [
        ("commitment", date(2019, 3, 23)), ("disbursement", date(2019, 3, 23))]
    assert (activity.recipient_code, activity.aid_type, activity.main_objective) == ("1029", "C01", "humanitarian")
