"""Where an activity's commitment is recorded, and when its two records disagree.

An activity's commitment can be entered on the activity (``commitment_date``,
``commitment_amount``, in the activity's currency) or booked as ledger lines of kind
``commitment`` (a negative line is a decrease). The rule, one definition for the CRS
export and the activity page:

- the ledger's commitment lines are the record when the activity has any;
- otherwise the commitment on the activity stands in (date and amount both given),
  in the year of its date;
- otherwise, for humanitarian aid, each disbursement is its own commitment (the DAC
  allows the disbursement date as commitment date);
- otherwise the commitment is missing: a finding, never a silent 0.

When both records exist the ledger counts and a different total or first date is a
finding. The expressions below are SQL over ``Activity`` and ``Programme`` (the caller
joins them), so the export applies the rule set-based.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from sqlalchemy import BigInteger, and_, case, exists, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from programmes.models import Activity, Programme, Transaction
from programmes.models.enums import MainObjective, ProgrammeKind, TransactionKind

T = Transaction.__table__
#: DAC purpose codes of humanitarian aid begin with 7 (720 emergency response, 730 reconstruction, 740 DRR)
HUMANITARIAN_SECTOR_DIGIT = "7"


class CommitmentSource(StrEnum):
    LEDGER = "ledger"
    ACTIVITY = "activity"
    DISBURSEMENTS = "disbursements"
    MISSING = "missing"


def ledger_commitment_exists(activity_id=Activity.id):
    """The activity has a ledger line of kind commitment (any year): an index probe (on
    an alias, so that it never correlates with a query over the ledger itself)."""
    line = T.alias("commitment_line")
    return exists().where(line.c.activity_id == activity_id, line.c.kind == TransactionKind.COMMITMENT)


def committed_on_activity():
    return and_(Activity.commitment_date.is_not(None), Activity.commitment_amount.is_not(None))


def humanitarian():
    """Humanitarian aid: the activity's main objective, its programme's kind, or a 7xxxx purpose code."""
    return or_(Activity.main_objective == MainObjective.HUMANITARIAN, Programme.kind == ProgrammeKind.HUMANITARIAN,
               func.coalesce(func.substr(Activity.purpose_code, 1, 1), "") == HUMANITARIAN_SECTOR_DIGIT)




def commitment_source():
    """The ``CommitmentSource`` of each activity, as SQL."""
    return case((ledger_commitment_exists(), CommitmentSource.LEDGER.value),
                (committed_on_activity(), CommitmentSource.ACTIVITY.value),
                (humanitarian(), CommitmentSource.DISBURSEMENTS.value), else_=CommitmentSource.MISSING.value)


def activity_commitment_stands_in():
    """The commitment on the activity is the record (the ledger has no commitment line)."""
    return and_(committed_on_activity(), ~ledger_commitment_exists())


def derived_from_disbursements():
    """Humanitarian aid without any commitment record: its disbursements are its commitments.
    (The ledger probe last: the engines skip it for most activities.)"""
    return and_(~committed_on_activity(), humanitarian(), ~ledger_commitment_exists())


def commitment_missing():
    """Other aid without any commitment record: a finding."""
    return and_(~committed_on_activity(), ~humanitarian(), ~ledger_commitment_exists())


class CommitmentComparison(NamedTuple):
    """An activity with both records, as each states the commitment (amounts in the
    activity's currency; ledger lines in another currency are counted apart)."""

    activity_id: int
    code: str
    title: str
    programme_code: str
    currency: str
    activity_date: date
    activity_amount: Decimal
    ledger_date: date
    ledger_amount: Decimal
    lines_in_other_currencies: int

    @property
    def differences(self) -> list[str]:
        """What differs (English names: the export's and the page's texts are built from them)."""
        found = []
        if self.ledger_amount != self.activity_amount or self.lines_in_other_currencies:
            found.append("amount")
        if self.ledger_date != self.activity_date:
            found.append("date")
        return found


def commitment_comparisons(session: Session, *where) -> list[CommitmentComparison]:
    """The activities (filtered by ``where`` over Activity) with a commitment on the
    activity and ledger commitment lines whose records disagree, by activity code."""
    same_currency = T.c.currency == Activity.currency
    ledger_cents = type_coerce(T.c.amount_minor, BigInteger)
    ledger_amount = func.coalesce(func.sum(case((same_currency, ledger_cents), else_=0)), 0)
    other = func.coalesce(func.sum(case((same_currency, 0), else_=1)), 0)
    rows = session.execute(
        select(Activity.id, Activity.code, Activity.title, Programme.code, Activity.currency,
               Activity.commitment_date, Activity.commitment_amount, func.min(T.c.date),
               ledger_amount, other)
        .join(Programme, Programme.id == Activity.programme_id)
        .join(T, and_(T.c.activity_id == Activity.id, T.c.kind == TransactionKind.COMMITMENT))
        .where(committed_on_activity(), *where)
        .group_by(Activity.id, Activity.code, Activity.title, Programme.code, Activity.currency,
                  Activity.commitment_date, Activity.commitment_amount)
        .order_by(Activity.code))
    comparisons = []
    for row in rows:
        ledger_date = row[7] if isinstance(row[7], date) else date.fromisoformat(str(row[7]))
        compared = CommitmentComparison(*row[:7], ledger_date, Decimal(int(row[8])).scaleb(-2), int(row[9]))
        if compared.differences:
            comparisons.append(compared)
    return comparisons


def commitment_comparison(session: Session, activity_id: int) -> CommitmentComparison | None:
    """The disagreement of one activity's two commitment records (None: they agree, or one is missing)."""
    found = commitment_comparisons(session, Activity.id == activity_id)
    return found[0] if found else None


def source_of(session: Session, activity_id: int) -> CommitmentSource:
    stmt = (select(commitment_source()).select_from(Activity)
            .join(Programme, Programme.id == Activity.programme_id).where(Activity.id == activity_id))
    return CommitmentSource(session.scalar(stmt))


class CommitmentCheck(NamedTuple):
    """What the activity page says about the activity's commitment."""

    source: CommitmentSource
    disagreement: CommitmentComparison | None

    @property
    def missing(self) -> bool:
        return self.source == CommitmentSource.MISSING

    @property
    def from_disbursements(self) -> bool:
        return self.source == CommitmentSource.DISBURSEMENTS


def commitment_check(session: Session, activity_id: int) -> CommitmentCheck:
    return CommitmentCheck(source_of(session, activity_id), commitment_comparison(session, activity_id))
