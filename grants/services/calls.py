"""Calls for applications and what is left of their budget."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.events import publish
from app.events.payload import changes, snapshot
from grants.models import Application, Call
from grants.models.enums import CallStatus
from grants.services.common import clean_text, money, require_date
from grants.services.errors import GrantsError, WrongStatus

CALL_FIELDS = ("scheme_id", "code", "title", "description", "year", "budget_ceiling", "opens_on", "closes_on",
               "status")
CHANGEABLE = ("title", "description", "budget_ceiling", "closes_on")


def get_call_by_code(session: Session, code: str) -> Call | None:
    return session.scalar(select(Call).where(Call.code == code))


def _validate(call: Call) -> None:
    call.title = clean_text(call.title, "title", 200, required=True)
    call.description = clean_text(call.description, "description", 5000)
    if not isinstance(call.year, int) or not 2000 <= call.year <= 2100:
        raise GrantsError("the year must be between 2000 and 2100", "year")
    call.budget_ceiling = money(call.budget_ceiling, "budget_ceiling")
    if call.budget_ceiling <= 0:
        raise GrantsError("a call needs a positive budget ceiling", "budget_ceiling")
    require_date(call.opens_on, "opens_on")
    if call.closes_on is not None and require_date(call.closes_on, "closes_on") < call.opens_on:
        raise GrantsError("the call closes before it opens", "closes_on")


def open_call(session: Session, scheme, code: str, title: str, year: int, budget_ceiling: Decimal,
              opens_on: date, closes_on: date | None = None, description: str | None = None) -> Call:
    """Open a call under a scheme with a budget ceiling (``CallOpened``)."""
    code = clean_text(code, "code", 30, required=True)
    if get_call_by_code(session, code) is not None:
        raise GrantsError(f"call {code} exists already", "code")
    if not scheme.active:
        raise GrantsError(f"scheme {scheme.code} is not active", "scheme")
    call = Call(scheme_id=scheme.id, code=code, title=title, year=year, budget_ceiling=budget_ceiling,
                opens_on=opens_on, closes_on=closes_on, description=description, status=CallStatus.OPEN.value)
    _validate(call)
    session.add(call)
    session.flush()
    publish(session, "CallOpened", "GrantCall", call.id,
            {**snapshot(call, CALL_FIELDS), "programme_id": scheme.programme_id})
    return call


def change_call(session: Session, call: Call, **fields) -> dict:
    before = snapshot(call, CALL_FIELDS)
    for key, value in fields.items():
        if key not in CHANGEABLE:
            raise GrantsError(f"{key} cannot be changed", key)
        setattr(call, key, value)
    _validate(call)
    if call.budget_ceiling < reserved_amount(session, call):
        raise GrantsError("the ceiling would be lower than what is already approved", "budget_ceiling")
    diff = changes(before, snapshot(call, CALL_FIELDS))
    if diff:
        session.flush()
        publish(session, "CallChanged", "GrantCall", call.id,
                {"programme_id": call.scheme.programme_id, "changes": diff})
    return diff


def close_call(session: Session, call: Call) -> Call:
    if call.status == CallStatus.CLOSED:
        raise WrongStatus(f"call {call.code} is closed already")
    call.status = CallStatus.CLOSED.value
    session.flush()
    publish(session, "CallClosed", "GrantCall", call.id,
            {"code": call.code, "programme_id": call.scheme.programme_id})
    return call


def reserved_amount(session: Session, call: Call) -> Decimal:
    """What approved applications hold of the ceiling (net of decreases and withdrawals)."""
    # SUM keeps the Money type (cents back to euros); COALESCE would not, hence "or".
    approved, decreased = session.execute(
        select(func.sum(Application.approved_amount), func.sum(Application.decreased_amount))
        .where(Application.call_id == call.id, Application.approved_amount.is_not(None))).one()
    return (approved or Decimal("0.00")) - (decreased or Decimal("0.00"))


def remaining_budget(session: Session, call: Call) -> Decimal:
    return call.budget_ceiling - reserved_amount(session, call)


def lock_call(session: Session, call: Call) -> None:
    """Serialise approvals within a call so two of them cannot both take the last euros."""
    session.execute(select(Call.id).where(Call.id == call.id).with_for_update())


def is_open_on(call: Call, day: date) -> bool:
    return call.status == CallStatus.OPEN and call.opens_on <= day and (call.closes_on is None or day <= call.closes_on)
