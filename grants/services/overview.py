"""Read side of the grants pages and API: lists, the overview, what blocks payments."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from grants.models import Application, Call, LedgerMismatch, Reminder, Report, Scheme, Tranche
from grants.models.enums import CallStatus, TrancheStatus
from grants.services.calls import reserved_amount
from grants.services.guards import tranche_block_reason
from grants.workflow import OPEN_GRANT


def _scoped(stmt: Select, programme_ids: set[int] | None) -> Select:
    return stmt if programme_ids is None else stmt.where(Scheme.programme_id.in_(programme_ids or {-1}))


def schemes(session: Session, programme_ids: set[int] | None) -> list[Scheme]:
    return list(session.scalars(_scoped(select(Scheme), programme_ids).order_by(Scheme.code)))


def calls_query(programme_ids: set[int] | None, scheme_id: int | None = None, status: str | None = None) -> Select:
    stmt = _scoped(select(Call).join(Scheme, Scheme.id == Call.scheme_id), programme_ids)
    if scheme_id:
        stmt = stmt.where(Call.scheme_id == scheme_id)
    if status:
        stmt = stmt.where(Call.status == status)
    return stmt.order_by(Call.year.desc(), Call.code)


@dataclass
class CallFigures:
    call: Call
    reserved: Decimal
    remaining: Decimal
    applications: int


def call_figures(session: Session, call: Call) -> CallFigures:
    reserved = reserved_amount(session, call)
    count = session.scalar(select(func.count()).select_from(Application).where(Application.call_id == call.id))
    return CallFigures(call, reserved, call.budget_ceiling - reserved, count)


def applications_query(programme_ids: set[int] | None, scheme_id: int | None = None, call_id: int | None = None,
                       status: str | None = None, search: str | None = None) -> Select:
    """Applications, newest first. The search looks at reference and title only, never at people."""
    stmt = _scoped(select(Application).join(Scheme, Scheme.id == Application.scheme_id), programme_ids)
    if scheme_id:
        stmt = stmt.where(Application.scheme_id == scheme_id)
    if call_id:
        stmt = stmt.where(Application.call_id == call_id)
    if status:
        stmt = stmt.where(Application.status == status)
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(Application.reference.ilike(pattern, escape="\\"),
                              Application.title.ilike(pattern, escape="\\")))
    return stmt.order_by(Application.id.desc())


def overdue_reports(session: Session, programme_ids: set[int] | None, today: date) -> list[tuple[Report, Application]]:
    stmt = (select(Report, Application).join(Application, Application.id == Report.application_id)
            .join(Scheme, Scheme.id == Application.scheme_id)
            .where(Report.received_on.is_(None), Report.due_date < today, Application.status.in_(OPEN_GRANT))
            .order_by(Report.due_date))
    return [tuple(row) for row in session.execute(_scoped(stmt, programme_ids))]


@dataclass
class TrancheView:
    tranche: Tranche
    application: Application
    blocked_by: str | None


def open_tranches(session: Session, programme_ids: set[int] | None, today: date,
                  within_days: int = 60) -> list[TrancheView]:
    """Planned tranches due within ``within_days`` (or late), each with what blocks it."""
    stmt = (select(Tranche, Application).join(Application, Application.id == Tranche.application_id)
            .join(Scheme, Scheme.id == Application.scheme_id)
            .where(Tranche.status == TrancheStatus.PLANNED.value, Application.status.in_(OPEN_GRANT),
                   Tranche.due_date <= today + timedelta(days=within_days))
            .order_by(Tranche.due_date))
    return [TrancheView(t, a, tranche_block_reason(session, a, t, today))
            for t, a in session.execute(_scoped(stmt, programme_ids))]


def open_reminders(session: Session, programme_ids: set[int] | None) -> list[tuple[Reminder, Application]]:
    stmt = (select(Reminder, Application).join(Application, Application.id == Reminder.application_id)
            .join(Scheme, Scheme.id == Application.scheme_id)
            .where(Reminder.dismissed_at.is_(None)).order_by(Reminder.due_date))
    return [tuple(row) for row in session.execute(_scoped(stmt, programme_ids))]


def open_mismatches(session: Session, programme_ids: set[int] | None) -> list[tuple[LedgerMismatch, Application]]:
    stmt = (select(LedgerMismatch, Application).join(Application, Application.id == LedgerMismatch.application_id)
            .join(Scheme, Scheme.id == Application.scheme_id)
            .where(LedgerMismatch.resolved_at.is_(None)).order_by(LedgerMismatch.id))
    return [tuple(row) for row in session.execute(_scoped(stmt, programme_ids))]


def open_calls(session: Session, programme_ids: set[int] | None) -> list[CallFigures]:
    calls = session.scalars(calls_query(programme_ids, status=CallStatus.OPEN.value))
    return [call_figures(session, call) for call in calls]


@dataclass
class Overview:
    calls: list[CallFigures]
    overdue: list
    tranches: list[TrancheView]
    reminders: list
    mismatches: list


def overview(session: Session, programme_ids: set[int] | None, today: date, within_days: int = 60) -> Overview:
    return Overview(open_calls(session, programme_ids), overdue_reports(session, programme_ids, today),
                    open_tranches(session, programme_ids, today, within_days), open_reminders(session, programme_ids),
                    open_mismatches(session, programme_ids))
