"""Reasons stored before they were messages (English sentences only) given their message.

An explanation's digest is computed from the English sentences, so a reason and its
message-bearing form digest alike: converting changes no digest, no evaluation's
inputs hash and flags no override. The message is not guessed from the English text: one
context that uses the explanation is evaluated again, and its outcome replaces the stored
reasons only when its digest is the stored one (the same sentences, said by the same rules).
An explanation whose reference data changed since keeps its English sentences (shown as
they are) until the classification replaces it.
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


class Converted(NamedTuple):
    explanations: int
    left_in_english: int
    copies: int


def convert_stored_reasons(session: Session) -> Converted:
    """Give every stored reason without a message its message (explanations, then the copies
    that overrides and group decisions keep of the reasons the officer saw)."""
    legacy = {id_: reasons for id_, reasons in session.execute(select(Explanation.id, Explanation.reasons))
              if any("message" not in r for r in reasons or [])}
    if not legacy:
        return Converted(0, 0, 0)
    contexts = dict(session.execute(
        select(Evaluation.explanation_id, func.min(Evaluation.id)).where(Evaluation.explanation_id.in_(legacy))
        .group_by(Evaluation.explanation_id)).all())
    snapshot, donor = load_snapshot(session), donor_label()
    said: dict[tuple, dict] = {}
    converted = 0
    for explanation_id, evaluation_id in contexts.items():
        evaluation = session.get(Evaluation, evaluation_id)
        facts = activity_facts(session, [evaluation.activity_id])[evaluation.activity_id]
        outcome = evaluate(RuleContext(facts, evaluation.year, evaluation.currency, snapshot, donor))
        if outcome.reasons_digest != evaluation.explanation.digest:
            continue
        reasons = json.loads(outcome.reasons_json)
        session.execute(update(Explanation).where(Explanation.id == explanation_id).values(reasons=reasons))
        said.update({_key(r): r for r in reasons})
        converted += 1
    return Converted(converted, len(legacy) - converted, _convert_copies(session, said))


def _key(reason: dict) -> tuple:
    return reason.get("rule"), reason.get("result"), reason.get("reason")


def _convert_copies(session: Session, said: dict[tuple, dict]) -> int:
    copies = 0
    for model in (Override, GroupDecision):
        table = model.__table__
        for id_, reasons in session.execute(select(table.c.id, table.c.basis_reasons)).all():
            new = [said.get(_key(r), r) if "message" not in r else r for r in reasons or []]
            if new != reasons:
                session.execute(update(table).where(table.c.id == id_).values(basis_reasons=new))
                copies += 1
    return copies
