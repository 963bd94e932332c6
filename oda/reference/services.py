"""Reference data for other packages: load files, check codes, list what is loaded.

``code_status(session, list_name, code, year)`` is the call importers use to warn
about unknown or withdrawn codes on upload.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from oda.models import ReferenceSet
from oda.reference.apply import ListResult, apply_batch, apply_rates
from oda.reference.batch import CURATED, OFFICIAL, LoadBatch, LoadError, ParsedFile, sha256_of  # noqa: F401
from oda.reference.dutch_names import local_name
from oda.reference.lists import resolve
from oda.reference.loaders import curated, parse_path
from oda.rules.reference import NOT_ACTIVE, UNKNOWN_CODE, VALID, WITHDRAWN, CodeInfo


@dataclass
class LoadReport:
    results: list[ListResult] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: the curated subset, loaded (or found unchanged) before the official files
    curated: "LoadReport | None" = None

    @property
    def changed(self) -> list[ListResult]:
        return [r for r in self.results if r.changed]

    def summary(self) -> dict:
        return {r.list_name: r.counts() | {"version": r.reference_set_id} for r in self.results}


def load_reference_path(session: Session, path: str | Path, list_years: tuple[int, int] | None = None
                        ) -> LoadReport:
    """Load official files (a folder like shared/reference-data/ or one file). Idempotent.

    The curated subset is loaded first (it fills the years and organisations no official
    file covers; the official rows then take precedence), so that a department that
    only ever runs this command still has every year from 2018 covered. The official
    files are parsed before anything is written: a broken file loads nothing at all."""
    parsed = parse_path(Path(path), list_years)
    shipped = load_curated(session)
    report = load_parsed(session, parsed, OFFICIAL)
    report.curated = shipped
    return report


def load_curated(session: Session) -> LoadReport:
    """Load the curated subset shipped in oda/reference/data/ (fills gaps only)."""
    return load_parsed(session, curated.parse_all(), CURATED)


def ensure_curated(session: Session) -> LoadReport | None:
    """Load the curated subset when it has never been loaded (a database set up without
    ``db upgrade`` or ``reference load``); None when it is there already."""
    if session.scalar(select(ReferenceSet.id).where(ReferenceSet.origin == CURATED).limit(1)) is not None:
        return None
    return load_curated(session)


def load_parsed(session: Session, parsed: list[ParsedFile], origin: str) -> LoadReport:
    """Apply parsed files. Several files of one list (the DAC CSV and the newer IATI XML)
    are merged first, later files winning field by field, so that loading the same
    folder again finds nothing to change."""
    report = LoadReport()
    batches: dict[str, LoadBatch] = {}
    for item in parsed:
        if item.skipped:
            report.skipped.append((Path(item.path).name, item.skipped))
            continue
        report.files.append(Path(item.path).name)
        for batch in item.batches:
            batches[batch.list_name] = _combine(batches.get(batch.list_name), batch)
    merged: dict[str, ListResult] = {}
    for batch in batches.values():
        _merge(merged, apply_batch(session, batch))
    for item in parsed:
        if item.rates:
            _merge(merged, apply_rates(session, item.rates, origin, _rates_source(item, origin), item.sha256))
    report.results = list(merged.values())
    return report


def _combine(earlier: LoadBatch | None, later: LoadBatch) -> LoadBatch:
    if earlier is None:
        return later
    key = resolve(later.list_name).key
    rows = {tuple(r[k] for k in key): dict(r) for r in earlier.rows}
    for row in later.rows:
        rows.setdefault(tuple(row[k] for k in key), {}).update(row)
    return LoadBatch(later.list_name, later.origin, f"{earlier.source}; {later.source}"[:300],
                     sha256_of(f"{earlier.sha256}{later.sha256}".encode()), list(rows.values()))


def _rates_source(item: ParsedFile, origin: str) -> str:
    name = Path(item.path).name
    return f"Aidledger curated subset: oda/reference/data/{name}" if origin == CURATED else f"IMF rates file {name}"


def _merge(merged: dict[str, ListResult], result: ListResult) -> None:
    total = merged.setdefault(result.list_name, ListResult(result.list_name))
    total.inserted += result.inserted
    total.updated += result.updated
    total.unchanged += result.unchanged
    total.skipped += result.skipped
    total.reference_set_id = result.reference_set_id or total.reference_set_id
    total.changed_keys += result.changed_keys


def reference_version(session: Session) -> int:
    """The reference-data version: the id of the latest reference set (0 before any load)."""
    return session.scalar(select(func.max(ReferenceSet.id))) or 0


# --- checking codes -------------------------------------------------------------------

@dataclass(frozen=True)
class CodeCheck:
    status: str  # valid / withdrawn / unknown
    message: str
    name: str | None = None


def code_status(session: Session, list_name: str, code: str, year: int) -> str:
    """"valid", "withdrawn" or "unknown" for ``code`` of ``list_name`` in reporting year ``year``.

    ``list_name``: purpose_code(s), aid_type(s), channel(s), flow_type(s), finance_type(s),
    bi_multi, sector_category, recipient(s), policy_marker(s), policy_significance. A code
    not yet in use in ``year`` is "unknown" for that year (see ``code_check`` for why).
    """
    return code_check(session, list_name, code, year).status


def code_statuses(session: Session, list_name: str, codes, year: int) -> dict[str, str]:
    """``code_status`` for many codes in one query (an import file's distinct codes)."""
    wanted = {str(c).strip() for c in codes if c is not None and str(c).strip()}
    infos = _code_infos(session, list_name, wanted)
    return {c: _check(list_name, c, infos.get(c), year).status for c in wanted}


def region_statuses(session: Session, codes, year: int) -> dict[str, str]:
    """``code_statuses`` of the DAC recipients for codes used as regions (IATI region
    vocabulary 1): a country's code is "unknown" as a region."""
    from oda.models import Recipient

    statuses = code_statuses(session, "recipients", codes, year)
    countries = set(session.scalars(select(Recipient.code).where(Recipient.code.in_(list(statuses)),
                                                                 Recipient.kind == "country")))
    return {code: "unknown" if code in countries else status for code, status in statuses.items()}


def code_check(session: Session, list_name: str, code: str, year: int) -> CodeCheck:
    code = (code or "").strip()
    info = _code_infos(session, list_name, {code}).get(code) if code else None
    check = _check(list_name, code, info, year)
    return replace(check, name=local_name(list_name, code, check.name))


def _code_infos(session: Session, list_name: str, codes: set[str]) -> dict[str, CodeInfo]:
    spec = resolve(list_name)
    model = spec.model
    if not codes or not hasattr(model, "code"):
        return {}
    infos = {}
    for row in session.execute(select(model).where(model.code.in_(codes))).scalars():
        infos[row.code] = CodeInfo(row.code, row.name_en, row.status, getattr(row, "activation_date", None),
                                   getattr(row, "withdrawal_date", None), getattr(row, "category", None))
    return infos


def _check(list_name: str, code: str, info: CodeInfo | None, year: int) -> CodeCheck:
    label = resolve(list_name).title.lower()
    if info is None:
        return CodeCheck("unknown", f"{code or '(empty)'} is not in the loaded {label} list")
    status = info.status_in(year)
    if resolve(list_name).name == "channels" and status == NOT_ACTIVE:
        status = VALID  # see oda.rules.codes: channel activation dates are not reliable
    if status == VALID:
        return CodeCheck("valid", f"{code} {info.name}", info.name)
    if status == WITHDRAWN:
        when = f" on {info.withdrawal_date.isoformat()}" if info.withdrawal_date else ""
        return CodeCheck("withdrawn", f"{code} {info.name} was withdrawn{when}", info.name)
    return CodeCheck(UNKNOWN_CODE, f"{code} {info.name} is in use only from {info.activation_date}", info.name)


def loaded_lists(session: Session) -> list[dict]:
    """For the reference-data page: each list, how many rows, its latest version and load."""
    from oda.reference.lists import LISTS

    latest = {row.list_name: row for row in session.scalars(
        select(ReferenceSet).where(ReferenceSet.id.in_(
            select(func.max(ReferenceSet.id)).group_by(ReferenceSet.list_name))))}
    out = []
    for name, spec in LISTS.items():
        count = session.scalar(select(func.count()).select_from(spec.model))
        out.append({"name": name, "title": spec.title, "rows": count, "latest": latest.get(name)})
    rates, origins = _rate_summary(session)
    out.append({"name": "exchange_rates", "title": "Exchange rates", "rows": rates,
                "latest": latest.get("exchange_rates"), "origins": origins})
    return out


def _rate_summary(session: Session) -> tuple[int, list[str]]:
    """How many rates, and where they came from (rates are set one by one, not only by a load)."""
    from app.rates.models import ExchangeRate

    rows = session.execute(select(ExchangeRate.origin, func.count()).group_by(ExchangeRate.origin)).all()
    return sum(count for _origin, count in rows), sorted(origin for origin, _count in rows)


# --- listing entries (API and pages) ----------------------------------------------------

def reference_select(list_name: str):
    """A select of a list's entries in key order, or None for an unknown list. Besides the
    lists of ``LISTS``: ``exchange_rates`` and ``versions`` (the reference sets)."""
    from app.rates.models import ExchangeRate
    from oda.reference.lists import EXCHANGE_RATES, LISTS

    if list_name == EXCHANGE_RATES:
        return select(ExchangeRate).order_by(ExchangeRate.year.desc(), ExchangeRate.currency)
    if list_name == "versions":
        return select(ReferenceSet).order_by(ReferenceSet.id.desc())
    spec = LISTS.get(list_name)
    if spec is None:
        return None
    return select(spec.model).order_by(*[getattr(spec.model, k) for k in spec.key])


def entry_as_dict(obj) -> dict:
    return {attr.key: getattr(obj, attr.key) for attr in obj.__mapper__.column_attrs if attr.key != "version"}
