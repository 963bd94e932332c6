"""Event handlers of the programme domain: the budget-totals projections per programme and
per activity.

Each has a batched path for delivery and replay: the per-line recorded events of a span
are summed by the database (one grouped statement), the rarer events (batch imports,
corrections, revaluations, budget lines) are applied one by one, and the totals rows
they touch are read once. Totals are sums, so the order within a span does not matter.
"""
from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

from sqlalchemy import Integer, Text, case, cast, delete, func, select, true
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from app.events import subscribe
from app.events.bus import EventSpan
from app.events.models import Event
from app.sql import json_fields, money_cents
from programmes.models import ActivityYearTotal, ProgrammeYearTotal, Transaction
from programmes.services.ledger import imported_totals
from programmes.services.revaluation import GroupChange
from programmes.services.transactions import LINES_IMPORTED

RECORDED = ("CommitmentRecorded", "DisbursementRecorded", "RefundRecorded")
REVALUED = "TransactionsRevalued"


def _recorded_sums(session: Session, span: EventSpan, key: str) -> list:
    """(key, year, kind, EUR cents, lines without EUR) of the span's recorded events, summed in SQL;
    ``key``: the payload's programme_id or activity_id."""
    fields = json_fields(session, Event.payload, {key: Integer, "date": Text, "kind": Text, "amount_eur": Text})
    grouped, eur = fields.c[key], fields.c["amount_eur"]
    year, kind = cast(func.substr(fields.c["date"], 1, 4), Integer), fields.c["kind"]
    events = Event.__table__ if fields.source is None else Event.__table__.join(fields.source, true())
    return session.execute(
        select(grouped, year, kind, func.sum(money_cents(session, eur)), func.sum(case((eur.is_(None), 1), else_=0)))
        .select_from(events).where(*span.where(Event.id, Event.type), Event.type.in_(RECORDED))
        .group_by(grouped, year, kind)).all()


def _other_events(session: Session, span: EventSpan) -> list[Event]:
    """The span's events that are not per-line recordings: applied one by one."""
    return session.scalars(select(Event).where(*span.where(Event.id, Event.type), Event.type.not_in(RECORDED))
                           .order_by(Event.id)).all()


def _cents(value) -> Decimal:
    return Decimal(int(value or 0)).scaleb(-2)


def _reset(session: Session) -> None:
    session.execute(delete(ProgrammeYearTotal))


#: session.info key, during a batch, of the totals rows read or made ({(model, id, year): row})
#: and of the ids whose rows were all read (a row not among them does not exist yet)
ROWS, READ = "programmes.totals_rows", "programmes.totals_read"


@contextmanager
def _batch_rows(session: Session, model, key_column, ids: set):
    """During a batch: the totals rows of ``ids`` read at once, new rows kept here until
    the one flush at the end, and no autoflush per lookup."""
    rows = {}
    if ids:
        for row in session.scalars(select(model).where(key_column.in_(sorted(ids)))):
            rows[(model, getattr(row, key_column.key), row.year)] = row
    session.info[ROWS], session.info[READ] = rows, {(model, key) for key in ids}
    try:
        with session.no_autoflush:
            yield
    finally:
        session.info.pop(ROWS, None)
        session.info.pop(READ, None)
    _same_columns(session, model)
    session.flush()


def _same_columns(session: Session, model) -> None:
    """Every changed totals row updates all its figures, so the flush sends the span's rows
    in one executemany (rows with different changed columns would each be a statement of
    their own: 5,000 statements in a replay of 1,000,000 events)."""
    figures = [c.key for c in model.__mapper__.column_attrs if not c.columns[0].primary_key]
    for row in session.dirty:
        if isinstance(row, model):
            for name in figures:
                flag_modified(row, name)


