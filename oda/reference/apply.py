"""Writing parsed reference data: upsert by natural key, one ReferenceSet per list
that changed, one ``ReferenceDataLoaded`` event per set. Loading the same data twice
changes nothing and emits nothing.

Official data replaces what is there (later loads win, for the fields a file gives).
Curated data only fills gaps: it never overwrites a row an official file wrote.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.db import utcnow
from app.events import publish
from app.events.bus import current_actor
from app.events.payload import jsonable
from app.year_lock import locked_years
from oda.reference.batch import CURATED, LoadBatch, RateRow
from oda.reference.lists import EXCHANGE_RATES, LISTS
from oda.models import ReferenceSet

EVENT = "ReferenceDataLoaded"
MAX_CHANGES_IN_EVENT = 200


@dataclass
class ListResult:
    list_name: str
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    reference_set_id: int | None = None
    changed_keys: list = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated)

    def counts(self) -> dict:
        return {"inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged,
                "kept_official": self.skipped}


def apply_batch(session: Session, batch: LoadBatch) -> ListResult:
    spec = LISTS[batch.list_name]
    model = spec.model
    existing = _existing(session, model, spec.key)
    official_keys = _official_keys(session, model, spec.key) if batch.origin == CURATED else set()
    result = ListResult(batch.list_name)
    inserts, updates, changes = [], [], []
    for row in _deduplicated(batch.rows, spec.key):
        key = tuple(row[k] for k in spec.key)
        current = existing.get(key)
        if current is None:
            inserts.append(row)
            changes.append({"key": _key_text(key), "before": None, "after": jsonable(row)})
            continue
        diff = {k: v for k, v in row.items() if current.get(k) != v}
        if not diff:
            result.unchanged += 1
        elif key in official_keys:
            result.skipped += 1
        else:
            updates.append({**_pk(model, current), **diff})
            changes.append({"key": _key_text(key), "before": jsonable({k: current.get(k) for k in diff}),
                            "after": jsonable(diff)})
    result.inserted, result.updated = len(inserts), len(updates)
    if result.changed:
        reference_set = _new_set(session, batch, result)
        stamp = {"reference_set_id": reference_set.id, "updated_at": utcnow()}
        if inserts:
            session.execute(insert(model), [{**row, **stamp} for row in inserts])
        if updates:
            session.execute(update(model), [{**row, **stamp} for row in updates])
        result.changed_keys = [c["key"] for c in changes]
        _publish(session, reference_set, batch, result, changes)
    return result


def apply_rates(session: Session, rates: list[RateRow], origin: str, source: str, sha256: str) -> ListResult:
    """Exchange rates go through app.rates (each change is an ExchangeRateSet event; the
    ledger is revalued once per year of the file); a rate never replaces one of a higher
    origin: curated < IMF file < officer (the DAC's rate)."""
    from app.rates.services import RateOrigin, get_rate, may_replace, one_revaluation_per_year, set_rate

    rate_origin = RateOrigin.CURATED if origin == CURATED else RateOrigin.IMF
    result = ListResult(EXCHANGE_RATES)
    changes = []
    locked = locked_years(session, {rate.year for rate in rates})
    with one_revaluation_per_year(session):
        for rate in rates:
            current = get_rate(session, rate.year, rate.currency)
            if rate.year in locked or not may_replace(rate_origin, current):  # a submitted year keeps its rates
                result.skipped += 1
                continue
            before = None if current is None else str(current.units_per_usd)
            if current is not None and (current.units_per_usd, current.source, current.origin) == (
                    Decimal(rate.units_per_usd), rate.source, rate_origin):
                result.unchanged += 1
                continue
            set_rate(session, rate.year, rate.currency, Decimal(rate.units_per_usd), rate.source, rate_origin)
            result.inserted += before is None
            result.updated += before is not None
            changes.append({"key": f"{rate.year}-{rate.currency}", "before": before, "after": rate.units_per_usd,
                            "year": rate.year, "currency": rate.currency})
    if result.changed:
        batch = LoadBatch(EXCHANGE_RATES, origin, source, sha256)
        reference_set = _new_set(session, batch, result)
        result.changed_keys = [c["key"] for c in changes]
        _publish(session, reference_set, batch, result, changes)
    return result


def _existing(session: Session, model, key: tuple[str, ...]) -> dict[tuple, dict]:
    """Current rows as plain dicts (Core rows, so no stale ORM objects after bulk updates)."""
    attrs = [getattr(model, attr.key) for attr in model.__mapper__.column_attrs]
    rows = {}
    for row in session.execute(select(*attrs)).mappings():
        rows[tuple(row[k] for k in key)] = dict(row)
    return rows


def _official_keys(session: Session, model, key: tuple[str, ...]) -> set[tuple]:
    stmt = (select(*[getattr(model, k) for k in key])
            .join(ReferenceSet, ReferenceSet.id == model.reference_set_id)
            .where(ReferenceSet.origin != CURATED))
    return {tuple(row) for row in session.execute(stmt)}


def _deduplicated(rows: list[dict], key: tuple[str, ...]) -> list[dict]:
    """A file listing a code twice keeps its last row (as a later load would)."""
    return list({tuple(row[k] for k in key): row for row in rows}.values())


def _pk(model, current: dict) -> dict:
    return {col.key: current[col.key] for col in model.__mapper__.primary_key}


def _key_text(key: tuple) -> str:
    return "/".join(str(k) for k in key)


def _new_set(session: Session, batch: LoadBatch, result: ListResult) -> ReferenceSet:
    reference_set = ReferenceSet(list_name=batch.list_name, origin=batch.origin, source=batch.source[:300],
                                 sha256=batch.sha256, loaded_at=utcnow(), loaded_by=current_actor().name[:120],
                                 counts=result.counts())
    session.add(reference_set)
    session.flush()
    result.reference_set_id = reference_set.id
    return reference_set


def _publish(session: Session, reference_set: ReferenceSet, batch: LoadBatch, result: ListResult,
             changes: list[dict]) -> None:
    publish(session, EVENT, "ReferenceSet", reference_set.id, {
        "list": batch.list_name, "version": reference_set.id, "origin": batch.origin, "source": batch.source,
        "sha256": batch.sha256, **result.counts(),
        "changes": changes[:MAX_CHANGES_IN_EVENT], "changes_truncated": len(changes) > MAX_CHANGES_IN_EVENT,
    })
