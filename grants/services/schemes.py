"""Grant schemes and their configuration."""
from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.roles import Role
from app.events import publish
from app.events.payload import changes, jsonable, snapshot
from grants.models import AllowanceRate, Scheme
from grants.models.enums import CRS_DEFAULT_FIELDS, SchemeKind
from grants.services.common import clean_text, money
from grants.services.errors import GrantsError, NotAllowed
from programmes.models import Programme
from programmes.models.enums import MainObjective

SCHEME_FIELDS = ("code", "name", "kind", "description", "programme_id", "active", "crs_defaults", "criteria",
                 "checklist", "four_eyes", "requires_assessment", "final_report_required", "final_report_days",
                 "reminder_days", "min_months", "max_months", "travel_lump_sum_europe",
                 "travel_lump_sum_outside_europe", "currency")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


def get_scheme_by_code(session: Session, code: str) -> Scheme | None:
    return session.scalar(select(Scheme).where(Scheme.code == code))


def _items(value, field: str, scored: bool) -> list:
    """Validate assessment criteria (scored) or checklist items."""
    if not isinstance(value, list) or len(value) > 50:
        raise GrantsError(f"{field} must be a list of at most 50 items", field)
    seen, items = set(), []
    for item in value:
        if not isinstance(item, dict):
            raise GrantsError(f"each of {field} needs a code and a label", field)
        code = item.get("code")
        if not isinstance(code, str) or not _CODE.match(code) or code in seen:
            raise GrantsError(f"{field}: {code!r} is not a valid, unique code", field)
        seen.add(code)
        clean = {"code": code, "label": clean_text(item.get("label"), field, 200, required=True)}
        if scored:
            top = item.get("max_score")
            if not isinstance(top, int) or isinstance(top, bool) or not 1 <= top <= 100:
                raise GrantsError(f"{field}: max_score of {code} must be a whole number 1–100", field)
            clean["max_score"] = top
        items.append(clean)
    return items


def crs_codes(value, field: str = "crs_defaults") -> dict:
    """Validate a mapping of CRS attributes (a scheme's defaults or an application's overrides)."""
    if not isinstance(value, dict):
        raise GrantsError("CRS codes must be a mapping", field)
    unknown = set(value) - set(CRS_DEFAULT_FIELDS)
    if unknown:
        raise GrantsError(f"unknown CRS fields: {', '.join(sorted(unknown))}", field)
    clean = {}
    for key, code in value.items():
        if code in (None, ""):
            continue
        limit = 30 if key == "main_objective" else 5
        clean[key] = clean_text(str(code), field, limit)
    if clean.get("main_objective") and clean["main_objective"] not in set(MainObjective):
        raise GrantsError(f"unknown main objective {clean['main_objective']!r}", field)
    return clean


def _validate(session: Session, scheme: Scheme) -> None:
    if not scheme.code or not _CODE.match(scheme.code) or len(scheme.code) > 20:
        raise GrantsError("a scheme code has 1–20 letters, digits, - or _", "code")
    scheme.name = clean_text(scheme.name, "name", 200, required=True)
    scheme.description = clean_text(scheme.description, "description", 5000)
    if scheme.kind not in set(SchemeKind):
        raise GrantsError(f"unknown scheme kind {scheme.kind!r}", "kind")
    if session.get(Programme, scheme.programme_id) is None:
        raise GrantsError("the scheme's programme does not exist", "programme_id")
    scheme.crs_defaults = crs_codes(scheme.crs_defaults or {})
    scheme.criteria = _items(scheme.criteria or [], "criteria", scored=True)
    scheme.checklist = _items(scheme.checklist or [], "checklist", scored=False)
    for field in ("final_report_days", "reminder_days"):
        value = getattr(scheme, field)
        if not isinstance(value, int) or not 0 <= value <= 730:
            raise GrantsError(f"{field} must be 0–730 days", field)
    if scheme.min_months is not None and scheme.max_months is not None and scheme.max_months < scheme.min_months:
        raise GrantsError("the longest period is shorter than the shortest", "max_months")
    for field in ("travel_lump_sum_europe", "travel_lump_sum_outside_europe"):
        value = getattr(scheme, field)
        if value is not None:
            value = money(value, field)
            if value < 0:
                raise GrantsError("a lump sum cannot be negative", field)
            setattr(scheme, field, value)


