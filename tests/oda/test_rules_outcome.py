"""How the rules combine into eligible / not eligible / needs review, with a share."""
from decimal import Decimal

from oda.rules import ELIGIBLE, NEEDS_REVIEW, NOT_ELIGIBLE, RULES_VERSION, evaluate
from tests.builders.oda import (ADMIN_COSTS_FLANDERS, CERF_CORE, CHILE_PROJECT, MALAWI_MARKET_ACCESS,
                                TRAINEE_AT_HEADQUARTERS, UNESCO_CORE, context, facts)


def test_every_rule_gives_a_reason():
    outcome = evaluate(context(MALAWI_MARKET_ACCESS, 2021))
    assert outcome.status == ELIGIBLE and outcome.share == Decimal("1")
    assert [r["rule"] for r in outcome.reasons] == ["official", "main_objective", "concessional", "recipient",
                                                   "multilateral", "codes", "exchange_rate"]
    assert all(r["reason"] for r in outcome.reasons)


def test_unesco_core_is_eligible_at_sixty_percent():
    outcome = evaluate(context(UNESCO_CORE, 2019))
    assert (outcome.status, outcome.share) == (ELIGIBLE, Decimal("0.6"))


def test_cerf_core_is_eligible_in_full():
    assert evaluate(context(CERF_CORE, 2019)).share == Decimal("1")


def test_admin_costs_in_flanders_are_eligible():
    assert evaluate(context(ADMIN_COSTS_FLANDERS, 2022)).status == ELIGIBLE


def test_a_failing_rule_makes_it_not_eligible_with_share_zero():
    outcome = evaluate(context(TRAINEE_AT_HEADQUARTERS, 2023))
    assert (outcome.status, outcome.share) == (NOT_ELIGIBLE, Decimal("0"))
    assert evaluate(context(CHILE_PROJECT, 2019)).status == NOT_ELIGIBLE


def test_an_undecided_rule_makes_it_need_review_keeping_the_computed_share():
    outcome = evaluate(context(facts(UNESCO_CORE, recipient_code=None), 2019))
    assert (outcome.status, outcome.share) == (NEEDS_REVIEW, Decimal("0.6"))


def test_a_missing_rate_needs_review_even_when_another_rule_fails():
    outcome = evaluate(context(TRAINEE_AT_HEADQUARTERS, 2023, "MWK"))
    assert outcome.status == NEEDS_REVIEW
    assert outcome.units_per_eur is None


def test_the_inputs_hash_changes_with_the_activity_and_not_otherwise():
    first = evaluate(context(MALAWI_MARKET_ACCESS, 2021)).inputs_hash
    assert evaluate(context(MALAWI_MARKET_ACCESS, 2021)).inputs_hash == first
    assert evaluate(context(facts(title="Market access, phase 2"), 2021)).inputs_hash != first
    assert evaluate(context(MALAWI_MARKET_ACCESS, 2022)).inputs_hash != first
    assert RULES_VERSION
