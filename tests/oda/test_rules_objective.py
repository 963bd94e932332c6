"""Rule 2: the main objective."""
import pytest

from oda.rules import objective
from oda.rules.base import FAIL, PASS, UNKNOWN
from tests.builders.oda import ADMIN_COSTS_FLANDERS, TRAINEE_AT_HEADQUARTERS, context, facts


@pytest.mark.parametrize("value", ["development", "humanitarian", "development_awareness",
                                   "aid_administration", "refugees_in_donor_country"])
def test_developmental_objectives_pass(value):
    assert objective.check(context(facts(main_objective=value), 2022)).result == PASS


def test_admin_costs_in_flanders_pass_as_aid_administration():
    result = objective.check(context(ADMIN_COSTS_FLANDERS, 2022))
    assert result.result == PASS
    assert "administrative costs" in result.reason


def test_an_internship_at_an_organisations_headquarters_serves_the_donors_interest():
    """Flanders Trainee Programme: careers of young Flemish graduates, not development."""
    result = objective.check(context(TRAINEE_AT_HEADQUARTERS, 2023))
    assert result.result == FAIL
    assert "donor's own interest" in result.reason


@pytest.mark.parametrize("value", ["commercial", "military"])
def test_commercial_and_military_purposes_fail(value):
    assert objective.check(context(facts(main_objective=value), 2022)).result == FAIL


@pytest.mark.parametrize("value", ["unknown", None, "something else"])
def test_an_unassessed_objective_needs_review(value):
    result = objective.check(context(facts(main_objective=value), 2022))
    assert result.result == UNKNOWN
    assert "not been assessed" in result.reason