def _totals_row(session: Session, model, key: int, year: int, **zero):
    rows = session.info.get(ROWS)
    row = rows.get((model, key, year)) if rows is not None else None
    if row is None:
        row = None if (model, key) in session.info.get(READ, ()) else session.get(model, (key, year))
        if row is None:
            row = model(year=year, **zero)
            session.add(row)
        if rows is not None:
            rows[(model, key, year)] = row
    return row


def _flush_unless_batched(session: Session) -> None:
    if ROWS not in session.info:
        session.flush()


def _row(session: Session, programme_id: int, year: int) -> ProgrammeYearTotal:
    return _totals_row(session, ProgrammeYearTotal, programme_id, year, programme_id=programme_id,
                       planned=Decimal("0"), committed=Decimal("0"), disbursed=Decimal("0"))


def _add(row, kind: str, amount: Decimal) -> None:
    """Book an EUR amount of ``kind`` on a programme's or an activity's totals row."""
    if kind == "commitment":
        row.committed += amount
    elif kind == "disbursement":
        row.disbursed += amount
    elif kind == "refund":
        row.disbursed -= amount


def _apply_transaction(session: Session, facts: dict, sign: int) -> None:
    if facts.get("amount_eur") is None:
        return  # no EUR rate when booked; shown as an alert, never counted as zero
    _add(_row(session, facts["programme_id"], int(facts["year"])), facts["kind"],
         Decimal(facts["amount_eur"]) * sign)


def revalued_groups(event: Event) -> list[GroupChange]:
    """The activity groups a TransactionsRevalued event moved (its ``columns`` name them)."""
    columns = event.payload["columns"]
    return [GroupChange(**dict(zip(columns, values))) for values in event.payload["activities"]]


def _cents_delta(group: GroupChange) -> Decimal:
    return Decimal(group.after_cents - group.before_cents).scaleb(-2)


def _budget_totals_batch(session: Session, span: EventSpan) -> None:
    sums = _recorded_sums(session, span, "programme_id")
    others = _other_events(session, span)
    ids = {row[0] for row in sums} | _ids_in(others, "programme_id")
    with _batch_rows(session, ProgrammeYearTotal, ProgrammeYearTotal.programme_id, ids):
        for programme_id, year, kind, cents, _unconverted in sums:
            if cents is not None:
                _add(_row(session, programme_id, year), kind, _cents(cents))
        for event in others:
            update_budget_totals(session, event)


def _ids_in(events: list[Event], name: str) -> set:
    """The programme or activity ids the payloads name (plain, in facts, in totals)."""
    ids = set()
    for event in events:
        p = event.payload
        if p.get(name) is not None:
            ids.add(int(p[name]))
        ids.update(int(f[name]) for f in (p.get("before"), p.get("after")) if isinstance(f, dict) and f.get(name))
        if event.type == LINES_IMPORTED:
            ids.update(getattr(total, name) for total in imported_totals(p))
    return ids


@subscribe("budget_totals", on=("BudgetLineChanged", "TransactionCorrected", REVALUED, LINES_IMPORTED) + RECORDED,
           reset=_reset, batch=_budget_totals_batch)
def update_budget_totals(session: Session, event: Event) -> None:
    p = event.payload
    if event.type == LINES_IMPORTED:
        for total in imported_totals(p):
            _add(_row(session, total.programme_id, total.year), total.kind, total.amount_eur)
    elif event.type == REVALUED:
        for group in revalued_groups(event):
            _add(_row(session, group.programme_id, int(p["year"])), group.kind, _cents_delta(group))
    elif event.type == "BudgetLineChanged":
        delta = Decimal(p["planned_amount"]["after"]) - Decimal(p["planned_amount"]["before"] or "0")
        _row(session, p["programme_id"], p["year"]).planned += delta
    elif event.type == "TransactionCorrected":
        _apply_transaction(session, p["before"], -1)
        _apply_transaction(session, p["after"], +1)
    else:
        _apply_transaction(session, {"programme_id": p["programme_id"], "year": p["date"][:4],
                                     "kind": p["kind"], "amount_eur": p["amount_eur"]}, +1)
    _flush_unless_batched(session)


