"""Writing the demo through the services, skipping whatever exists already.

Existing rows are recognised by their natural keys (rate year and currency,
organisation name, programme code, budget year, activity code, document
number) and never touched, so edits made in the demo survive a re-run.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.rates.services import RateOrigin, get_rate, set_rate
from programmes.demo.data_rates import demo_rates
from programmes.demo.ledger import Planned, Window, rng_for
from programmes.demo.spec import DemoActivity, DemoOrganisation, DemoProgramme
from programmes.models import Activity, BudgetLine, Organisation, Programme, Transaction
from programmes.services.activities import create_activity, get_activity_by_code
from programmes.services.programmes import create_programme, get_programme_by_code, set_budget_line
from programmes.services.transactions import record_transaction

SOURCE = "ledger"
DOCUMENT_LETTER = {"commitment": "V", "disbursement": "B", "refund": "T"}


def load_rates(session: Session) -> int:
    added = 0
    for year, currency, units_per_usd, source in demo_rates():
        if get_rate(session, year, currency) is None:
            set_rate(session, year, currency, units_per_usd, source, RateOrigin.IMF)
            added += 1
    return added


def load_organisations(session: Session, organisations: dict[str, DemoOrganisation]) -> tuple[dict, int]:
    """Partners by key. There is no organisation service (nor event) yet: plain inserts."""
    existing = {o.name: o for o in session.scalars(
        select(Organisation).where(Organisation.name.in_([o.name for o in organisations.values()])))}
    by_key, added = {}, 0
    for key, spec in organisations.items():
        org = existing.get(spec.name)
        if org is None:
            org = Organisation(name=spec.name, short_name=spec.short_name, kind=spec.kind,
                               country=spec.country, channel_code=spec.channel_code)
            session.add(org)
            added += 1
        by_key[key] = org
    session.flush()
    return {key: org.id for key, org in by_key.items()}, added


def load_programmes(session: Session, programmes: tuple[DemoProgramme, ...]) -> tuple[dict, int, int]:
    """Programmes and their yearly budget lines; returns ({code: Programme}, added, lines added)."""
    found, added, lines = {}, 0, 0
    for spec in programmes:
        programme = get_programme_by_code(session, spec.code)
        if programme is None:
            programme = create_programme(
                session, code=spec.code, name=spec.name, kind=spec.kind, partner_country=spec.partner_country,
                start_year=spec.start_year, end_year=spec.end_year, focus_sectors=list(spec.focus_sectors),
                policy_area=spec.policy_area, description=spec.description)
            added += 1
        lines += _load_budget_lines(session, programme, spec)
        found[spec.code] = programme
    return found, added, lines


def _load_budget_lines(session: Session, programme: Programme, spec: DemoProgramme) -> int:
    planned_years = set(session.scalars(select(BudgetLine.year).where(
        BudgetLine.programme_id == programme.id, BudgetLine.sector == "")))
    added = 0
    for year, amount in spec.yearly_budget.items():
        if year not in planned_years and year in programme.years:
            set_budget_line(session, programme, year, amount)
            added += 1
    return added


def load_activities(session: Session, activities: tuple[DemoActivity, ...], programmes: dict[str, Programme],
                    organisation_ids: dict[str, int]) -> tuple[dict, int]:
    found, added = {}, 0
    for spec in activities:
        activity = get_activity_by_code(session, spec.code)
        if activity is None:
            activity = create_activity(
                session, programme_id=programmes[spec.programme].id,
                organisation_id=organisation_ids[spec.organisation] if spec.organisation else None,
                **spec.fields)
            added += 1
        found[spec.code] = activity
    return found, added


def planned_ledger(spec: DemoActivity, programme: DemoProgramme) -> list[tuple[str, Planned]]:
    """The activity's transactions with their document numbers, in booking order."""
    f = spec.fields
    start, end = f["start_date"], f["end_date"]
    window = Window(code=spec.code, committed_on=f["commitment_date"], amount=f["commitment_amount"],
                    start=start, end=end,
                    first_year=max(programme.start_year, start.year if start else 0),
                    last_year=min(programme.end_year, end.year if end else 9999))
    planned = sorted(spec.plan.transactions(window, rng_for(spec.code)), key=_booking_order)
    numbered, counters = [], {}
    for item in planned:
        letter = DOCUMENT_LETTER[item.kind]
        counters[letter] = counters.get(letter, 0) + 1
        numbered.append((f"{spec.code}/{letter}{counters[letter]:04d}", item))
    return numbered


def _booking_order(item: Planned) -> tuple[date, int]:
    return item.when, list(DOCUMENT_LETTER).index(item.kind)


def load_transactions(session: Session, spec: DemoActivity, activity: Activity, programme: DemoProgramme) -> int:
    """Book the planned transactions whose document numbers are not in the ledger yet."""
    booked = set(session.scalars(select(Transaction.document_number).where(
        Transaction.source == SOURCE, Transaction.document_number.like(f"{spec.code}/%"))))
    added = 0
    for document, item in planned_ledger(spec, programme):
        if document in booked:
            continue
        record_transaction(session, activity, item.kind, item.when, item.amount, document,
                           currency=item.currency, source=SOURCE, description=item.description,
                           budget_article=programme.budget_article)
        added += 1
    return added
