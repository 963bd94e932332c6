"""The guards: money never above what is approved, calls never over budget without an
admin's explicit override, four-eyes, overdue reports and tranche conditions."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.errors import ValidationError
from app.auth.roles import Role
from grants.services.assess import record_assessment, start_assessment
from grants.services.calls import change_call, remaining_budget
from grants.services.changes import decrease_commitment
from grants.services.decide import approve
from grants.services.errors import GrantsError, GuardViolation, NotAllowed
from grants.services.payments import record_payment
from grants.services.reports import add_interim_report, receive_report, request_final_report
from grants.services.schedule import change_tranche, schedule_tranche
from grants.services.submit import submit
from programmes.models import Transaction
from tests.builders.grants import committed, full_marks, un_promoters_scheme, vvn_application
from tests.builders.users import user_with_role
from tests.grants.helpers import grant_events

TODAY = date(2024, 12, 31)


def in_assessment(session, ctx, amount="40000.00", name="Vereniging voor de Verenigde Naties"):
    application = vvn_application(session, ctx.scheme, ctx.call, amount=amount, name=name)
    submit(session, application, today=ctx.opens)
    start_assessment(session, application)
    record_assessment(session, application, ctx.assessor, *full_marks(ctx.scheme), "approve")
    return application


def transactions(session) -> int:
    return session.scalar(select(func.count()).select_from(Transaction))


def test_no_payment_above_the_approved_amount(session, unp):
    application = committed(session, vvn_application(session, unp.scheme, unp.call), unp.assessor, unp.approver,
                            amount="30000.00")
    with pytest.raises(GuardViolation, match="exceed"):
        schedule_tranche(session, application, date(2024, 4, 1), Decimal("30000.01"))
    first = schedule_tranche(session, application, date(2024, 4, 1), Decimal("20000.00"))
    second = schedule_tranche(session, application, date(2024, 9, 1), Decimal("10000.00"))
    before = transactions(session)
    with pytest.raises(GuardViolation, match="more than"):
        record_payment(session, application, first, date(2024, 4, 2), Decimal("20000.01"), "BK-X", today=TODAY)
    record_payment(session, application, first, date(2024, 4, 2), Decimal("20000.00"), "BK-1", today=TODAY)
    change_tranche(session, application, second, amount=Decimal("5000.00"))
    decrease_commitment(session, application, Decimal("5000.00"), "Smaller campaign", today=TODAY)
    with pytest.raises(GuardViolation, match="more than"):
        record_payment(session, application, second, date(2024, 9, 3), Decimal("5000.01"), "BK-2", today=TODAY)
    assert transactions(session) == before + 2  # the payment and the negative commitment only
    assert (application.paid_amount, application.unpaid_amount) == (Decimal("20000.00"), Decimal("5000.00"))


def test_the_approved_amount_guard_holds_even_when_a_tranche_says_more(session, unp):
    from grants.services.guards import ensure_within_commitment

    application = committed(session, vvn_application(session, unp.scheme, unp.call), unp.assessor, unp.approver,
                            amount="30000.00")
    ensure_within_commitment(application, Decimal("30000.00"))
    with pytest.raises(GuardViolation, match="30000.00 still to pay"):
        ensure_within_commitment(application, Decimal("30000.01"))


def test_a_decrease_cannot_take_off_what_is_paid_or_leave_the_schedule_uncovered(session, unp):
    application = committed(session, vvn_application(session, unp.scheme, unp.call), unp.assessor, unp.approver)
    tranche = schedule_tranche(session, application, date(2024, 4, 1), Decimal("25000.00"))
    schedule_tranche(session, application, date(2024, 9, 1), Decimal("15000.00"))
    record_payment(session, application, tranche, date(2024, 4, 2), Decimal("25000.00"), "BK-1", today=TODAY)
    with pytest.raises(GuardViolation, match="not paid yet"):
        decrease_commitment(session, application, Decimal("15000.01"), "too much", today=TODAY)
    with pytest.raises(GuardViolation, match="cancel or lower a tranche"):
        decrease_commitment(session, application, Decimal("1.00"), "schedule still full", today=TODAY)
    assert application.committed_amount == Decimal("40000.00")


def test_no_approval_above_the_calls_remaining_budget(session, unp):
    first = in_assessment(session, unp, "120000.00")
    approve(session, first, unp.approver, Decimal("120000.00"))
    second = in_assessment(session, unp, "40000.00", name="Jeugd voor de VN vzw")
    assert remaining_budget(session, unp.call) == Decimal("30000.00")
    with pytest.raises(GuardViolation, match="only 30000.00 of call UNP-2024 is left"):
        approve(session, second, unp.approver, Decimal("30000.01"))
    with pytest.raises(NotAllowed, match="only an admin"):
        approve(session, second, unp.approver, Decimal("40000.00"), override_budget=True, override_reason="urgent")
    approve(session, second, unp.approver, Decimal("30000.00"))
    assert remaining_budget(session, unp.call) == Decimal("0.00")


def test_an_admin_may_override_the_call_budget_explicitly_with_a_reason(session, unp, admin):
    approve(session, in_assessment(session, unp, "140000.00"), unp.approver, Decimal("140000.00"))
    application = in_assessment(session, unp, "40000.00", name="Jeugd voor de VN vzw")
    with pytest.raises(GuardViolation, match="without an explicit override"):
        approve(session, application, admin, Decimal("40000.00"))
    with pytest.raises(GuardViolation, match="needs a reason"):
        approve(session, application, admin, Decimal("40000.00"), override_budget=True)
    decision = approve(session, application, admin, Decimal("40000.00"), override_budget=True,
                       override_reason="Minister's decision of 12 March to top up the call")
    assert decision.budget_override
    payload = grant_events(session, application, "ApplicationApproved")[0].payload
    assert payload["budget_override"] is True and payload["override_reason"].startswith("Minister")
    assert remaining_budget(session, unp.call) == Decimal("-30000.00")


def test_a_call_ceiling_cannot_drop_below_what_is_approved(session, unp):
    approve(session, in_assessment(session, unp, "100000.00"), unp.approver, Decimal("100000.00"))
    with pytest.raises(GrantsError, match="lower than what is already approved"):
        change_call(session, unp.call, budget_ceiling=Decimal("99999.99"))
    change_call(session, unp.call, budget_ceiling=Decimal("100000.00"))


def test_four_eyes_the_assessor_cannot_approve_their_own_assessment(session, unp):
    application = in_assessment(session, unp)
    with pytest.raises(NotAllowed, match="four-eyes"):
        approve(session, application, unp.assessor, Decimal("40000.00"))
    assert application.status == "in_assessment" and application.approved_amount is None
    approve(session, application, unp.approver, Decimal("40000.00"))


def test_four_eyes_is_configurable(session):
    from tests.builders.grants import awareness_call, managers

    scheme = un_promoters_scheme(session, four_eyes=False)
    call = awareness_call(session, scheme)
    assessor, _ = managers(session, scheme)
    application = vvn_application(session, scheme, call)
    submit(session, application, today=date(2024, 2, 1))
    start_assessment(session, application)
    record_assessment(session, application, assessor, *full_marks(scheme), "approve")
    approve(session, application, assessor, Decimal("40000.00"))
    assert application.status == "approved"


def test_approval_needs_an_assessment_when_the_scheme_asks_for_one(session, unp):
    application = vvn_application(session, unp.scheme, unp.call)
    submit(session, application, today=unp.opens)
    start_assessment(session, application)
    with pytest.raises(GrantsError, match="record an assessment"):
        approve(session, application, unp.approver, Decimal("1000.00"))


def test_an_overdue_report_blocks_the_next_tranche_until_it_is_received(session, unp):
    application = committed(session, vvn_application(session, unp.scheme, unp.call), unp.assessor, unp.approver)
    first = schedule_tranche(session, application, date(2024, 3, 10), Decimal("20000.00"))
    second = schedule_tranche(session, application, date(2024, 9, 10), Decimal("20000.00"))
    record_payment(session, application, first, date(2024, 3, 12), Decimal("20000.00"), "BK-1", today=TODAY)
    report = add_interim_report(session, application, date(2024, 6, 30))
    with pytest.raises(GuardViolation, match="interim report due 2024-06-30 is overdue"):
        record_payment(session, application, second, date(2024, 9, 12), Decimal("20000.00"), "BK-2",
                       today=date(2024, 9, 12))
    receive_report(session, application, report, date(2024, 9, 11), today=date(2024, 9, 12))
    record_payment(session, application, second, date(2024, 9, 12), Decimal("20000.00"), "BK-2",
                   today=date(2024, 9, 12))
    assert second.status == "paid"


def test_a_tranche_waits_for_the_report_named_in_its_condition(session, unp):
    application = committed(session, vvn_application(session, unp.scheme, unp.call), unp.assessor, unp.approver)
    last = schedule_tranche(session, application, date(2024, 12, 15), Decimal("8000.00"), "final_report_received")
    with pytest.raises(GuardViolation, match="waits for the final report"):
        record_payment(session, application, last, date(2024, 12, 16), Decimal("8000.00"), "BK-9", today=TODAY)
    report = request_final_report(session, application, date(2025, 1, 31), today=TODAY)
    with pytest.raises(GuardViolation, match="waits for the final report"):
        record_payment(session, application, last, date(2024, 12, 16), Decimal("8000.00"), "BK-9", today=TODAY)
    receive_report(session, application, report, date(2024, 12, 20), today=TODAY)
    record_payment(session, application, last, date(2024, 12, 21), Decimal("8000.00"), "BK-9", today=TODAY)


@pytest.mark.parametrize("paid_on, amount, document, field", [
    (date(2025, 1, 1), "100.00", "BK-F", "paid_on"),      # in the future
    (date(2024, 2, 1), "100.00", "BK-E", "paid_on"),      # before the commitment
    (date(2024, 4, 1), "0.00", "BK-Z", "amount"),
    (date(2024, 4, 1), "-5.00", "BK-N", "amount"),
    (date(2024, 4, 1), "1.001", "BK-D", "amount"),
    (date(2024, 4, 1), "100.00", "   ", "document_number"),
    (date(2024, 4, 1), "100.00", "X" * 61, "document_number"),
])
def test_payments_with_bad_input_are_refused_and_change_nothing(session, unp, paid_on, amount, document, field):
    application = committed(session, vvn_application(session, unp.scheme, unp.call), unp.assessor, unp.approver)
    tranche = schedule_tranche(session, application, date(2024, 4, 1), Decimal("1000.00"))
    before = transactions(session)
    with pytest.raises(ValidationError) as err:
        record_payment(session, application, tranche, paid_on, amount, document, today=TODAY)
    assert err.value.field == field
    assert transactions(session) == before and application.paid_amount == Decimal("0.00")


def test_a_document_number_is_listed_on_one_tranche_only(session, unp):
    application = committed(session, vvn_application(session, unp.scheme, unp.call), unp.assessor, unp.approver)
    schedule_tranche(session, application, date(2024, 4, 1), Decimal("1000.00"), document_number="BK2024-77")
    other = schedule_tranche(session, application, date(2024, 5, 1), Decimal("1000.00"))
    with pytest.raises(GrantsError, match="already listed"):
        change_tranche(session, application, other, document_number="BK2024-77")


def _fast_track_application(session, hum, user):
    from grants.services.applications import create_application
    from grants.services.organisations import organisation_named

    ngo = organisation_named(session, "Caritas International", "ngo", country="BEL", channel_code="22000")
    application = create_application(session, hum.scheme, organisation_id=ngo.id, amount_requested=Decimal("250000.00"),
                                     title="Cholera response in Beira", start_date=date(2024, 3, 1),
                                     end_date=date(2024, 9, 30), user=user)
    submit(session, application, user)
    return application


def test_four_eyes_on_the_fast_track_the_creator_and_submitter_cannot_decide(session, hum):
    from grants.services.decide import reject

    application = _fast_track_application(session, hum, hum.assessor)
    assert (application.created_by, application.submitted_by) == (hum.assessor.id, hum.assessor.id)
    with pytest.raises(NotAllowed, match="four-eyes") as refused:
        approve(session, application, hum.assessor, Decimal("250000.00"))
    assert hum.approver.email in refused.value.message and hum.assessor.email not in refused.value.message
    with pytest.raises(NotAllowed, match="four-eyes"):
        reject(session, application, hum.assessor, "Not in our geographic focus")
    assert application.status == "submitted" and application.approved_amount is None
    approve(session, application, hum.approver, Decimal("250000.00"))
    assert application.status == "approved"


def test_four_eyes_the_submitter_of_an_assessed_application_cannot_decide_it(session, unp):
    application = vvn_application(session, unp.scheme, unp.call)
    submit(session, application, unp.approver, today=unp.opens)
    start_assessment(session, application)
    record_assessment(session, application, unp.assessor, *full_marks(unp.scheme), "approve")
    with pytest.raises(NotAllowed, match="four-eyes") as refused:
        approve(session, application, unp.approver, Decimal("40000.00"))
    assert "nobody else manages" in refused.value.message  # the only two managers are excluded
    admin = user_with_role(session, Role.ADMIN, email="an.peeters@vlaanderen.test")
    with pytest.raises(NotAllowed, match=admin.email):
        approve(session, application, unp.approver, Decimal("40000.00"))
    approve(session, application, admin, Decimal("40000.00"))
    assert application.status == "approved"
