"""The rule types of the IATI rulesets, one function each, with the semantics of the IATI
Validator (js-validator-api ``services/rulesValidator.js``, the implementation of
IATI-Rulesets ``SPEC.rst`` for the version-2.03 ruleset) where it differs from the older
Python ``iatirulesets``:

- dates: ``NOW`` is today; a date that is missing or not a date skips the rule;
  ``time_limit`` allows at most 365 days; ``between_dates`` is inclusive;
- ``regex_matches`` passes empty texts; ``startswith`` takes a list of ``prefix`` paths
  and a ``separator``, or ``ORG-ID-PREFIX`` (the registration agencies' prefixes);
- ``if_then``: ``if`` and ``then`` are read as XPath booleans (a node-set is true when
  it is not empty: what the rules mean; the JS validator takes any array as true).

A function answers True (passed), False (failed), None (does not apply) or
NOT_CHECKED (needs a list we do not have, reported once per file, never silently).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from lxml import etree

NOT_CHECKED = "not checked"
ORG_ID_PREFIX = "ORG-ID-PREFIX"
LOOP_VARIABLE = "loopvalue"
_DATE = re.compile(r"\s*(-?\d{4,})-(\d{2})-(\d{2})")


@lru_cache(maxsize=4096)
def compiled(expression: str) -> etree.XPath:
    return etree.XPath(expression)


@lru_cache(maxsize=4096)
def compiled_boolean(expression: str) -> etree.XPath:
    return etree.XPath(f"boolean({expression})")


class IdSets:
    """The identifier lists some rules need: the registry's publisher organisation ids
    (``idCondition``; we hold none, so those rules always apply) and the organisation
    registration agencies' prefixes (``ORG-ID-PREFIX``; None when not loaded)."""

    def __init__(self, org_ids: frozenset[str] = frozenset(), org_id_prefixes: frozenset[str] | None = None):
        self.org_ids = org_ids
        self.org_id_prefixes = org_id_prefixes


class Probe:
    """One case of a rule evaluated on one context element (with a loop's value)."""

    def __init__(self, element: etree._Element, case: dict, id_sets: IdSets, loop_value: str | None = None):
        self.element = element
        self.case = case
        self.id_sets = id_sets
        self.variables = {LOOP_VARIABLE: loop_value} if loop_value is not None else {}
        self._path_nodes = None

    def nodes(self, expression: str) -> list:
        found = compiled(expression)(self.element, **self.variables)
        return found if isinstance(found, list) else [found]

    def path_nodes(self) -> list:
        if self._path_nodes is None:
            self._path_nodes = [node for path in self.case.get("paths", ()) for node in self.nodes(path)]
        return self._path_nodes

    def path_texts(self) -> list[str]:
        return [text_of(node) for node in self.path_nodes()]

    def true(self, expression: str) -> bool:
        return bool(compiled_boolean(expression)(self.element, **self.variables))

    def date(self, expression: str) -> date | None:
        if expression == "NOW":
            return datetime.now(timezone.utc).date()
        found = self.nodes(expression)
        return parse_date(text_of(found[0])) if found else None


def text_of(node) -> str:
    if isinstance(node, etree._Element):
        return "".join(node.itertext())
    return str(node)


def parse_date(text: str) -> date | None:
    match = _DATE.match(text or "")
    if not match:
        return None
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        return None


