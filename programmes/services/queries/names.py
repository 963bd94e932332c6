"""The names the audit trail shows for the programme package's records (app.events.names):
an activity or a programme by its code and title, a ledger line by its activity and document."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from programmes.models import Activity, Programme, Transaction


def record_names(session: Session, wanted: dict[str, set[str]]) -> dict[tuple[str, str], str]:
    names: dict[tuple[str, str], str] = {}
    for kind, stmt in (("Activity", _activities), ("Programme", _programmes), ("Transaction", _transactions)):
        ids = sorted(int(i) for i in wanted.get(kind, ()) if i.isdigit())
        if ids:
            names.update({(kind, str(id_)): name for id_, name in stmt(session, ids)})
    return names


def _activities(session: Session, ids: list[int]):
    for id_, code, title in session.execute(select(Activity.id, Activity.code, Activity.title)
                                            .where(Activity.id.in_(ids))):
        yield id_, f"{code} · {title}"


def _programmes(session: Session, ids: list[int]):
    for id_, code, name in session.execute(select(Programme.id, Programme.code, Programme.name)
                                           .where(Programme.id.in_(ids))):
        yield id_, f"{code} · {name}"


def _transactions(session: Session, ids: list[int]):
    for id_, document, code in session.execute(
            select(Transaction.id, Transaction.document_number, Activity.code)
            .join(Activity, Activity.id == Transaction.activity_id).where(Transaction.id.in_(ids))):
        yield id_, f"{code} · {document}"