def create_scheme(session: Session, **fields) -> Scheme:
    unknown = set(fields) - set(SCHEME_FIELDS)
    if unknown:
        raise GrantsError(f"unknown fields: {', '.join(sorted(unknown))}", sorted(unknown)[0])
    if get_scheme_by_code(session, fields.get("code") or "") is not None:
        raise GrantsError(f"scheme {fields['code']} exists already", "code")
    defaults = {"active": True, "four_eyes": True, "requires_assessment": True, "final_report_required": True,
                "final_report_days": 60, "reminder_days": 14, "currency": "EUR", "crs_defaults": {},
                "criteria": [], "checklist": []}
    scheme = Scheme(**{**defaults, **fields})
    _validate(session, scheme)
    session.add(scheme)
    session.flush()
    publish(session, "SchemeCreated", "GrantScheme", scheme.id, snapshot(scheme, SCHEME_FIELDS))
    return scheme


#: settings that keep decisions honest: only an admin may change them
CONTROL_FIELDS = ("four_eyes", "requires_assessment", "programme_id", "active")


def update_scheme(session: Session, scheme: Scheme, user=None, **fields) -> dict:
    """Change the configuration; ``SchemeChanged`` keeps before and after of each field.

    A programme manager may tune criteria, scales and deadlines of their scheme but
    not switch off the four-eyes rule or the assessment, nor move the scheme.
    """
    control = [k for k in CONTROL_FIELDS if k in fields and fields[k] != getattr(scheme, k)]
    if control and user is not None and not user.has_role(Role.ADMIN):
        raise NotAllowed(f"only an admin may change {', '.join(control)}", control[0])
    before = snapshot(scheme, SCHEME_FIELDS)
    for key, value in fields.items():
        if key not in SCHEME_FIELDS or key == "code":
            raise GrantsError(f"{key} cannot be changed", key)
        setattr(scheme, key, value)
    _validate(session, scheme)
    diff = changes(before, snapshot(scheme, SCHEME_FIELDS))
    if diff:
        session.flush()
        publish(session, "SchemeChanged", "GrantScheme", scheme.id, {"changes": diff})
    return diff


def set_allowance_rate(session: Session, scheme: Scheme, destination: str, in_europe: bool,
                       monthly_allowance: Decimal) -> AllowanceRate:
    """Create or change the monthly allowance of a destination (``AllowanceRateSet``)."""
    destination = clean_text(destination, "destination", 80, required=True)
    amount = money(monthly_allowance, "monthly_allowance")
    if amount < 0:
        raise GrantsError("an allowance cannot be negative", "monthly_allowance")
    rate = next((r for r in scheme.allowance_rates if r.destination.lower() == destination.lower()), None)
    before = None if rate is None else {"in_europe": rate.in_europe, "monthly_allowance": rate.monthly_allowance}
    if rate is None:
        rate = AllowanceRate(scheme=scheme, destination=destination, in_europe=bool(in_europe),
                             monthly_allowance=amount)
        session.add(rate)
    elif before == {"in_europe": bool(in_europe), "monthly_allowance": amount}:
        return rate
    rate.in_europe, rate.monthly_allowance = bool(in_europe), amount
    session.flush()
    publish(session, "AllowanceRateSet", "GrantScheme", scheme.id, jsonable({
        "scheme_id": scheme.id, "destination": rate.destination, "before": before,
        "after": {"in_europe": rate.in_europe, "monthly_allowance": rate.monthly_allowance}}))
    return rate
