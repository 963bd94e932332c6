"""The IATI standard ruleset (``ruleset-standard.json``), read as it is and evaluated per unit.

The JSON maps a context XPath (``/iati-activities/iati-activity/transaction``) to rule
types and their cases, each with ``ruleInfo`` (id, severity, message, link). Contexts
are rewritten to start at the unit (``self::iati-activity/transaction``) because the
file is read one unit at a time. A rule type we cannot evaluate stops loading with a
RulesetError naming it: nothing in the ruleset is skipped without saying so.
"""
from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from flask_babel import gettext
from lxml import etree

from app.errors import ValidationError
from exports.iati.reading import KINDS
from exports.iati.rule_types import (EVALUATORS, LOOP, LOOP_VARIABLE, NOT_CHECKED, ONE_OR_ALL, ORG_ID_PREFIX, IdSets,
                                     Probe, compiled)

RULESET_FILE = "ruleset-standard.json"
#: a ``link.path`` is relative to the 2.03 reference pages (IATI-Rulesets SPEC.rst)
STANDARD_URL = "https://iatistandard.org/en/iati-standard/203/"
#: every character Python's str.strip() removes that XML 1.0 allows (no_spaces follows strip)
WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and (c in "\t\n\r" or c >= " "))
#: XPath: the string value of the context node starts or ends with such a character
_PADDED = (f"string-length(.) > 0 and (contains('{WHITESPACE}', substring(., 1, 1)) or "
           f"contains('{WHITESPACE}', substring(., string-length(.), 1)))")
ID_CONDITIONS = ("NOT_EXISTING_ORG_ID", "NOT_EXISTING_ORG_ID_PREFIX")
_PASS_WHEN_NOTHING_MATCHES = {"no_spaces", "regex_matches", "regex_no_matches", "range", "unique",
                              "no_more_than_one", "startswith", "sum", "dependent"}
#: the date whose absence makes a date rule not apply
_DATE_RULES = {"date_order": "less", "time_limit": "start", "between_dates": "date"}
_FIRST_STEP = re.compile(r"([A-Za-z][\w.-]*)(?=[\[/]|$)")
#: keys of a case that may hold the loop value ``$1``
_LOOP_KEYS = ("paths", "if", "then", "condition", "less", "more", "date", "start", "end", "one", "prefix")


class RulesetError(ValidationError):
    """The ruleset file cannot be used as it is (unknown rule type, context or key)."""


class RuleInfo(NamedTuple):
    rule_id: str
    severity: str
    message: str
    link: str | None


class Case(NamedTuple):
    rule_type: str
    spec: dict
    info: RuleInfo
    #: the path that says where a failure is, relative to the context element
    where: str
    #: child elements of the context element the case is about: with none of them
    #: present it cannot fail (None: always evaluate)
    needs: tuple[str, ...] | None


class Loop(NamedTuple):
    foreach: str
    cases: tuple[Case, ...]
    #: the child element the loop runs over (None: always evaluate ``foreach``)
    needs: str | None


class Context(NamedTuple):
    xpath: str
    steps: tuple[Case | Loop, ...]
    #: cases answered together by one XPath (see ``_screen``), and that XPath
    screened: tuple[Case, ...] = ()
    screen: str | None = None


class Failure(NamedTuple):
    """A case that failed (or could not be checked) on one element of one unit."""

    info: RuleInfo
    element: etree._Element
    where: str
    not_checked: bool = False


class Ruleset(NamedTuple):
    contexts: tuple[Context, ...]

    def failures(self, unit: etree._Element, id_sets: IdSets) -> Iterator[Failure]:
        for context in self.contexts:
            for element in compiled(context.xpath)(unit):
                present = {child.tag for child in element}
                if context.screen is not None:
                    flags = compiled(context.screen)(element)
                    for case, flag in zip(context.screened, flags):
                        if flag == "F":
                            yield from _case_failures(case, element, present, id_sets, None)
                for step in context.steps:
                    if isinstance(step, Loop):
                        yield from _loop_failures(step, element, present, id_sets)
                    else:
                        yield from _case_failures(step, element, present, id_sets, None)


def _loop_failures(loop: Loop, element, present: set, id_sets: IdSets) -> Iterator[Failure]:
    if loop.needs is not None and loop.needs not in present:
        return  # nothing to loop over
    values = list(dict.fromkeys(str(v) for v in compiled(loop.foreach)(element)))
    for case in loop.cases:
        for value in values:
            yield from _case_failures(case, element, present, id_sets, value)


