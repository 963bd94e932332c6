"""The ODA officer's overrides: accept, reject or set an eligible share, always with a
reason. Each is a ``ClassificationOverridden`` event. An override holds while the
inputs of the classification stay the same; when the activity or the reference data
change it is flagged for re-confirmation and the line returns to the review queue.
An override that makes a line (partly) ODA needs the activity's CRS mandatory items
(``oda.mandatory``): it is refused while one is missing, and one made before is flagged.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from app.db import utcnow
from app.errors import ValidationError
from app.events import publish, publish_many
from app.events.bus import current_actor
from app.events.payload import jsonable
from app.sql import YearOf
from app.year_lock import refuse_locked
from oda.mandatory import MandatoryItem, crs_record_select, incomplete_activities, missing_items
from oda.models import Classification, Evaluation, Explanation, Override, OverrideAction, OverrideState, Status
from oda.services.sql import wait_for_classification
from programmes.models import Activity, Transaction

MAX_REASON = 2000
SHARE_PLACES = Decimal("1e-10")
OVERRIDDEN = "ClassificationOverridden"
FLAGGED = "ClassificationOverrideFlagged"
#: what a flag names when the activity lacks a CRS mandatory item (beside the changed rules)
MISSING_ITEMS = "crs_mandatory_items"


class MissingCrsItems(ValidationError):
    """An override would make a line (partly) ODA while its activity lacks CRS mandatory
    items: the CRS row could not be written. ``items`` says which."""

    def __init__(self, activity_code: str, items: tuple[MandatoryItem, ...]):
        self.activity_code = activity_code
        self.items = items
        super().__init__(f"activity {activity_code} lacks CRS mandatory items: "
                         f"{', '.join(item.label for item in items)}; complete the activity first", "action")


def parse_share(value) -> Decimal:
    """A share as a fraction (0.75) or a percentage string ("75 %"); 0 < share ≤ 1."""
    if isinstance(value, float):
        raise ValidationError("give the share as an exact decimal, not a floating-point number", "share")
    text = str(value if value is not None else "").strip().replace(",", ".")
    percent = text.endswith("%")
    try:
        share = Decimal(text.rstrip("%").strip())
    except InvalidOperation:
        raise ValidationError(f"not a share: {text[:20]!r}", "share") from None
    if not share.is_finite():
        raise ValidationError(f"not a share: {text[:20]!r}", "share")
    if percent:
        share = share / 100
    if not (0 < share <= 1):
        raise ValidationError("the share must be more than 0 % and at most 100 %", "share")
    if share != share.quantize(SHARE_PLACES):
        raise ValidationError("the share has more than ten decimals", "share")
    return share.quantize(SHARE_PLACES)


def override_classification(session: Session, transaction_id: int, action: str, reason: str,
                            share=None) -> Override:
    """Replace the computed outcome of one transaction; emits ``ClassificationOverridden``."""
    wait_for_classification(session)
    result = session.get(Classification, transaction_id)
    if result is None:
        raise ValidationError("this transaction has not been classified yet; run the classification first",
                              "transaction_id")
    refuse_locked(session, [result.year], "action")
    evaluation = session.get(Evaluation, result.evaluation_id)
    status, effective_share = decision_outcome(action, share, evaluation)
    reason = checked_reason(reason)
    if status == Status.ELIGIBLE:
        require_crs_items(session, evaluation.activity_id)
    if evaluation.units_per_eur is None:
        raise ValidationError(f"no {result.currency} exchange rate for {result.year}: set the rate first, an "
                              "override cannot replace it", "action")
    previous = _current_override(session, transaction_id)
    if previous is not None:
        previous.state = OverrideState.SUPERSEDED
    override = Override(transaction_id=transaction_id, action=action, status=status, share=effective_share,
                        reason=reason, decided_by=current_actor().name[:120], decided_at=utcnow(),
                        basis_hash=evaluation.inputs_hash, basis_evaluation_id=evaluation.id,
                        basis_reasons=evaluation.reasons, computed_status=evaluation.status,
                        state=OverrideState.ACTIVE)
    session.add(override)
    session.flush()
    before = _facts(result)
    session.expire(result)  # derived from the override now: read it again
    session.refresh(result)
    publish(session, OVERRIDDEN, "Transaction", transaction_id, jsonable({
        "override_id": override.id, "action": action, "share": str(effective_share), "reason": reason,
        "decided_by": override.decided_by, "computed_status": evaluation.status,
        "superseded_override_id": None if previous is None else previous.id,
        "basis_hash": override.basis_hash, "before": before, "after": _facts(result),
    }))
    return override


def decision_outcome(action: str, share, evaluation: Evaluation) -> tuple[str, Decimal]:
    if action == OverrideAction.ACCEPT:
        return Status.ELIGIBLE, evaluation.share if evaluation.share is not None else Decimal("1")
    if action == OverrideAction.REJECT:
        return Status.NOT_ELIGIBLE, Decimal("0")
    if action == OverrideAction.SET_SHARE:
        return Status.ELIGIBLE, parse_share(share)
    raise ValidationError(f"unknown action {str(action)[:20]!r}: accept, reject or set_share", "action")


def require_crs_items(session: Session, activity_id: int) -> None:
    record = session.execute(crs_record_select().where(Activity.id == activity_id)).one()
    missing = missing_items(record)
    if missing:
        raise MissingCrsItems(record.code, missing)


def missing_crs_items(session: Session, transaction_id: int) -> tuple[MandatoryItem, ...]:
    """The CRS mandatory items the activity of ``transaction_id`` lacks (empty: none)."""
    stmt = crs_record_select().join(Transaction, Transaction.activity_id == Activity.id)
    record = session.execute(stmt.where(Transaction.id == transaction_id)).one_or_none()
    return () if record is None else missing_items(record)


def checked_reason(reason) -> str:
    text = str(reason or "").strip()
    if not text:
        raise ValidationError("say why: a reason is required for every override", "reason")
    if len(text) > MAX_REASON:
        raise ValidationError(f"the reason is longer than {MAX_REASON} characters", "reason")
    return text


def _current_override(session: Session, transaction_id: int) -> Override | None:
    return session.scalar(select(Override).where(Override.transaction_id == transaction_id,
                                                 Override.state.in_(OverrideState.CURRENT)))


def _facts(result: Classification) -> dict:
    return jsonable({"status": result.status, "share": result.share, "oda_amount": result.oda_amount,
                     "oda_amount_eur": result.oda_amount_eur})


def reconfirm(session: Session, override_id: int, reason: str) -> Override:
    """Confirm a flagged decision on the current inputs (a new override, same decision)."""
    old = session.get(Override, override_id)
    if old is None or old.state not in OverrideState.CURRENT:
        raise ValidationError("there is no current override to confirm", "override_id")
    share = old.share if old.action == OverrideAction.SET_SHARE else None
    return override_classification(session, old.transaction_id, old.action, reason, share)


def flag_changed_overrides(session: Session) -> list[int]:
    """Flag active overrides whose line's evaluation now has other inputs (the activity, the
    reference data or the line's own context changed), and those that make a line ODA on an
    activity lacking a CRS mandatory item (made before that was refused, or the item was
    emptied since); returns their lines. Overrides are few: all are checked."""
    o, e, x, t = Override.__table__, Evaluation.__table__, Explanation.__table__, Transaction.__table__
    context = and_(e.c.activity_id == t.c.activity_id, e.c.year == YearOf(t.c.date), e.c.currency == t.c.currency)
    incomplete = and_(o.c.status == Status.ELIGIBLE, t.c.activity_id.in_(incomplete_activities()))
    rows = session.execute(
        select(o.c.id, o.c.transaction_id, o.c.action, o.c.decided_by, o.c.basis_reasons, x.c.reasons,
               e.c.inputs_hash, (o.c.basis_hash != e.c.inputs_hash).label("changed"), incomplete.label("incomplete"))
        .select_from(o.join(t, t.c.id == o.c.transaction_id).join(e, context)
                     .join(x, x.c.id == e.c.explanation_id))
        .where(o.c.state == OverrideState.ACTIVE, or_(o.c.basis_hash != e.c.inputs_hash, incomplete))).all()
    if not rows:
        return []
    now = utcnow()
    session.execute(update(o).where(o.c.id.in_([r.id for r in rows])).values(
        state=OverrideState.NEEDS_RECONFIRMATION, flagged_at=now, version=o.c.version + 1))
    publish_many(session, [dict(type=FLAGGED, aggregate_type="Transaction", aggregate_id=r.transaction_id,
                                payload={"override_id": r.id, "action": r.action, "decided_by": r.decided_by,
                                         "changed": _flag_causes(r), "inputs_hash": r.inputs_hash}) for r in rows])
    return [r.transaction_id for r in rows]


def _flag_causes(row) -> list[str]:
    causes = changed_rules(row.basis_reasons, row.reasons) if row.changed else []
    return causes + [MISSING_ITEMS] if row.incomplete else causes


def changed_rules(before: list | None, after: list | None) -> list[str]:
    """Names of the rules whose reasons differ; ["activity"] when only the activity's
    descriptive attributes (title, description, organisation) changed."""
    old = {r["rule"]: r.get("reason") for r in before or []}
    new = {r["rule"]: r.get("reason") for r in after or []}
    changed = [rule for rule in new if old.get(rule) != new[rule]]
    return changed or ["activity"]
