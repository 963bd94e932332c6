"""IATI 2.03 files from the ledger the CRS export uses: the service the CLI, the API and the publisher call.

``build_iati_files`` writes ``iati-activities.xml`` and ``iati-organisation.xml`` into a
folder and validates both. It reads only; it never commits and publishes no event
(publishing a file, with its hash and event, is the publisher's step).
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Mapping, NamedTuple, Sequence

from flask import current_app, has_app_context
from sqlalchemy import BigInteger, func, select, type_coerce
from sqlalchemy.orm import Session

from exports.iati.activity import IatiContext
from exports.iati.identity import file_language, organisation_identifier
from exports.iati.organisation import OrganisationMoney, write_organisation
from exports.iati.places import places
from exports.iati.queries import ProgrammeInfo, programmes_by_id, published_activities
from exports.iati.validation import ValidationReport, iati_schema_dir, validate_iati_file
from exports.iati.writer import ProgrammeSource, write_activities
from programmes.models import BudgetLine

ACTIVITIES_FILE, ORGANISATION_FILE = "iati-activities.xml", "iati-organisation.xml"
BUDGET = BudgetLine.__table__


class IatiFiles(NamedTuple):
    activities: Path
    organisation: Path
    #: both files' findings
    report: ValidationReport
    #: iati-activity elements written: activities, programmes (parents) and added-up grants to persons
    activity_count: int
    transaction_count: int


def _config(config: Mapping | None) -> Mapping:
    if config is not None:
        return config
    return current_app.config if has_app_context() else {}


def iati_context(session: Session, config: Mapping | None = None, now: datetime | None = None) -> IatiContext:
    config = _config(config)
    return IatiContext(organisation_identifier(config), (now or datetime.now(timezone.utc)).replace(microsecond=0),
                       file_language(config), config.get("AIDLEDGER_DEFAULT_TIED_STATUS") or "5",
                       places(session))


class _Programmes:
    """The programmes the activity file met, with their plans (kept for the organisation file)."""

    def __init__(self, session: Session):
        self.session = session
        self.infos: dict[int, ProgrammeInfo] = {}
        self.plans: dict[int, list[tuple[int, int]]] = {}

    def info(self, programme_id: int) -> ProgrammeInfo:
        if programme_id not in self.infos:
            self.infos.update(programmes_by_id(self.session, [programme_id]))
        return self.infos[programme_id]

    def budgets(self, programme_id: int) -> list[tuple[int, int]]:
        """The programme's plans per year in EUR cents (plans in another currency are not published)."""
        if programme_id not in self.plans:
            stmt = (select(BUDGET.c.year, type_coerce(func.sum(BUDGET.c.planned_amount_minor), BigInteger))
                    .where(BUDGET.c.programme_id == programme_id, BUDGET.c.currency == "EUR")
                    .group_by(BUDGET.c.year).order_by(BUDGET.c.year))
            self.plans[programme_id] = [(year, int(cents)) for year, cents in self.session.execute(stmt) if cents]
        return self.plans[programme_id]

    def money(self, ctx: IatiContext, expenditure: dict[int, int]) -> OrganisationMoney:
        budgets: dict[int, int] = {}
        countries: dict[tuple[str, int], int] = {}
        for programme_id, plans in self.plans.items():
            place = ctx.places.get(self.infos[programme_id].partner_country or "")
            for year, cents in plans:
                budgets[year] = budgets.get(year, 0) + cents
                if place is not None and place.element == "country":
                    countries[(place.code, year)] = countries.get((place.code, year), 0) + cents
        return OrganisationMoney(budgets, countries, dict(expenditure))


class WrittenFiles(NamedTuple):
    activities: Path
    organisation: Path
    activity_count: int
    transaction_count: int


def write_iati_files(session: Session, folder: Path, programme_codes: Sequence[str] | None = None, *,
                     config: Mapping | None = None, now: datetime | None = None) -> WrittenFiles:
    """Write the activity and organisation files of ``programme_codes`` (all programmes when
    None) into ``folder``, unchecked (``build_iati_files`` checks them; the benchmark times this)."""
    ctx = iati_context(session, config, now)
    folder = Path(folder)
    activities, organisation = folder / ACTIVITIES_FILE, folder / ORGANISATION_FILE
    programmes = _Programmes(session)
    totals = write_activities(activities, ctx, published_activities(session, ctx.today, programme_codes),
                              ProgrammeSource(programmes.info, programmes.budgets))
    write_organisation(organisation, ctx, programmes.money(ctx, totals.disbursed))
    return WrittenFiles(activities, organisation, totals.activities, totals.transactions)


def build_iati_files(session: Session, folder: Path, programme_codes: Sequence[str] | None = None, *,
                     schema_dir: Path | None, config: Mapping | None = None, now: datetime | None = None) -> IatiFiles:
    """Write the activity and organisation files (``write_iati_files``) and validate them
    against ``schema_dir``'s schemas and rules."""
    written = write_iati_files(session, folder, programme_codes, config=config, now=now)
    report = validate_files(session, written.activities, written.organisation, schema_dir)
    return IatiFiles(written.activities, written.organisation, report, written.activity_count,
                     written.transaction_count)


def validate_files(session: Session, activities: Path, organisation: Path,
                   schema_dir: Path | None) -> ValidationReport:
    """Both files' findings in one report; ``schema_dir`` None: the installation's
    (``AIDLEDGER_IATI_SCHEMA_DIR``)."""
    schema_dir = schema_dir or iati_schema_dir(_config(None))
    first = validate_iati_file(session, activities, "activities", schema_dir)
    second = validate_iati_file(session, organisation, "organisations", schema_dir)
    return first._replace(kind="activities+organisation", checked=first.checked + second.checked,
                          findings=tuple(first.findings) + tuple(second.findings))
