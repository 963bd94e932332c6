"""Single transactions for the Not ODA and Needs review sheets, with the rules' reasons.

Only the activities the year's totals flagged (``queries.activity_year_totals``: some
line not ODA, partly ODA, in review or not classified) are read, through the
activity index, so a year of a million mostly-ODA lines costs little here. The
commitments entered on activities that stand in for the ledger (``queries.activity_commitments``)
are listed after the ledger's lines, without transaction id.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterable, Iterator

from sqlalchemy import and_, func, literal, or_, select, type_coerce
from sqlalchemy.orm import Session

from exports.crs.queries import (BATCH, CL, ELIGIBLE, NEEDS_REVIEW, NOT_ELIGIBLE, T, activity_commitment_outcome,
                                 in_year, year_scan)
from app.db import Money, Rate
from app.messages import N_
from oda.models import Evaluation, LineOutcome, Override, OverrideState
from oda.models.classification import Explanation
from programmes.models import Activity, Programme, Transaction
from programmes.services.queries.commitments import derived_from_disbursements

CHUNK = 500
#: the document number shown for the commitment entered on an activity (it has no ledger document; a
#: msgid: the sheets say it in the run's language)
ON_THE_ACTIVITY = N_("commitment on the activity")


@dataclass(frozen=True)
class TransactionLine:
    id: int
    date: date
    kind: str
    document_number: str
    activity_code: str
    activity_title: str
    programme_code: str
    policy_area: str
    currency: str
    amount: Decimal
    amount_eur: Decimal | None
    status: str | None
    share: Decimal | None
    oda_amount_eur: Decimal | None
    evaluation_id: int | None
    override_id: int | None
    #: a disbursement or refund that is also the commitment (humanitarian aid without commitment record)
    commitment_derived: bool = False

    @property
    def commitment_effect(self) -> bool:
        """The line counts among the year's commitments."""
        return self.kind == "commitment" or bool(self.commitment_derived)


def _lines_select(o: LineOutcome = CL, document=T.c.document_number):
    """The lines of ``o`` (the ledger, or the activities' commitments) as ``TransactionLine``."""
    t = o.t
    return (
        select(t.c.id, t.c.date, t.c.kind, document,
               Activity.code, Activity.title, Programme.code, Programme.policy_area, t.c.currency,
               type_coerce(t.c.amount_minor, Money()),
               type_coerce(func.coalesce(o.amount_eur_minor, t.c.amount_eur_minor), Money()),
               o.status, type_coerce(o.share_e10, Rate()), type_coerce(o.oda_amount_eur_minor, Money()),
               o.evaluation_id, o.override_id, derived_from_disbursements())
        .select_from(o.joined())
        .join(Activity, Activity.id == t.c.activity_id)
        .join(Programme, Programme.id == Activity.programme_id)
    )


def _lines(session: Session, year: int, activity_ids: Iterable[int], stmt) -> Iterator[TransactionLine]:
    """``stmt`` for the flagged activities, a chunk of them at a time, in date order per chunk.

    The year is filtered as ``queries.year_scan`` says, so that SQLite looks the lines
    up through the activity index (3.3 s → 0.04 s for 500 activities of a 1,000,000-line year).
    """
    ids = sorted(set(activity_ids))
    scan = year_scan(session, year) if ids else None
    for start in range(0, len(ids), CHUNK):
        chunk = stmt.where(scan.where, T.c.activity_id.in_(ids[start:start + CHUNK]))
        for row in session.connection().execute(chunk.order_by(Transaction.date, Transaction.id)
                                                .execution_options(yield_per=BATCH)):
            yield TransactionLine(*row)


def _activity_commitments(session: Session, year: int, activity_ids: Iterable[int], which) -> Iterator[TransactionLine]:
    """The activities' commitments of ``year`` that ``which(outcome)`` selects, for ``activity_ids``."""
    ids = sorted(set(activity_ids))
    o = activity_commitment_outcome(year)
    stmt = _lines_select(o, literal(ON_THE_ACTIVITY)).where(which(o))
    for start in range(0, len(ids), CHUNK):
        chunk = stmt.where(o.t.c.activity_id.in_(ids[start:start + CHUNK])).order_by(o.t.c.date, Activity.code)
        for row in session.connection().execute(chunk):
            yield TransactionLine(*row)


