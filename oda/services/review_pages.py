"""What the review pages show beside the groups: the code pickers, the programme filter,
a group decision's lines."""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.web.pagination import Page, paginate
from oda.models import Classification, GroupDecision
from oda.reference.lists import resolve
from oda.services.source_fix import FIXABLE
from programmes.models import Programme, Transaction


class CodeOption(NamedTuple):
    code: str
    name: str


def code_options(session: Session) -> dict[str, list[CodeOption]]:
    """{activity field: the loaded reference list's codes with their names}, for the pickers."""
    options = {}
    for item in FIXABLE:
        if item.list_name is None:
            continue
        model = resolve(item.list_name).model
        options[item.field] = [CodeOption(code, name) for code, name in
                               session.execute(select(model.code, model.name_en).order_by(model.code))]
    return options


def programme_choices(session: Session, programme_ids: set[int] | None) -> list[tuple[int, str]]:
    """(id, "code – name") of the programmes the officer may filter on."""
    stmt = select(Programme.id, Programme.code, Programme.name).order_by(Programme.code)
    if programme_ids is not None:
        stmt = stmt.where(Programme.id.in_(sorted(programme_ids)))
    return [(id_, f"{code} – {name}") for id_, code, name in session.execute(stmt)]


class DecidedLine(NamedTuple):
    classification: Classification
    transaction: Transaction
    #: booked after the decision: the line inherited it
    inherited: bool


def decision_lines(session: Session, decision: GroupDecision, page: int, per_page: int) -> Page:
    """The lines that follow ``decision`` (none once it has ended), by date."""
    c = Classification
    stmt = (select(c, Transaction).join(Transaction, Transaction.id == c.transaction_id)
            .where(c.activity_id == decision.activity_id, c.year == decision.year, c.decision_id == decision.id)
            .order_by(Transaction.date, Transaction.id))
    rows = paginate(session, stmt, page, per_page, scalars=False)
    rows.items = [DecidedLine(cl, t, t.recorded_at > decision.decided_at) for cl, t in rows.items]
    return rows
