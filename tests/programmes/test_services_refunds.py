"""A refund is money returned: the ledger books it positive whatever sign it was given."""
from datetime import date
from decimal import Decimal

import pytest

from programmes.services.transactions import correct_transaction, record_transaction
from tests.builders.programmes import malawi_agriculture_programme, tradeline_market_access


@pytest.fixture
def tradeline(session):
    return tradeline_market_access(session, malawi_agriculture_programme(session))


@pytest.mark.parametrize("amount", ["250.00", "-250.00"])
def test_a_refund_is_booked_positive(session, tradeline, amount):
    refund = record_transaction(session, tradeline, "refund", date(2019, 11, 5), Decimal(amount), "T-2019-0802")
    assert (refund.amount, refund.amount_eur) == (Decimal("250.00"), Decimal("250.00"))


def test_a_corrected_refund_stays_positive(session, tradeline):
    refund = record_transaction(session, tradeline, "refund", date(2019, 11, 5), Decimal("250.00"), "T-2019-0802")
    assert correct_transaction(session, refund, amount=Decimal("-300.00")) == {
        "amount": {"before": "250.00", "after": "300.00"}}
    assert refund.amount_eur == Decimal("300.00")


def test_a_negative_disbursement_turned_into_a_refund_becomes_positive(session, tradeline):
    line = record_transaction(session, tradeline, "disbursement", date(2019, 11, 5), Decimal("-80.00"), "B-2019-0802")
    assert line.amount == Decimal("-80.00"), "a negative disbursement corrects what was paid"
    correct_transaction(session, line, kind="refund")
    assert (line.kind, line.amount, line.amount_eur) == ("refund", Decimal("80.00"), Decimal("80.00"))
