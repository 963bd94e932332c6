"""Realistic Flemish grant schemes for tests (facts from shared/domain/flanders-portfolio.md)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from app.auth.roles import Role
from grants.services.applications import create_application
from grants.services.assess import record_assessment, start_assessment
from grants.services.calls import open_call
from grants.services.commit import create_commitment
from grants.services.decide import approve
from grants.services.organisations import organisation_named
from grants.services.schemes import create_scheme, set_allowance_rate
from grants.services.submit import submit
from programmes.services.programmes import create_programme, get_programme_by_code
from tests.builders.users import user_with_role

AWARENESS_CRITERIA = [
    {"code": "relevance", "label": "Relevance to the UN and multilateral cooperation", "max_score": 10},
    {"code": "reach", "label": "Reach of the public in Flanders", "max_score": 10},
    {"code": "budget", "label": "Realistic budget", "max_score": 5},
]
AWARENESS_CHECKLIST = [
    {"code": "seat_in_flanders", "label": "The organisation has its seat in Flanders"},
    {"code": "budget_attached", "label": "A budget is attached"},
]
TRAINEE_CHECKLIST = [
    {"code": "under_35", "label": "Applicant is younger than 35"},
    {"code": "flemish_diploma", "label": "Diploma from a Flemish institution"},
    {"code": "host_letter", "label": "Acceptance letter of the host organisation"},
]
TRAINEE_CRITERIA = [{"code": "motivation", "label": "Motivation", "max_score": 10}]
#: monthly living allowance per destination (EUR), in Europe or not
TRAINEE_RATES = {"Rome": (True, "1100.00"), "Geneva": (True, "1500.00"), "Paris": (True, "1300.00"),
                 "New York": (False, "1800.00"), "Maputo": (False, "900.00"), "Nairobi": (False, "1000.00")}


def grants_programme(session: Session, code: str, name: str, kind: str = "grant_scheme",
                     start_year: int = 2019, end_year: int = 2026):
    return get_programme_by_code(session, code) or create_programme(
        session, code=code, name=name, kind=kind, start_year=start_year, end_year=end_year,
        policy_area="development_cooperation")


def un_promoters_scheme(session: Session, four_eyes: bool = True):
    programme = grants_programme(session, "GR-UNP", "UN promoters in Flanders")
    return create_scheme(
        session, code="UNP", name="UN promoters", kind="un_promoters", programme_id=programme.id,
        crs_defaults={"aid_type": "H01", "purpose_code": "99820", "recipient_code": "998", "bi_multi": "1",
                      "channel_code": "22000", "main_objective": "development_awareness"},
        criteria=AWARENESS_CRITERIA, checklist=AWARENESS_CHECKLIST, four_eyes=four_eyes, final_report_days=90)


def trainee_scheme(session: Session):
    """Flanders Trainee Programme: 2–6 months, EUR 200/500 travel, monthly allowance per destination."""
    programme = grants_programme(session, "GR-FTP", "Flanders Trainee Programme")
    scheme = create_scheme(
        session, code="FTP", name="Flanders Trainee Programme", kind="internships", programme_id=programme.id,
        crs_defaults={"aid_type": "D01", "purpose_code": "99810", "recipient_code": "998", "bi_multi": "1",
                      "main_objective": "donor_interest"},
        criteria=TRAINEE_CRITERIA, checklist=TRAINEE_CHECKLIST, min_months=2, max_months=6,
        travel_lump_sum_europe=Decimal("200.00"), travel_lump_sum_outside_europe=Decimal("500.00"),
        final_report_days=30)
    for destination, (in_europe, monthly) in TRAINEE_RATES.items():
        set_allowance_rate(session, scheme, destination, in_europe, Decimal(monthly))
    return scheme


def humanitarian_scheme(session: Session):
    programme = grants_programme(session, "GR-HUM", "Humanitarian aid", kind="humanitarian")
    return create_scheme(
        session, code="HUM", name="Humanitarian grants", kind="humanitarian", programme_id=programme.id,
        crs_defaults={"aid_type": "C01", "purpose_code": "72010", "bi_multi": "1", "channel_code": "22000",
                      "main_objective": "humanitarian"},
        requires_assessment=False, final_report_days=120)


def multilateral_scheme(session: Session):
    programme = grants_programme(session, "GR-MULTI", "Multilateral contribution agreements",
                                 kind="multilateral_portfolio")
    return create_scheme(
        session, code="MLT", name="Multilateral contribution agreements", kind="multilateral",
        programme_id=programme.id, crs_defaults={"main_objective": "development"},
        requires_assessment=False, final_report_required=False)


def awareness_call(session: Session, scheme, ceiling: str = "150000.00", year: int = 2024):
    return open_call(session, scheme, f"UNP-{year}", f"UN promoters {year}", year, Decimal(ceiling),
                     date(year, 1, 15), date(year, 12, 31))


def vvn_application(session: Session, scheme, call=None, amount: str = "40000.00",
                    name: str = "Vereniging voor de Verenigde Naties"):
    vvn = organisation_named(session, name, "ngo", country="BEL", channel_code="22000")
    return create_application(session, scheme, call=call, organisation_id=vvn.id, amount_requested=Decimal(amount),
                              title="SDG school campaign in Flanders", start_date=date(2024, 3, 1),
                              end_date=date(2024, 12, 31))


def intern_application(session: Session, scheme, full_name: str = "Lotte Vandenbroucke", call=None,
                       destination: str = "Rome", host: str = "FAO", start=date(2024, 2, 1),
                       end=date(2024, 5, 31), amount=None):
    return create_application(
        session, scheme, call=call, person={"full_name": full_name, "email": "lotte.v@example.be",
                                            "phone": "+32 470 12 34 56"},
        host_organisation=host, destination=destination, start_date=start, end_date=end,
        amount_requested=amount)


def full_marks(scheme) -> tuple[dict, dict]:
    return ({item["code"]: True for item in scheme.checklist},
            {item["code"]: item["max_score"] for item in scheme.criteria})


def managers(session: Session, scheme) -> tuple:
    """An assessor and an approver, both managers of the scheme's programme."""
    pid = scheme.programme_id
    assessor = user_with_role(session, Role.PROGRAMME_MANAGER, pid, email=f"assessor-{pid}@vlaanderen.test")
    approver = user_with_role(session, Role.PROGRAMME_MANAGER, pid, email=f"approver-{pid}@vlaanderen.test")
    return assessor, approver


def approved(session: Session, application, assessor, approver, amount=None):
    """Take an application from draft to approved."""
    submit(session, application, today=(application.call.opens_on if application.call else None))
    if application.scheme.requires_assessment:
        start_assessment(session, application)
        checklist, scores = full_marks(application.scheme)
        record_assessment(session, application, assessor, checklist, scores, "approve")
    approve(session, application, approver, Decimal(amount) if amount else application.amount_requested)
    return application


def committed(session: Session, application, assessor, approver, amount=None, when=date(2024, 3, 1)):
    approved(session, application, assessor, approver, amount)
    create_commitment(session, application, commitment_date=when)
    return application
