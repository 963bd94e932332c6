"""Rule 1: official money, whatever the programme's policy area."""
import pytest

from oda.rules import official
from oda.rules.base import FAIL, PASS, UNKNOWN
from tests.builders.oda import ADMIN_COSTS_FLANDERS, MALAWI_MARKET_ACCESS, context, facts


def test_ledger_money_of_an_oda_flow_is_official():
    result = official.check(context(MALAWI_MARKET_ACCESS, 2021))
    assert result.result == PASS
    assert "public budget" in result.reason and "flow type 10" in result.reason


def test_in_donor_administration_is_official_too():
    assert official.check(context(ADMIN_COSTS_FLANDERS, 2022)).result == PASS


@pytest.mark.parametrize("flow", ["21", "22", "50"])
def test_other_official_flows_are_official_but_not_oda(flow):
    result = official.check(context(facts(flow_type=flow), 2021))
    assert result.result == FAIL
    assert f"flow type {flow}" in result.reason


def test_a_private_flow_type_on_ledger_money_needs_review():
    result = official.check(context(facts(flow_type="30"), 2021))
    assert result.result == UNKNOWN
    assert "correct the flow type" in result.reason


def test_an_invented_flow_type_needs_review():
    assert official.check(context(facts(flow_type="99"), 2021)).result == UNKNOWN
