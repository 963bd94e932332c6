"""The work set of one classification run: a temporary table of transaction ids with
the context (activity, year, currency) each belongs to, filled with set-based SQL."""
from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, and_, extract, or_, select, text
from sqlalchemy.orm import Session

from oda.models import Classification, Evaluation, PendingActivity, PendingTransaction
from oda.services.sql import dialect_insert, raw
from programmes.models import Transaction

_metadata = MetaData()
#: keyed by transaction, in the order the transactions table is read (measured: a table
#: clustered by context instead makes every insert and lookup random, twice as slow)
work = Table(
    "oda_work", _metadata,
    Column("transaction_id", BigInteger, primary_key=True),
    Column("activity_id", Integer, nullable=False),
    Column("year", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    prefixes=["TEMPORARY"],
)


def create(session: Session) -> Table:
    drop(session)
    work.create(session.connection())
    return work


def drop(session: Session) -> None:
    session.execute(text("DROP TABLE IF EXISTS oda_work"))


def transaction_year():
    return extract("year", Transaction.date)


def _in_year(year: int | None):
    if year is None:
        return True
    return and_(Transaction.date >= date(year, 1, 1), Transaction.date < date(year + 1, 1, 1))


def fill(session: Session, year: int | None) -> None:
    """Transactions pending, unclassified or changed since they were classified (a
    correction the event handler has not seen yet). Transactions of evaluations that
    change join later (``add_changed_contexts``)."""
    t, c = Transaction.__table__, Classification.__table__
    columns = (t.c.id, t.c.activity_id, transaction_year(), t.c.currency)
    pending = select(PendingTransaction.transaction_id)
    stale = or_(c.c.transaction_id.is_(None), c.c.activity_id != t.c.activity_id,
                c.c.currency != t.c.currency, c.c.year != transaction_year(),
                raw(c.c.amount_minor) != raw(t.c.amount_minor), t.c.id.in_(pending))
    source = (select(*columns).select_from(t.outerjoin(c, c.c.transaction_id == t.c.id))
              .where(stale, _in_year(year)))
    session.execute(work.insert().from_select(["transaction_id", "activity_id", "year", "currency"], source))
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE oda_work"))  # temporary tables are never analysed automatically


def add_changed_contexts(session: Session, run_id: int) -> None:
    """Classified transactions whose evaluation this run changed need new amounts too."""
    c, e, t = Classification.__table__, Evaluation.__table__, Transaction.__table__
    # the transaction's current context: one that moved is in the work set already
    source = (select(t.c.id, t.c.activity_id, transaction_year(), t.c.currency)
              .select_from(c.join(e, e.c.id == c.c.evaluation_id).join(t, t.c.id == c.c.transaction_id))
              .where(e.c.run_id == run_id))
    stmt = dialect_insert(session, work).from_select(["transaction_id", "activity_id", "year", "currency"], source)
    session.execute(stmt.on_conflict_do_nothing(index_elements=["transaction_id"]))


def contexts(session: Session, year: int | None, everything: bool) -> list[tuple[int, int, str]]:
    """(activity, year, currency) to evaluate: those of the work set, and every known
    context of the activities marked pending (their attributes or reference data
    changed), or of all activities (``everything``)."""
    found = set(tuple(row) for row in session.execute(select(work.c.activity_id, work.c.year, work.c.currency)
                                                      .group_by(work.c.activity_id, work.c.year, work.c.currency)))
    e = Evaluation.__table__
    stmt = select(e.c.activity_id, e.c.year, e.c.currency)
    if not everything:
        stmt = stmt.where(e.c.activity_id.in_(select(PendingActivity.activity_id)))
    if year is not None:
        stmt = stmt.where(e.c.year == year)
    found.update(tuple(row) for row in session.execute(stmt))
    return sorted(found)


def size(session: Session) -> int:
    from sqlalchemy import func

    return session.scalar(select(func.count()).select_from(work)) or 0
