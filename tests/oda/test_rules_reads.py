"""Each rule declares the activity attributes it reads, and the key under which a run
reuses an outcome for other activities is derived from those declarations: a rule that
reads something new cannot silently hand one activity another activity's outcome."""
from dataclasses import fields
from datetime import date
from types import ModuleType

import pytest

from oda.rules import RULES, evaluate, rule_inputs, rule_reads
from oda.rules.base import FAIL, PASS, ActivityFacts, RuleResult
from oda.rules.messages import msg
from oda.services.evaluations import FACT_COLUMNS
from programmes.models import Activity
from tests.builders import oda as cases
from tests.builders.oda import MALAWI_MARKET_ACCESS, context, facts
from tests.builders.programmes import SOFT_LOAN_TERMS

EVERY_CASE = [value for value in vars(cases).values() if isinstance(value, ActivityFacts)]
LOAN = facts(**SOFT_LOAN_TERMS, commitment_date=date(2024, 3, 1))


class Recording:
    """An ActivityFacts that notes every attribute read of it (properties included)."""

    def __init__(self, activity: ActivityFacts):
        self._activity, self.read = activity, set()

    def __getattr__(self, name):
        attribute = getattr(type(self._activity), name, None)
        if isinstance(attribute, property):
            return attribute.fget(self)
        self.read.add(name)
        return getattr(self._activity, name)


def _declared(rule, activity: ActivityFacts) -> set[str]:
    declared = set(rule.READS)
    if getattr(rule, "LOAN_READS", None) and rule.inputs(activity):
        declared |= set(rule.LOAN_READS)
    return declared


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.NAME)
@pytest.mark.parametrize("activity", EVERY_CASE + [LOAN], ids=lambda a: a.code)
def test_a_rule_reads_only_what_it_declares(rule, activity):
    recording = Recording(activity)
    rule.check(context(recording, 2024))
    assert recording.read <= _declared(rule, activity)


def test_what_the_rules_read_is_loaded_from_the_activity():
    assert set(rule_reads()) <= set(FACT_COLUMNS)
    assert FACT_COLUMNS == tuple(f.name for f in fields(ActivityFacts))
    assert all(hasattr(Activity, name) for name in FACT_COLUMNS)


def _rule(name: str, reads: tuple[str, ...], check) -> ModuleType:
    """A rule module made in the test: NAME, READS and check, like the modules of oda.rules."""
    rule = ModuleType(name)
    rule.NAME, rule.READS, rule.check = name, reads, check
    return rule


#: a new rule: activities spent "Abroad" are not eligible
GEOGRAPHY = _rule("geography", ("geography",), lambda ctx: RuleResult(
    "geography", FAIL if ctx.activity.geography == "Abroad" else PASS, msg("test rule")))


def test_adding_a_rule_that_reads_a_new_attribute_changes_the_key():
    kasungu = facts(MALAWI_MARKET_ACCESS, geography="Kasungu")
    abroad = facts(MALAWI_MARKET_ACCESS, id=99, code="MWI-ABROAD", geography="Abroad")
    assert "geography" not in rule_reads()
    assert rule_inputs(context(kasungu, 2024)) == rule_inputs(context(abroad, 2024))
    extended = RULES + (GEOGRAPHY,)
    assert rule_inputs(context(kasungu, 2024), extended) != rule_inputs(context(abroad, 2024), extended)


def test_a_run_does_not_reuse_an_outcome_across_what_a_new_rule_reads():
    memo: dict = {}
    extended = RULES + (GEOGRAPHY,)
    kasungu = evaluate(context(facts(MALAWI_MARKET_ACCESS, geography="Kasungu"), 2024), memo, extended)
    abroad = evaluate(context(facts(MALAWI_MARKET_ACCESS, geography="Abroad"), 2024), memo, extended)
    assert kasungu.status == "eligible" and abroad.status == "not_eligible"
