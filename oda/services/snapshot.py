"""Building the in-memory ReferenceSnapshot the rules read: from the database for a
classification run, or straight from parsed files (tests, previews)."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.rates.models import ExchangeRate
from oda.models import Annex2Coefficient, Recipient, RecipientEligibility
from oda.reference.batch import ParsedFile
from oda.reference.lists import LISTS
from oda.reference.services import reference_version
from oda.rules.reference import Annex2Info, CodeInfo, EligibilityInfo, RecipientInfo, ReferenceSnapshot

CODE_LISTS = ("purpose_codes", "aid_types", "channels", "finance_types", "flow_types", "bi_multi")


def load_snapshot(session: Session) -> ReferenceSnapshot:
    snap = ReferenceSnapshot(version=reference_version(session))
    for name in CODE_LISTS:
        model = LISTS[name].model
        cols = (model.code, model.name_en, model.status, model.activation_date, model.withdrawal_date,
                model.category)
        snap.codes[name] = {row[0]: CodeInfo(*row) for row in session.execute(select(*cols))}
    for row in session.execute(select(Recipient.code, Recipient.name_en, Recipient.kind, Recipient.iso3,
                                      Recipient.status, Recipient.region)):
        snap.recipients[row[0]] = RecipientInfo(*row)
    _load_eligibility(session, snap)
    for a in session.scalars(select(Annex2Coefficient)):
        snap.annex2.setdefault(a.channel_code, []).append(Annex2Info(
            a.channel_code, a.year, a.coefficient, a.name_en, a.origin, a.core_aid_type, a.acronym))
    for rate in session.execute(select(ExchangeRate.year, ExchangeRate.currency, ExchangeRate.units_per_usd,
                                       ExchangeRate.units_per_eur)):
        snap.usd_rates[(rate.year, rate.currency)] = rate.units_per_usd
        if rate.units_per_eur is not None:
            snap.rates[(rate.year, rate.currency)] = rate.units_per_eur
    return snap


def eligibility_snapshot(session: Session) -> ReferenceSnapshot:
    """Only the DAC List entries (a few hundred rows): what income groups are read from."""
    snap = ReferenceSnapshot(version=reference_version(session))
    _load_eligibility(session, snap)
    return snap


def _load_eligibility(session: Session, snap: ReferenceSnapshot) -> None:
    for e in session.scalars(select(RecipientEligibility)):
        snap.eligibility.setdefault(e.recipient_code, []).append(EligibilityInfo(
            e.recipient_code, e.year_from, e.year_to, e.on_list, e.income_group, e.list_name, e.origin, e.note))


def snapshot_from_parsed(parsed: list[ParsedFile], version: int = 0) -> ReferenceSnapshot:
    """The same snapshot, from parsed reference files without a database (later files win)."""
    snap = ReferenceSnapshot(version=version)
    for item in parsed:
        for batch in item.batches:
            _add_rows(snap, batch.list_name, batch.rows, batch.origin)
        for rate in item.rates:
            snap.usd_rates[(rate.year, rate.currency)] = Decimal(rate.units_per_usd)
    _cross_rates(snap)
    return snap


def _add_rows(snap: ReferenceSnapshot, list_name: str, rows: list[dict], origin: str) -> None:
    if list_name in CODE_LISTS:
        target = snap.codes.setdefault(list_name, {})
        for r in rows:
            target[r["code"]] = CodeInfo(r["code"], r.get("name_en") or r["code"], r.get("status") or "active",
                                         r.get("activation_date"), r.get("withdrawal_date"), r.get("category"))
    elif list_name == "recipients":
        for r in rows:
            snap.recipients[r["code"]] = RecipientInfo(r["code"], r["name_en"], r["kind"], r.get("iso3"),
                                                       r.get("status") or "active", r.get("region"))
    elif list_name == "recipient_eligibility":
        for r in rows:
            snap.eligibility.setdefault(r["recipient_code"], []).append(EligibilityInfo(
                r["recipient_code"], r["year_from"], r["year_to"], r["on_list"], r["income_group"],
                r["list_name"], origin, r.get("note")))
    elif list_name == "annex2_coefficients":
        for r in rows:
            snap.annex2.setdefault(r["channel_code"], []).append(Annex2Info(
                r["channel_code"], r["year"], r["coefficient"], r["name_en"], origin, r.get("core_aid_type"),
                r.get("acronym")))


def _cross_rates(snap: ReferenceSnapshot) -> None:
    """Units per EUR = units per USD ÷ EUR per USD, as app.rates computes them."""
    from app.rates.services import quantize_rate

    for (year, currency), per_usd in snap.usd_rates.items():
        eur = snap.usd_rates.get((year, "EUR"))
        if eur is not None:
            snap.rates[(year, currency)] = quantize_rate(per_usd / eur)
