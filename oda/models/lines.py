"""The classification of a ledger line, derived in SQL from its context's stored evaluation.

A transaction's outcome is its context's evaluation (activity, year, currency) applied to
its amount: the share, the ODA amount in its currency and in EUR at the year's rate, each
with one half-to-even rounding (``oda.services.sql.scale_exact``). Precedence: a current
override of the line decides; else a current decision on its activity-year's review group
(``oda.models.reviews``); else the rules. A flagged override or group decision makes the
line need review; a missing rate always needs review. A line is classified once its context has an
evaluation; its amounts are always those of the ledger (a corrected amount counts at
once; the job's event about it follows when it runs).

``LineOutcome`` gives these as expressions over a transactions table, for bulk reads
(exports, counts); ``Classification`` maps them read-only for views and the API.
Nothing is stored per line except an override and, for lines that arrived or changed
after their evaluation, the time (``LineChange``): a million lines cost no million rows.
"""
from __future__ import annotations

from sqlalchemy import BigInteger, String, and_, case, literal, or_, select, type_coerce

from app.db import Base, Money, Rate, UTCDateTime
from app.exact import SCALE, scaled_sql
from app.sql import FirstDayOf, YearOf
from oda.models.classification import Evaluation, LineChange, Status
from oda.models.overrides import Override, OverrideState
from oda.models.reviews import DecisionState, GroupDecision
from oda.services.sql import raw
from programmes.models import Transaction


def latest(*values):
    """The latest of some timestamps, ignoring empty ones (portable GREATEST)."""
    result = values[0]
    for value in values[1:]:
        result = case((and_(value.is_not(None), or_(result.is_(None), value > result)), value), else_=result)
    return result


class LineOutcome:
    """The classification columns of the rows of ``transactions`` (a table or alias),
    read through ``joined``. ``year``: the lines are all of that year (lets the engine
    look each evaluation up by its key)."""

    def __init__(self, transactions=None, year: int | None = None, suffix: str = "line"):
        t = Transaction.__table__ if transactions is None else transactions
        e = Evaluation.__table__.alias(f"{suffix}_evaluation")
        o = Override.__table__.alias(f"{suffix}_override")
        lc = LineChange.__table__.alias(f"{suffix}_change")
        d = GroupDecision.__table__.alias(f"{suffix}_decision")
        self.t, self.e, self.o, self.lc, self.d = t, e, o, lc, d
        line_year = literal(year) if year is not None else YearOf(t.c.date)
        #: the lines dated in ``year``, read through the ledger's (activity, date) index
        self.in_year = (and_(t.c.date >= FirstDayOf(year), t.c.date < FirstDayOf(year + 1))
                        if year is not None else None)
        self.context = and_(e.c.activity_id == t.c.activity_id, e.c.year == line_year, e.c.currency == t.c.currency)
        self.current_override = and_(o.c.transaction_id == t.c.id, o.c.state.in_(OverrideState.CURRENT))
        self.current_decision = and_(d.c.activity_id == e.c.activity_id, d.c.year == e.c.year,
                                     d.c.state.in_(DecisionState.CURRENT))
        self.classified = e.c.id.is_not(None)
        active = o.c.state == OverrideState.ACTIVE
        flagged = o.c.state == OverrideState.NEEDS_RECONFIRMATION
        decided = and_(o.c.id.is_(None), d.c.state == DecisionState.ACTIVE)
        decision_flagged = and_(o.c.id.is_(None), d.c.state == DecisionState.NEEDS_RECONFIRMATION)
        units = raw(e.c.units_per_eur_e10)
        amount = raw(t.c.amount_minor)
        share = case((active, raw(o.c.share_e10)), (decided, raw(d.c.share_e10)), else_=raw(e.c.share_e10))
        when = self._when_classified
        self.transaction_id = when(t.c.id)
        self.evaluation_id = when(e.c.id)
        self.activity_id = when(t.c.activity_id)
        self.year = when(e.c.year)
        self.currency = when(t.c.currency)
        self.amount_minor = when(amount)
        self.status = when(case((units.is_(None), literal(Status.NEEDS_REVIEW)), (active, o.c.status),
                                (flagged, literal(Status.NEEDS_REVIEW)), (decided, d.c.status),
                                (decision_flagged, literal(Status.NEEDS_REVIEW)), else_=e.c.status))
        self.computed_status = when(e.c.status)
        self.previous_status = when(case((active, o.c.computed_status), (flagged, o.c.status),
                                         (decided, e.c.status), (decision_flagged, d.c.status),
                                         else_=e.c.previous_status))
        self.share_e10 = when(share)
        self.units_per_eur_e10 = when(units)
        self.amount_eur_minor = when(scaled_sql(amount, SCALE, units))
        self.oda_amount_minor = when(scaled_sql(amount, share, SCALE))
        self.oda_amount_eur_minor = when(scaled_sql(amount, share, units))
        self.override_id = when(o.c.id)
        #: the group decision the line follows (none when an override of its own decides)
        self.decision_id = when(case((o.c.id.is_(None), d.c.id)))
        self.reference_version = when(e.c.reference_version)
        self.rules_version = when(e.c.rules_version)
        self.classified_at = when(latest(e.c.evaluated_at, lc.c.changed_at, o.c.decided_at, o.c.flagged_at,
                                                      d.c.decided_at, d.c.flagged_at))

    def _when_classified(self, value):
        return case((self.classified, value))

    def joined(self, base=None):
        """``base`` (the transactions table, or a join starting with it) with what the
        outcome reads: the evaluation, a current override, a current group decision and
        the change time."""
        base = self.t if base is None else base
        return (base.outerjoin(self.e, self.context).outerjoin(self.o, self.current_override)
                .outerjoin(self.d, self.current_decision)
                .outerjoin(self.lc, self.lc.c.transaction_id == self.t.c.id))


