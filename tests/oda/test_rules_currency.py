"""Exchange rates: never converted to zero, never skipped."""
from oda.rules import currency
from oda.rules.base import PASS, UNKNOWN
from tests.builders.oda import MALAWI_MARKET_ACCESS, context


def test_eur_needs_no_rate():
    assert currency.check(context(MALAWI_MARKET_ACCESS, 2023, "EUR")).result == PASS


def test_a_currency_without_a_rate_needs_review_naming_the_missing_rate():
    result = currency.check(context(MALAWI_MARKET_ACCESS, 2023, "MWK"))
    assert result.result == UNKNOWN
    assert "the 2023 MWK rate" in result.reason
    assert "the 2023 EUR rate" not in result.reason


def test_both_rates_are_named_when_the_eur_rate_is_missing_too():
    result = currency.check(context(MALAWI_MARKET_ACCESS, 2030, "ZAR"))
    assert "the 2030 ZAR rate and the 2030 EUR rate" in result.reason