def parse_datetime(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat((text or "").strip())
    except ValueError:
        day = parse_date(text)
        return datetime(day.year, day.month, day.day, tzinfo=timezone.utc) if day else None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() else None


# --- the rule types ----------------------------------------------------------------------

def atleast_one(probe: Probe) -> bool:
    return len(probe.path_nodes()) >= 1


def no_more_than_one(probe: Probe) -> bool:
    return len(probe.path_nodes()) <= 1


def only_one_of(probe: Probe) -> bool:
    """Nothing of ``paths`` beside an ``excluded`` element; else exactly one of ``paths``."""
    found = len(probe.path_nodes())
    return all((found == 0) if probe.nodes(excluded) else (found == 1) for excluded in probe.case["excluded"])


def dependent(probe: Probe) -> bool:
    """If one of the paths exists, they all do."""
    present = [bool(probe.nodes(path)) for path in probe.case["paths"]]
    return all(present) or not any(present)


#: what ``all`` of one_or_all asks of each element when ``one`` is missing
ONE_OR_ALL = {
    "lang": ("descendant::narrative", "@xml:lang"),
    "sector": ("transaction", "sector"),
    "recipient-country|recipient-region": ("transaction", "recipient-country|recipient-region"),
    "currency": ("descendant::value | descendant::forecast | descendant::loan-status", "@currency"),
}


def one_or_all(probe: Probe) -> bool:
    if probe.nodes(probe.case["one"]):
        return True
    each, needs = ONE_OR_ALL[probe.case["all"]]
    return all(compiled(needs)(element) for element in probe.nodes(each))


def unique(probe: Probe) -> bool:
    texts = probe.path_texts()
    return len(texts) == len(set(texts))


def strict_sum(probe: Probe) -> bool:
    values = [_decimal(text) for text in probe.path_texts()]
    return None not in values and sum(values, Decimal(0)) == Decimal(str(probe.case["sum"]))


def sum_(probe: Probe) -> bool:
    return not probe.path_nodes() or strict_sum(probe)


def range_(probe: Probe) -> bool:
    low, high = probe.case.get("min"), probe.case.get("max")
    for text in probe.path_texts():
        value = _decimal(text)
        if value is None or (low is not None and value < Decimal(str(low))) or (
                high is not None and value > Decimal(str(high))):
            return False
    return True


def date_order(probe: Probe) -> bool | None:
    less, more = probe.date(probe.case["less"]), probe.date(probe.case["more"])
    return None if less is None or more is None else less <= more


def date_now(probe: Probe) -> bool | None:
    found = probe.nodes(probe.case["date"])
    moment = parse_datetime(text_of(found[0])) if found else None
    return None if moment is None else moment <= datetime.now(timezone.utc)


def time_limit(probe: Probe) -> bool | None:
    start, end = probe.date(probe.case["start"]), probe.date(probe.case["end"])
    return None if start is None or end is None else (end - start).days <= 365


def between_dates(probe: Probe) -> bool | None:
    day = probe.date(probe.case["date"])
    start, end = probe.date(probe.case["start"]), probe.date(probe.case["end"])
    return None if day is None or start is None or end is None else start <= day <= end


def regex_matches(probe: Probe) -> bool:
    pattern = re.compile(probe.case["regex"])
    return all(text == "" or pattern.search(text) for text in probe.path_texts())


def regex_no_matches(probe: Probe) -> bool:
    pattern = re.compile(probe.case["regex"])
    return all(text == "" or not pattern.search(text) for text in probe.path_texts())


def no_spaces(probe: Probe) -> bool:
    return all(text == text.strip() for text in probe.path_texts())


def startswith(probe: Probe) -> bool | str:
    prefixes = probe.case["prefix"]
    prefixes = [prefixes] if isinstance(prefixes, str) else prefixes
    if prefixes == [ORG_ID_PREFIX]:
        known = probe.id_sets.org_id_prefixes
        if known is None:
            return NOT_CHECKED
        return all("-".join(text.split("-")[:2]) in known for text in probe.path_texts())
    starts = [text_of(node) + probe.case.get("separator", "") for path in prefixes for node in probe.nodes(path)]
    return all(any(text.startswith(start) for start in starts) for text in probe.path_texts())


def if_then(probe: Probe) -> bool:
    return probe.true(probe.case["then"]) if probe.true(probe.case["if"]) else True


#: every rule type a case may name (``loop`` is expanded by the ruleset, see ruleset.py)
EVALUATORS: dict[str, Callable[[Probe], bool | None | str]] = {
    "atleast_one": atleast_one, "no_more_than_one": no_more_than_one, "only_one_of": only_one_of,
    "dependent": dependent, "one_or_all": one_or_all, "unique": unique, "strict_sum": strict_sum,
    "sum": sum_, "range": range_, "date_order": date_order, "date_now": date_now, "time_limit": time_limit,
    "between_dates": between_dates, "regex_matches": regex_matches, "regex_no_matches": regex_no_matches,
    "no_spaces": no_spaces, "startswith": startswith, "if_then": if_then,
}
LOOP = "loop"