# --- activity_totals: per activity and year, for the programme page -------------------


def _reset_activity_totals(session: Session) -> None:
    session.execute(delete(ActivityYearTotal))


def _activity_row(session: Session, activity_id: int, year: int) -> ActivityYearTotal:
    return _totals_row(session, ActivityYearTotal, activity_id, year, activity_id=activity_id,
                       committed=Decimal("0"), disbursed=Decimal("0"), unconverted=0)


def _book_on_activity(session: Session, activity_id: int, facts: dict, sign: int) -> None:
    row = _activity_row(session, int(activity_id), int(facts["year"]))
    if facts.get("amount_eur") is None:
        row.unconverted += sign  # counted, so the portfolio can say which rates are missing
        return
    _add(row, facts["kind"], Decimal(facts["amount_eur"]) * sign)


def _revalue_activities(session: Session, event: Event) -> None:
    for group in revalued_groups(event):
        row = _activity_row(session, group.activity_id, int(event.payload["year"]))
        _add(row, group.kind, _cents_delta(group))
        row.unconverted += group.unconverted_after - group.unconverted_before


def _activity_when(session: Session, event: Event) -> int:
    """The activity a transaction belonged to just before ``event``: correction payloads
    name it only when it changed, so read the transaction's latest earlier event
    (an index lookup; corrections are rare). Replaying stays exact this way."""
    earlier = session.scalars(
        select(Event).where(Event.aggregate_type == "Transaction", Event.aggregate_id == event.aggregate_id,
                            Event.id < event.id).order_by(Event.id.desc()))
    for previous in earlier:
        moved = (previous.payload.get("changes") or {}).get("activity_id")
        if moved:
            return moved["after"]
        if previous.type in RECORDED:
            return previous.payload["activity_id"]
    return session.scalar(select(Transaction.activity_id).where(Transaction.id == int(event.aggregate_id)))


def _activity_totals_batch(session: Session, span: EventSpan) -> None:
    sums = _recorded_sums(session, span, "activity_id")
    others = _other_events(session, span)
    ids = {row[0] for row in sums} | _ids_in(others, "activity_id")
    with _batch_rows(session, ActivityYearTotal, ActivityYearTotal.activity_id, ids):
        for activity_id, year, kind, cents, unconverted in sums:
            row = _activity_row(session, activity_id, year)
            if cents is not None:
                _add(row, kind, _cents(cents))
            row.unconverted += int(unconverted or 0)
        for event in others:
            update_activity_totals(session, event)


def _corrected_activities(session: Session, event: Event) -> tuple[int, int]:
    """The activity of a corrected line before and after: in the facts of newer payloads,
    else from the changes or the line's history."""
    p = event.payload
    if "activity_id" in p["before"]:
        return p["before"]["activity_id"], p["after"]["activity_id"]
    moved = (p.get("changes") or {}).get("activity_id")
    return (moved["before"], moved["after"]) if moved else (_activity_when(session, event),) * 2


@subscribe("activity_totals", on=("TransactionCorrected", REVALUED, LINES_IMPORTED) + RECORDED,
           reset=_reset_activity_totals, batch=_activity_totals_batch)
def update_activity_totals(session: Session, event: Event) -> None:
    p = event.payload
    if event.type == LINES_IMPORTED:
        for total in imported_totals(p):
            row = _activity_row(session, total.activity_id, total.year)
            _add(row, total.kind, total.amount_eur)
            row.unconverted += total.unconverted
    elif event.type == REVALUED:
        _revalue_activities(session, event)
    elif event.type == "TransactionCorrected":
        before, after = _corrected_activities(session, event)
        _book_on_activity(session, before, p["before"], -1)
        _book_on_activity(session, after, p["after"], +1)
    else:
        _book_on_activity(session, p["activity_id"], {"year": p["date"][:4], "kind": p["kind"],
                                                      "amount_eur": p["amount_eur"]}, +1)
    _flush_unless_batched(session)
