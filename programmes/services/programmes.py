"""Programmes and their budget lines."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import extract, select
from sqlalchemy.orm import Session

from app.errors import ValidationError, money_value
from app.auth.scopes import ScopeOption
from app.events import publish
from app.events.payload import changes, jsonable, snapshot
from app.year_lock import refuse_locked
from programmes.models import Activity, BudgetLine, Programme, Transaction
from programmes.models.enums import PolicyArea, ProgrammeKind

PROGRAMME_FIELDS = ("code", "name", "kind", "partner_country", "start_year", "end_year",
                    "focus_sectors", "policy_area", "description")


def _validate_programme(p: Programme) -> None:
    if p.kind not in set(ProgrammeKind):
        raise ValidationError(f"unknown programme kind {p.kind!r}", "kind")
    if p.policy_area not in set(PolicyArea):
        raise ValidationError(f"unknown policy area {p.policy_area!r}", "policy_area")
    if p.end_year < p.start_year:
        raise ValidationError("the period ends before it starts", "end_year")
    if p.kind == ProgrammeKind.COUNTRY:
        if not p.partner_country:
            raise ValidationError("a country programme needs a partner country", "partner_country")
        if p.end_year - p.start_year + 1 != 5:
            raise ValidationError("a country programme runs five years", "end_year")


def get_programme_by_code(session: Session, code: str) -> Programme | None:
    return session.scalar(select(Programme).where(Programme.code == code))


def scope_options(session: Session) -> list[ScopeOption]:
    """Every programme as "CODE · name", for the programme scopes of the Users and roles page."""
    rows = session.execute(select(Programme.id, Programme.code, Programme.name).order_by(Programme.code))
    return [ScopeOption(pid, f"{code} · {name}") for pid, code, name in rows]


def create_programme(session: Session, **fields) -> Programme:
    if get_programme_by_code(session, fields["code"]) is not None:
        raise ValidationError(f"programme {fields['code']} exists already", "code")
    fields.setdefault("focus_sectors", [])
    programme = Programme(**fields)
    _validate_programme(programme)
    session.add(programme)
    session.flush()
    publish(session, "ProgrammeCreated", "Programme", programme.id, snapshot(programme, PROGRAMME_FIELDS))
    return programme


def update_programme(session: Session, programme: Programme, **fields) -> dict:
    """Apply changes; returns {field: {before, after}} (empty when nothing changed)."""
    before = snapshot(programme, PROGRAMME_FIELDS)
    for key, value in fields.items():
        if key not in PROGRAMME_FIELDS:
            raise ValidationError(f"unknown field {key}", key)
        setattr(programme, key, value)
    _validate_programme(programme)
    diff = changes(before, snapshot(programme, PROGRAMME_FIELDS))
    if "policy_area" in diff:  # the CRS sheet's PolicyArea column
        refuse_locked(session, _line_years(session, programme.id), "policy_area")
    if diff:
        session.flush()
        publish(session, "ProgrammeChanged", "Programme", programme.id, {"changes": diff})
    return diff


def _line_years(session: Session, programme_id: int) -> set[int]:
    line_year = extract("year", Transaction.date)
    with session.no_autoflush:
        return {int(y) for y in session.scalars(
            select(line_year).join(Activity, Activity.id == Transaction.activity_id)
            .where(Activity.programme_id == programme_id).group_by(line_year))}


def set_budget_line(session: Session, programme: Programme, year: int, planned_amount: Decimal,
                    sector: str = "") -> BudgetLine:
    """Create or change the plan for a year (and sector); emits ``BudgetLineChanged``."""
    planned_amount = money_value(planned_amount, "planned_amount")
    if year not in programme.years:
        raise ValidationError(
            f"{year} is outside the programme period {programme.start_year}–{programme.end_year}", "year")
    if planned_amount < 0:
        raise ValidationError("a planned amount cannot be negative", "planned_amount")
    sector = (sector or "").strip()
    line = session.scalar(select(BudgetLine).where(
        BudgetLine.programme_id == programme.id, BudgetLine.year == year, BudgetLine.sector == sector))
    old = Decimal("0") if line is None else line.planned_amount
    if line is None:
        line = BudgetLine(programme_id=programme.id, year=year, sector=sector, planned_amount=planned_amount)
        session.add(line)
    elif old == planned_amount:
        return line
    line.planned_amount = planned_amount
    session.flush()
    publish(session, "BudgetLineChanged", "BudgetLine", line.id, jsonable({
        "programme_id": programme.id, "year": year, "sector": sector,
        "planned_amount": {"before": old, "after": planned_amount}, "currency": line.currency,
    }))
    return line