#: (name, type for the ORM) of the mapped classification, in column order
MAPPED = (("transaction_id", BigInteger()), ("evaluation_id", BigInteger()), ("activity_id", BigInteger()),
          ("year", BigInteger()), ("currency", String(3)), ("amount_minor", Money()),
          ("amount_eur_minor", Money()), ("status", String(20)), ("computed_status", String(20)),
          ("previous_status", String(20)), ("share_e10", Rate()), ("oda_amount_minor", Money()),
          ("oda_amount_eur_minor", Money()), ("units_per_eur_e10", Rate()), ("override_id", BigInteger()),
          ("decision_id", BigInteger()),
          ("reference_version", BigInteger()), ("rules_version", String(20)), ("classified_at", UTCDateTime()))


#: the attribute names of the mapped class where they differ from the column's
RENAMED = {"amount_minor": "amount", "amount_eur_minor": "amount_eur", "share_e10": "share",
           "oda_amount_minor": "oda_amount", "oda_amount_eur_minor": "oda_amount_eur",
           "units_per_eur_e10": "units_per_eur"}


def classification_select():
    """One row per classified transaction, with the columns named as ``MAPPED``.

    The rows are all classified, so the keys are the bare columns, not the outcome's
    "when classified" expressions: a filter on the transaction, the activity or the
    year then reaches the ledger's and the evaluations' indexes (one line's outcome
    is an index lookup, not a scan of the ledger)."""
    line = LineOutcome(suffix="classified")
    keys = {"transaction_id": line.t.c.id, "evaluation_id": line.e.c.id, "activity_id": line.t.c.activity_id,
            "year": line.e.c.year, "currency": line.t.c.currency}
    columns = [type_coerce(keys.get(name, getattr(line, name)), type_).label(RENAMED.get(name, name))
               for name, type_ in MAPPED]
    return select(*columns).select_from(line.joined()).where(line.classified)


class Classification(Base):
    """The classification of one transaction (read-only; see the module's docstring)."""

    __table__ = classification_select().subquery("oda_classifications")
    __mapper_args__ = {"primary_key": [__table__.c.transaction_id]}
