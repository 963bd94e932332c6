"""Fixing a review group at its source: the activity's missing or invalid codes.

Where a group needs review because the activity lacks a recipient, a purpose code, an aid
type, a channel or its main objective, the officer gives them right in the queue. The
codes are checked against the loaded reference data for the group's year, saved through
the programmes service that owns activities (``ActivityChanged``), and the activity's
contexts are classified again at once, so a resolved group leaves the queue.
"""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from oda.models import PendingActivity
from oda.reference.services import code_check
from oda.services.classify import classify
from programmes.models import Activity
from programmes.models.enums import MainObjective
from programmes.services.activities import update_activity
from app.errors import ValidationError


class CodeField(NamedTuple):
    """An activity attribute the queue can fix, the rule (and code fact) that misses it, its list."""

    field: str
    rule: str
    fact: str | None
    list_name: str | None


FIXABLE = (
    CodeField("main_objective", "main_objective", None, None),
    CodeField("recipient_code", "recipient", None, "recipients"),
    CodeField("purpose_code", "codes", "purpose_codes", "purpose_codes"),
    CodeField("aid_type", "codes", "aid_types", "aid_types"),
    CodeField("channel_code", "codes", "channels", "channels"),
)
CODE_FIELDS = {f.field: f for f in FIXABLE}


def fixable_fields(reasons: list[dict]) -> list[CodeField]:
    """The attributes behind the failing reasons of a group (empty: nothing to fix at the source)."""
    failing = {r.get("rule"): r for r in reasons if r.get("result") != "pass"}
    found = []
    for item in FIXABLE:
        reason = failing.get(item.rule)
        if reason is None:
            continue
        if item.fact is None or (reason.get("facts") or {}).get(item.fact, {}).get("status", "valid") != "valid":
            found.append(item)
    return found


def fix_activity_codes(session: Session, activity_id: int, year: int, values: dict) -> dict:
    """Save the given codes (checked for ``year``) on the activity and classify it again;
    returns the changes. Unknown fields, unknown or withdrawn codes are refused, nothing saved."""
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise ValidationError("there is no such activity", "activity_id")
    fields = {}
    for name, raw in values.items():
        if name not in CODE_FIELDS:
            raise ValidationError(f"{name} cannot be set here", name)
        value = str(raw or "").strip()
        if not value:
            continue
        fields[name] = _checked(session, CODE_FIELDS[name], value, year)
    if not fields:
        raise ValidationError("give at least one code", next(iter(values), "recipient_code"))
    changes = update_activity(session, activity, **fields)
    if changes:
        reclassify_activity(session, activity_id)
    return changes


def _checked(session: Session, item: CodeField, value: str, year: int) -> str:
    if item.list_name is None:
        if value not in set(MainObjective) or value == MainObjective.UNKNOWN:
            raise ValidationError(f"unknown main objective {value[:30]!r}", item.field)
        return value
    check = code_check(session, item.list_name, value[:10], year)
    if check.status != "valid":
        raise ValidationError(f"{check.message} (in {year})", item.field)
    return value


def reclassify_activity(session: Session, activity_id: int) -> dict:
    """Classify the activity's contexts now (the event handler would mark it pending later)."""
    if session.scalar(select(PendingActivity).where(PendingActivity.activity_id == activity_id)) is None:
        session.add(PendingActivity(activity_id=activity_id, reason="ReviewGroupFixed"))
        session.flush()
    return classify(session)