def _not_oda(o: LineOutcome):
    partial = and_(o.status == ELIGIBLE, o.oda_amount_eur_minor != o.amount_eur_minor)
    return or_(o.status == NOT_ELIGIBLE, partial)


def _open(o: LineOutcome):
    return or_(o.status == NEEDS_REVIEW, ~o.classified)


def not_oda_lines(session: Session, year: int, activity_ids: Iterable[int]) -> Iterator[TransactionLine]:
    """Transactions of ``year`` that are not ODA, or ODA for only part of their amount
    (then the activities' commitments of the year that are)."""
    ids = set(activity_ids)
    yield from _lines(session, year, ids, _lines_select().where(_not_oda(CL)))
    yield from _activity_commitments(session, year, ids, _not_oda)


def open_lines(session: Session, year: int, activity_ids: Iterable[int]) -> Iterator[TransactionLine]:
    """Transactions of ``year`` that need review (a flagged override included: oda gives
    those the status needs_review) or have no stored classification yet (then the
    activities' commitments of the year that are)."""
    ids = set(activity_ids)
    yield from _lines(session, year, ids, _lines_select().where(_open(CL)))
    yield from _activity_commitments(session, year, ids, _open)


def count_open(session: Session, year: int) -> dict[str, int]:
    """What keeps a final export from being made: lines needing review (oda counts them,
    flagged overrides included) and lines without a stored classification."""
    from oda.services.deadlines import open_reviews

    return {"needs_review": open_reviews(session, year), "not_classified": count_unclassified(session, year)}


def count_unclassified(session: Session, year: int) -> int:
    """Transactions dated in ``year`` that oda has not classified yet (usually none)."""
    return session.scalar(select(func.count()).select_from(CL.joined()).where(
        year_scan(session, year).where, ~CL.classified)) or 0


def reasons_by_evaluation(session: Session, evaluation_ids: set[int]) -> dict[int, list]:
    """{evaluation id: the rules' reasons} (evaluation → explanation, as docs/oda.md describes)."""
    ids, result = sorted(evaluation_ids), {}
    for start in range(0, len(ids), BATCH):
        stmt = (select(Evaluation.id, Explanation.reasons)
                .join(Explanation, Explanation.id == Evaluation.explanation_id)
                .where(Evaluation.id.in_(ids[start:start + BATCH])))
        result.update({eid: reasons or [] for eid, reasons in session.execute(stmt)})
    return result


def overrides_by_id(session: Session, override_ids: set[int]) -> dict[int, Override]:
    ids, result = sorted(override_ids), {}
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        result.update({o.id: o for o in session.scalars(select(Override).where(Override.id.in_(chunk)))})
    return result


def flagged_activities(session: Session, year: int) -> tuple[set[int], set[int]]:
    """(activities that may have not-ODA or partly-ODA lines, activities that may have open
    lines) in ``year``, from oda's evaluations and decisions (a few thousand rows).

    Supersets are harmless (the line queries filter by status); an activity missed
    here (a result computed for another year) is caught from the year's totals later.
    """
    e = Evaluation
    decided = set(session.scalars(select(T.c.activity_id).select_from(Override).join(
        T, T.c.id == Override.transaction_id)
        .where(in_year(year), Override.state.in_(OverrideState.CURRENT)).distinct()))
    partly = and_(e.status == ELIGIBLE, e.share.is_not(None), e.share < 1)
    not_oda = set(session.scalars(select(e.activity_id).where(
        e.year == year, or_(e.status == NOT_ELIGIBLE, partly)).distinct()))
    still_open = set(session.scalars(select(e.activity_id).where(
        e.year == year, or_(e.status == NEEDS_REVIEW, e.units_per_eur.is_(None))).distinct()))
    return not_oda | decided, still_open | decided | unclassified_activities(session, year)


def unclassified_activities(session: Session, year: int) -> set[int]:
    """Activities with transactions dated in ``year`` that oda has not classified yet (usually none)."""
    if not count_unclassified(session, year):
        return set()
    return set(session.scalars(select(T.c.activity_id).select_from(CL.joined()).where(
        year_scan(session, year).where, ~CL.classified).distinct()))