def _case_failures(case: Case, element, present: set, id_sets: IdSets, loop_value: str | None
                   ) -> Iterator[Failure]:
    """``present``: the tags of the element's children, to pass over cases about absent ones."""
    if case.needs is not None and present.isdisjoint(case.needs):
        return
    probe = Probe(element, case.spec, id_sets, loop_value)
    if "condition" in case.spec and not probe.true(case.spec["condition"]):
        return
    if not _id_condition_holds(probe):
        return
    result = EVALUATORS[case.rule_type](probe)
    if result is False or result == NOT_CHECKED:
        where = case.where.replace(f"${LOOP_VARIABLE}", f"'{loop_value}'") if loop_value is not None else case.where
        yield Failure(case.info, element, where, result == NOT_CHECKED)


def _id_condition_holds(probe: Probe) -> bool:
    """``NOT_EXISTING_ORG_ID(_PREFIX)``: the rule is for identifiers the IATI Registry does
    not know as a publisher's; with no registry list every identifier qualifies."""
    condition = probe.case.get("idCondition")
    if condition is None:
        return True
    known = probe.id_sets.org_ids
    texts = probe.path_texts()
    if condition == "NOT_EXISTING_ORG_ID":
        return not any(text in known for text in texts)
    return not any(text.startswith(f"{org}-") for text in texts for org in known)


# --- loading ----------------------------------------------------------------------------

#: "path:kind" → (the file's modification time, its ruleset for that kind)
_cache: dict[str, tuple[float, Ruleset]] = {}
_lock = threading.Lock()


def load_ruleset(schema_dir: Path, kind: str) -> Ruleset:
    """The ruleset's contexts for ``kind``, cached by file path and modification time."""
    path = (schema_dir / RULESET_FILE).resolve()
    mtime = path.stat().st_mtime
    key = f"{path}:{kind}"
    with _lock:
        cached = _cache.get(key)
        if cached is None or cached[0] != mtime:
            with path.open(encoding="utf-8") as handle:
                cached = _cache[key] = (mtime, parse_ruleset(json.load(handle), kind))
    return cached[1]


def parse_ruleset(document: dict, kind: str, screen: bool = True) -> Ruleset:
    """``screen=False`` evaluates every case on its own (the tests compare both ways)."""
    contexts = []
    for xpath, rules in document.items():
        relative = unit_context(xpath, kind)
        steps = [step for rule_type, body in rules.items() for step in _steps(rule_type, body, xpath)]
        if relative is not None:
            context = Context(relative, tuple(steps))
            contexts.append(_screened(context) if screen else context)
    return Ruleset(tuple(contexts))


def _screened(context: Context) -> Context:
    """Answer the cases that are plain XPath booleans (atleast_one, no_more_than_one, if_then,
    no_spaces without idCondition or loop) with one XPath per element: a string of P (passed) and F
    (failed or unsure), one letter per case. Only an F is evaluated again, case by case,
    and that evaluation decides: the screen saves the calls of the cases that pass."""
    screened = [step for step in context.steps if isinstance(step, Case) and _pass_expression(step)]
    if len(screened) < 2:
        return context
    letters = ", ".join(f"substring('FP', 1 + number(boolean({_pass_expression(case)})), 1)" for case in screened)
    screen = f"concat({letters}, '')"
    try:
        compiled(screen)
    except etree.XPathSyntaxError:
        return context
    rest = tuple(step for step in context.steps if step not in screened)
    return Context(context.xpath, rest, tuple(screened), screen)


def _pass_expression(case: Case) -> str | None:
    spec = case.spec
    if "idCondition" in spec or any(f"${LOOP_VARIABLE}" in str(v) for v in spec.values()):
        return None
    counts = " + ".join(f"count({path})" for path in spec.get("paths") or ()) or "0"
    if case.rule_type == "atleast_one":
        passed = f"{counts} >= 1"
    elif case.rule_type == "no_more_than_one":
        passed = f"{counts} <= 1"
    elif case.rule_type == "if_then":
        passed = f"not({spec['if']}) or ({spec['then']})"
    elif case.rule_type == "no_spaces":
        passed = " and ".join(f"not(({path})[{_PADDED}])" for path in spec.get("paths") or ()) or "true()"
    else:
        return None
    return f"not({spec['condition']}) or ({passed})" if "condition" in spec else passed


def unit_context(xpath: str, kind: str) -> str | None:
    """The context XPath from the unit: None when it is for the other kind of file."""
    root_tag, unit_tag = KINDS[kind]
    parts = []
    for part in (p.strip() for p in xpath.split("|")):
        if part.startswith(f"/{root_tag}/{unit_tag}"):
            parts.append(f"self::{unit_tag}{part[len(root_tag) + len(unit_tag) + 2:]}")
        elif part.startswith("//"):
            parts.append(f"descendant-or-self::{part[2:]}")
        elif part.startswith("/iati-"):
            continue
        else:
            raise RulesetError(gettext("%(file)s: context %(context)s does not start at the root of an IATI file",
                                       file=RULESET_FILE, context=repr(xpath)))
    try:
        return compiled(" | ".join(parts)).path if parts else None
    except etree.XPathSyntaxError as exc:
        raise RulesetError(gettext("%(file)s: context %(context)s is not an XPath (%(error)s)", file=RULESET_FILE,
                                   context=repr(xpath), error=exc)) from None


