"""Reasons stored in an older form given the message the rules say now: reasons stored before
they were messages (English sentences only), and messages that name a code (a country, a purpose
code, a channel) stored before the name carried its code (the English name only).

An explanation's digest is computed from the English sentences, so every form of a reason
digests alike: converting changes no digest, no evaluation's inputs hash and flags no
override. The message is not guessed from the English text: one context that uses the
explanation is evaluated again, and its outcome replaces the stored reasons only when its
digest is the stored one (the same sentences, said by the same rules). An explanation whose
reference data changed since keeps its stored form (shown as it is) until the classification
replaces it.
"""
from __future__ import annotations

import json
from typing import NamedTuple

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from oda.models import Evaluation, Explanation, GroupDecision, Override
from oda.rules import evaluate
from oda.rules.base import RuleContext
from oda.services.evaluations import activity_facts, donor_label
from oda.services.snapshot import load_snapshot


#: the rules whose reasons name codes (recipient: the country; codes: a purpose code, aid type or
#: channel; multilateral: a channel)
NAMING_RULES = frozenset({"recipient", "codes", "multilateral"})


class Converted(NamedTuple):
    #: explanations whose reasons were given their current message
    explanations: int
    #: explanations left in their older form (their reference data changed since; shown as stored)
    left_in_english: int
    copies: int


def stale(reason: dict) -> bool:
    """A reason stored in an older form: without a message, or a naming rule's message whose
    names are plain English (one that names no code at all is said again, and found the same)."""
    message = reason.get("message")
    return message is None or (reason.get("rule") in NAMING_RULES and not _names_a_code(message))


def _names_a_code(data) -> bool:
    if isinstance(data, dict):
        return "named" in data or any(_names_a_code(value) for value in data.values())
    if isinstance(data, list):
        return any(_names_a_code(value) for value in data)
    return False


def convert_stored_reasons(session: Session) -> Converted:
    """Give every stored reason in an older form its message (explanations, then the copies
    that overrides and group decisions keep of the reasons the officer saw)."""
    legacy = {id_: reasons for id_, reasons in session.execute(select(Explanation.id, Explanation.reasons))
              if any(stale(r) for r in reasons or [])}
    if not legacy:
        return Converted(0, 0, 0)
    contexts = dict(session.execute(
        select(Evaluation.explanation_id, func.min(Evaluation.id)).where(Evaluation.explanation_id.in_(legacy))
        .group_by(Evaluation.explanation_id)).all())
    snapshot, donor = load_snapshot(session), donor_label()
    said: dict[tuple, dict] = {}
    converted = left = 0
    for explanation_id, evaluation_id in contexts.items():
        evaluation = session.get(Evaluation, evaluation_id)
        facts = activity_facts(session, [evaluation.activity_id])[evaluation.activity_id]
        outcome = evaluate(RuleContext(facts, evaluation.year, evaluation.currency, snapshot, donor))
        if outcome.reasons_digest != evaluation.explanation.digest:
            left += 1
            continue
        reasons = json.loads(outcome.reasons_json)
        said.update({_key(r): r for r in reasons})
        if reasons != legacy[explanation_id]:
            session.execute(update(Explanation).where(Explanation.id == explanation_id).values(reasons=reasons))
            converted += 1
    return Converted(converted, len(legacy) - len(contexts) + left, _convert_copies(session, said))


def _key(reason: dict) -> tuple:
    return reason.get("rule"), reason.get("result"), reason.get("reason")


def _convert_copies(session: Session, said: dict[tuple, dict]) -> int:
    copies = 0
    for model in (Override, GroupDecision):
        table = model.__table__
        for id_, reasons in session.execute(select(table.c.id, table.c.basis_reasons)).all():
            new = [said.get(_key(r), r) if stale(r) else r for r in reasons or []]
            if new != reasons:
                session.execute(update(table).where(table.c.id == id_).values(basis_reasons=new))
                copies += 1
    return copies
