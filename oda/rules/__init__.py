"""The ODA rules, one module per rule family, and how their results combine.

Outcome of one evaluation (an activity's transactions in one year and currency):
- a missing exchange rate always needs review (a line is never converted to zero);
- otherwise any failing rule makes it ``not_eligible`` (share 0);
- otherwise any rule that cannot tell makes it ``needs_review``;
- otherwise ``eligible`` at the share the multilateral rule gives (100 % or the
  Annex 2 coefficient).

Change ``RULES_VERSION`` whenever a rule's logic or wording changes: stored results
name the version that produced them, and a new version re-evaluates everything.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal

from oda.rules import codes, concessional, currency, multilateral, objective, official, recipient
from oda.rules.base import FAIL, PASS, UNKNOWN, ActivityFacts, RuleContext, RuleResult

RULES_VERSION = "2026.1"
RULES = (official, objective, concessional, recipient, multilateral, codes, currency)

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
NEEDS_REVIEW = "needs_review"
ZERO = Decimal("0")


@dataclass(frozen=True)
class Outcome:
    status: str
    share: Decimal | None
    units_per_eur: Decimal | None
    results: tuple[RuleResult, ...]
    inputs_hash: str
    #: the reasons as JSON text, serialised once for every context sharing them, and their digest
    reasons_json: str
    reasons_digest: str

    @property
    def reasons(self) -> list[dict]:
        return [r.as_json() for r in self.results]


def evaluate(ctx: RuleContext, memo: dict | None = None, rules: tuple = RULES) -> Outcome:
    """Run every rule. ``memo`` (one dict per run) reuses the rules' results for
    activities that agree on what the rules read in the same year and currency."""
    key = rule_inputs(ctx, rules)
    known = memo.get(key) if memo is not None else None
    if known is None:
        results = tuple(rule.check(ctx) for rule in rules)
        known = (results, combine(results), json.dumps([r.as_json() for r in results], ensure_ascii=False),
                 results_digest(results))
        if memo is not None:
            memo[key] = known
    results, (status, share), reasons_json, digest = known
    return Outcome(status, share, ctx.ref.units_per_eur(ctx.currency, ctx.year), results,
                   inputs_hash(ctx, results, digest), reasons_json, digest)


@lru_cache(maxsize=None)
def rule_reads(rules: tuple = RULES) -> tuple[str, ...]:
    """The attributes of an activity that ``rules`` declare they read (``READS``), each once."""
    return tuple(dict.fromkeys(name for rule in rules for name in rule.READS))


def rule_inputs(ctx: RuleContext, rules: tuple = RULES) -> tuple:
    """The key of a context's outcome: what ``rules`` read of it (their ``READS`` and their
    ``inputs(activity)``), the year, currency and donor. Derived from the rules' declarations,
    so a rule reading a new attribute keeps activities that differ in it apart."""
    a = ctx.activity
    return (ctx.year, ctx.currency, ctx.donor, *(getattr(a, name) for name in rule_reads(rules)),
            *(rule.inputs(a) for rule in rules if hasattr(rule, "inputs")))


def combine(results: tuple[RuleResult, ...]) -> tuple[str, Decimal | None]:
    by_rule = {r.rule: r for r in results}
    computed_share = by_rule[multilateral.NAME].share
    if by_rule[currency.NAME].result == UNKNOWN:
        return NEEDS_REVIEW, _known_share(results, computed_share)
    if any(r.result == FAIL for r in results):
        return NOT_ELIGIBLE, ZERO
    if any(r.result == UNKNOWN for r in results):
        return NEEDS_REVIEW, computed_share
    return ELIGIBLE, computed_share


def _known_share(results, computed_share):
    return ZERO if any(r.result == FAIL for r in results) else computed_share


def results_digest(results: tuple[RuleResult, ...]) -> str:
    # repr() of dicts built in a fixed order is deterministic and cheaper than JSON
    parts = tuple((r.rule, r.result, r.reason, r.share, r.facts) for r in results)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def inputs_hash(ctx: RuleContext, results: tuple[RuleResult, ...], digest: str | None = None) -> str:
    """Fingerprint of everything the outcome depends on: the activity, the year and
    currency, the reference facts each rule used (through its reason and facts) and
    the rules version. Equal hashes mean an override still applies."""
    parts = (RULES_VERSION, activity_digest(ctx.activity), ctx.year, ctx.currency,
             digest or results_digest(results))
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@lru_cache(maxsize=20_000)
def activity_digest(activity: ActivityFacts) -> str:
    return hashlib.sha256(repr(activity).encode()).hexdigest()


__all__ = ["ActivityFacts", "ELIGIBLE", "NEEDS_REVIEW", "NOT_ELIGIBLE", "Outcome", "PASS", "RULES_VERSION",
           "RuleContext", "RuleResult", "evaluate", "rule_inputs", "rule_reads"]
