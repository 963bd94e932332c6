"""Rule 3: grants are concessional; other instruments wait for a grant-element calculation."""
import pytest

from oda.rules import concessional
from oda.rules.base import PASS, UNKNOWN
from tests.builders.oda import context, facts


def test_a_standard_grant_is_concessional():
    result = concessional.check(context(facts(finance_type="110"), 2020))
    assert result.result == PASS


@pytest.mark.parametrize("finance, name", [("421", "Standard loan"), ("510", "Common equity"),
                                           ("1100", "Guarantees")])
def test_loans_and_other_instruments_need_review(finance, name):
    result = concessional.check(context(facts(finance_type=finance), 2020))
    assert result.result == UNKNOWN
    assert name in result.reason and "grant-element" in result.reason


def test_a_missing_finance_type_needs_review():
    assert concessional.check(context(facts(finance_type=None), 2020)).result == UNKNOWN