def _steps(rule_type: str, body: dict, context: str) -> Iterator[Case | Loop]:
    for spec in body.get("cases", ()):
        if rule_type == LOOP:
            cases = tuple(_case(inner_type, _with_loop_variable(inner, spec.get("subs", ())), context)
                          for inner_type, inner_body in spec["do"].items() for inner in inner_body["cases"])
            first = _FIRST_STEP.match(spec["foreach"])
            yield Loop(spec["foreach"], cases, first.group(1) if first and "|" not in spec["foreach"] else None)
        else:
            yield _case(rule_type, spec, context)


def _case(rule_type: str, spec: dict, context: str) -> Case:
    if rule_type not in EVALUATORS:
        raise RulesetError(gettext("%(file)s: rule type %(type)s (context %(context)s) is not one Aidledger "
                                   "evaluates; known: %(known)s", file=RULESET_FILE, type=repr(rule_type),
                                   context=context, known=", ".join(sorted(EVALUATORS) + [LOOP])))
    info = spec.get("ruleInfo") or {}
    if not info.get("id") or info.get("severity") not in ("error", "warning"):
        raise RulesetError(gettext("%(file)s: a %(type)s case of %(context)s has no id or severity",
                                   file=RULESET_FILE, type=rule_type, context=context))
    _compile_all(spec, rule_type, info["id"])
    return Case(rule_type, spec, RuleInfo(info["id"], info["severity"], info.get("message", ""),
                                          _link(info.get("link"))), _where(spec), _needs(rule_type, spec))


def _needs(rule_type: str, spec: dict) -> tuple[str, ...] | None:
    """The first steps of the paths a case reads, when they are plain child elements and
    the rule passes (or does not apply) while they match nothing."""
    if rule_type in _PASS_WHEN_NOTHING_MATCHES:
        expressions = spec.get("paths") or []
    elif rule_type in _DATE_RULES:
        expressions = [spec[_DATE_RULES[rule_type]]]
    else:
        return None
    tags = []
    for expression in expressions:
        step = _FIRST_STEP.match(expression)
        if step is None or "|" in expression:
            return None
        tags.append(step.group(1))
    return tuple(tags) or None


def _compile_all(spec: dict, rule_type: str, rule_id: str) -> None:
    """Every XPath of the case compiles now, so a broken ruleset fails on loading."""
    if spec.get("idCondition", ID_CONDITIONS[0]) not in ID_CONDITIONS:
        raise RulesetError(gettext("%(file)s: rule %(rule)s: idCondition %(value)s is not known", file=RULESET_FILE,
                                   rule=rule_id, value=repr(spec["idCondition"])))
    if rule_type == "one_or_all" and spec.get("all") not in ONE_OR_ALL:
        raise RulesetError(gettext("%(file)s: rule %(rule)s: one_or_all of %(value)s is not known",
                                   file=RULESET_FILE, rule=rule_id, value=repr(spec.get("all"))))
    for key in _LOOP_KEYS + ("excluded",):
        values = spec.get(key)
        for value in [values] if isinstance(values, str) else values or ():
            if value in ("NOW", ORG_ID_PREFIX):
                continue
            try:
                compiled(value)
            except etree.XPathSyntaxError as exc:
                raise RulesetError(gettext("%(file)s: rule %(rule)s: %(key)s %(value)s is not an XPath (%(error)s)",
                                           file=RULESET_FILE, rule=rule_id, key=key, value=repr(value),
                                           error=exc)) from None


def _with_loop_variable(spec: dict, subs) -> dict:
    """The loop's ``$1`` becomes the XPath variable ``$loopvalue`` (never pasted into the
    expression: the value comes from the file)."""
    spec = dict(spec)
    for key in subs:
        value = spec.get(key)
        if isinstance(value, str):
            spec[key] = _substitute(value)
        elif isinstance(value, list):
            spec[key] = [_substitute(v) for v in value]
    return spec


def _substitute(expression: str) -> str:
    return expression.replace("'$1'", f"${LOOP_VARIABLE}").replace("$1", f"${LOOP_VARIABLE}")


def _where(spec: dict) -> str:
    for key in ("paths", "less", "date", "start", "one"):
        value = spec.get(key)
        if isinstance(value, list) and value:
            return value[0]
        if isinstance(value, str):
            return value
    return spec.get("if", "")


def _link(link: dict | None) -> str | None:
    if not link:
        return None
    if link.get("url"):
        return link["url"]
    return STANDARD_URL + link["path"] if link.get("path") else None
