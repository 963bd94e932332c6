"""What newer reference data would change in a submitted year, without writing anything.

A submitted year keeps the outcomes it was submitted with (``work.contexts`` skips its
contexts). ``reference_drift`` runs the rules over the year's contexts with the reference
data in force now and lists those whose outcome (status, ODA share or rate) would differ,
with their lines and amount: what the year-close page shows, and what a reopen and a
reclassification would bring into the next revision.
"""
from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from oda.models import Evaluation
from oda.rules import evaluate
from oda.rules.base import RuleContext
from oda.services.evaluations import activity_facts, donor_label
from oda.services.snapshot import load_snapshot
from app.sql import YearOf
from oda.services.sql import raw
from programmes.models import Activity, Transaction


class DriftRow(NamedTuple):
    """One context (activity, year, currency) whose outcome the newer data would change."""

    activity_id: int
    activity_code: str
    currency: str
    lines: int
    amount: Decimal
    status: str
    new_status: str
    share: Decimal | None
    new_share: Decimal | None
    reference_version: int


class ReferenceDrift(NamedTuple):
    year: int
    reference_version_now: int
    rows: list[DriftRow]

    @property
    def lines(self) -> int:
        return sum(r.lines for r in self.rows)

    @property
    def changed(self) -> bool:
        return bool(self.rows)


def reference_drift(session: Session, year: int) -> ReferenceDrift:
    """The contexts of ``year`` whose outcome the reference data now in force would change."""
    snapshot = load_snapshot(session)
    stored = {(e.activity_id, e.currency): e
              for e in session.scalars(select(Evaluation).where(Evaluation.year == year))}
    facts = activity_facts(session, {activity_id for activity_id, _ in stored})
    donor, memo, differing = donor_label(), {}, []
    for (activity_id, currency), current in sorted(stored.items()):
        if activity_id not in facts:
            continue
        outcome = evaluate(RuleContext(facts[activity_id], year, currency, snapshot, donor), memo)
        if (outcome.status, outcome.share, outcome.units_per_eur) != (current.status, current.share,
                                                                      current.units_per_eur):
            differing.append((current, outcome))
    amounts = _amounts(session, year, {(e.activity_id, e.currency) for e, _ in differing})
    codes = dict(session.execute(select(Activity.id, Activity.code).where(
        Activity.id.in_({e.activity_id for e, _ in differing}))).all()) if differing else {}
    rows = [DriftRow(e.activity_id, codes.get(e.activity_id, ""), e.currency, e.lines,
                     amounts.get((e.activity_id, e.currency), Decimal("0.00")), e.status, o.status, e.share, o.share,
                     e.reference_version) for e, o in differing]
    return ReferenceDrift(year, snapshot.version, rows)


def _amounts(session: Session, year: int, keys: set) -> dict:
    """The amount (in its currency) of each drifting context's lines."""
    if not keys:
        return {}
    t = Transaction.__table__
    found = session.execute(select(t.c.activity_id, t.c.currency, func.sum(raw(t.c.amount_minor)))
                            .where(t.c.activity_id.in_({a for a, _ in keys}), YearOf(t.c.date) == year)
                            .group_by(t.c.activity_id, t.c.currency))
    return {(a, c): Decimal(int(total or 0)).scaleb(-2) for a, c, total in found if (a, c) in keys}
