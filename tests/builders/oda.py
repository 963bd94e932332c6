"""Realistic Flemish ODA cases (facts: shared/domain/oda-reference.md, flanders-portfolio.md).

Two kinds of builders: ``*_facts`` give the activity attributes the rules read, for
unit tests of single rules without a database; the others write activities and
transactions through the programme services, for classification tests.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import lru_cache

from sqlalchemy.orm import Session

from oda.reference.loaders import curated
from oda.rules.base import ActivityFacts, RuleContext
from oda.rules.reference import ReferenceSnapshot
from oda.services.snapshot import snapshot_from_parsed
from programmes.services.activities import create_activity
from programmes.services.programmes import create_programme
from programmes.services.transactions import record_transaction
from tests.builders.programmes import organisation


@lru_cache(maxsize=1)
def curated_snapshot() -> ReferenceSnapshot:
    """The shipped curated subset as the rules see it (no database)."""
    return snapshot_from_parsed(curated.parse_all(), version=1)


def context(facts: ActivityFacts, year: int, currency: str = "EUR", snapshot: ReferenceSnapshot | None = None):
    return RuleContext(facts, year, currency, snapshot or curated_snapshot(), "Flanders (DAC donor 2, agency 70)")


# --- activity attributes for rule tests ---------------------------------------------

MALAWI_MARKET_ACCESS = ActivityFacts(
    id=1, code="MWI-2019-TLC", title="Market access for smallholder farmers in Kasungu and Mzimba",
    recipient_code="253", purpose_code="31120", aid_type="C01", channel_code="61000", bi_multi="1",
    main_objective="development")
CERF_CORE = ActivityFacts(
    id=2, code="CERF-CORE", title="Core contribution to CERF", recipient_code="998", purpose_code="72010",
    aid_type="B02", channel_code="41147", bi_multi="2", main_objective="humanitarian")
UNESCO_CORE = ActivityFacts(
    id=3, code="UNESCO-CORE", title="Core contribution to UNESCO", recipient_code="998", purpose_code="99810",
    aid_type="B02", channel_code="41304", bi_multi="2", main_objective="development")
FUT_INSTALMENT = ActivityFacts(
    id=4, code="FUT-2023", title="Flanders UNESCO Trust Fund 2023-2024: living heritage and climate resilience",
    recipient_code="1027", purpose_code="16061", aid_type="B033", channel_code="41304", bi_multi="1",
    main_objective="development")
ADMIN_COSTS_FLANDERS = ActivityFacts(
    id=5, code="ADMIN-DC", title="Administrative costs of Flemish development cooperation",
    recipient_code="998", purpose_code="91010", aid_type="G01", channel_code="11001", bi_multi="1",
    main_objective="aid_administration")
TRAINEE_AT_HEADQUARTERS = ActivityFacts(
    id=6, code="FTP-2023-UNESCO", title="Flanders Trainee Programme: internship at UNESCO headquarters, Paris",
    recipient_code="998", purpose_code="99810", aid_type="D01", channel_code="41304", bi_multi="1",
    main_objective="donor_interest")
CHILE_PROJECT = ActivityFacts(
    id=7, code="CHL-2019-HERITAGE", title="Heritage conservation in Valparaíso", recipient_code="434",
    purpose_code="16061", aid_type="C01", channel_code="22000", bi_multi="1", main_objective="development")
ANTIGUA_PROJECT = ActivityFacts(
    id=8, code="ATG-2021-DRR", title="Hurricane preparedness in Antigua and Barbuda", recipient_code="377",
    purpose_code="43060", aid_type="C01", channel_code="22000", bi_multi="1", main_objective="development")
MALAWI_PREPAREDNESS_OLD_CODE = ActivityFacts(
    id=9, code="MWI-2019-DRR", title="Disaster preparedness in Malawi (coded with withdrawn 74010)",
    recipient_code="253", purpose_code="74010", aid_type="C01", channel_code="22000", bi_multi="1",
    main_objective="humanitarian")


def facts(base: ActivityFacts = MALAWI_MARKET_ACCESS, **changes) -> ActivityFacts:
    return replace(base, **changes)


# --- database builders ----------------------------------------------------------------

def load_reference(session: Session):
    from oda.reference.services import load_curated

    return load_curated(session)


def oda_programmes(session: Session) -> dict:
    """The envelopes the Flemish ODA cases belong to."""
    return {
        "MULTI": create_programme(session, code="MULTI", name="Multilateral portfolio",
                                  kind="multilateral_portfolio", start_year=2018, end_year=2025,
                                  policy_area="development_cooperation"),
        "MWI": create_programme(session, code="MWI-CSP3", name="Malawi country programme 2019–2023",
                                kind="country_programme", partner_country="253", start_year=2019, end_year=2023,
                                policy_area="development_cooperation"),
        "INDONOR": create_programme(session, code="IN-DONOR", name="Administration and trainees in Flanders",
                                    kind="in_donor", start_year=2018, end_year=2025,
                                    policy_area="development_cooperation"),
    }


def activity_from(session: Session, programme, spec: ActivityFacts, **extra):
    org = None
    if spec.channel_code and spec.channel_code.startswith("4"):
        org = organisation(session, f"Organisation {spec.channel_code} for {spec.code}", "multilateral",
                           channel_code=spec.channel_code)
    fields = {name: getattr(spec, name) for name in (
        "code", "title", "recipient_code", "purpose_code", "aid_type", "channel_code", "bi_multi",
        "main_objective")}
    return create_activity(session, programme_id=programme.id, organisation_id=org.id if org else None,
                           **{**fields, **extra})


def pay(session: Session, activity, when: date, amount: str, document: str, currency: str = "EUR",
        kind: str = "disbursement"):
    return record_transaction(session, activity, kind, when, Decimal(amount), document, currency=currency)


def seed_classified(session) -> dict:
    """Curated reference data, three Flemish lines, classified: ids for web and API tests."""
    from oda.services.classify import classify

    load_reference(session)
    envelopes = oda_programmes(session)
    unesco = activity_from(session, envelopes["MULTI"], UNESCO_CORE)
    trainee = activity_from(session, envelopes["INDONOR"], TRAINEE_AT_HEADQUARTERS)
    malawi = activity_from(session, envelopes["MWI"], facts(MALAWI_MARKET_ACCESS, purpose_code="74010"))
    ids = {
        "unesco": pay(session, unesco, date(2019, 5, 6), "100000.00", "B-2019-0002").id,
        "trainee": pay(session, trainee, date(2023, 9, 1), "3700.00", "B-2023-0005").id,
        "review": pay(session, malawi, date(2023, 2, 1), "84000.00", "B-2023-0008").id,
        "malawi_programme": envelopes["MWI"].id, "multi_programme": envelopes["MULTI"].id,
    }
    classify(session)
    return ids


# --- through the imports ---------------------------------------------------------------

LIAISON_OFFICE = "MWI-2023-LIL"
ACTIVITY_HEADERS_NL = ["Activiteitscode", "Titel", "Programmacode", "Ontvanger", "Sectorcode", "Hulptype",
                       "Kanaalcode"]


def imported_liaison_office(session: Session, folder) -> int:
    """Lilongwe liaison office staff costs as a user enters them: the activity imported with
    Dutch headers and without codes, 84.000,00 paid on 15/03/2023 imported the Belgian way,
    classified (needs review). Returns the transaction's id."""
    from sqlalchemy import select

    from importers.services import import_file
    from oda.services.classify import classify
    from programmes.models import Transaction
    from tests.builders.importers import DUTCH_SPENDING_HEADERS, workbook
    from tests.builders.programmes import malawi_agriculture_programme

    load_reference(session)
    malawi_agriculture_programme(session, with_budget=False)
    activities = workbook(folder / "activiteiten.xlsx", ACTIVITY_HEADERS_NL, [
        [LIAISON_OFFICE, "Verbindingsbureau Lilongwe: personeelskosten 2023", "MWI-CSP3", "", "", "", ""]])
    spending = workbook(folder / "uitgaven.xlsx", DUTCH_SPENDING_HEADERS, [
        ["B-2023-0417", "15/03/2023", LIAISON_OFFICE, "84.000,00", "EUR", "Personeelskosten Q1", "QB0-1QAD2MZ",
         "uitbetaling"]])
    for kind, path in (("activities", activities), ("spending", spending)):
        batch = import_file(session, kind, str(path), path.name, uploaded_by="finance@vlaanderen.test")
        assert batch.status == "imported", (kind, batch.status)
    classify(session)
    return session.scalar(select(Transaction.id).where(Transaction.document_number == "B-2023-0417"))
