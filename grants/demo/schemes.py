"""The four schemes of the Flemish demo portfolio, their programmes and allowance scale."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from grants.services.schemes import create_scheme, get_scheme_by_code, set_allowance_rate
from programmes.services.programmes import create_programme, get_programme_by_code

FIRST_YEAR, LAST_YEAR = 2019, 2030

AWARENESS_CRITERIA = [
    {"code": "relevance", "label": "Promotes the UN and multilateral cooperation", "max_score": 10},
    {"code": "development", "label": "Raises awareness of development cooperation and the SDGs", "max_score": 10},
    {"code": "reach", "label": "Reach of the public in Flanders", "max_score": 10},
    {"code": "budget", "label": "Realistic and complete budget", "max_score": 5},
]
AWARENESS_CHECKLIST = [
    {"code": "seat_in_flanders", "label": "The organisation has its seat in Flanders"},
    {"code": "budget_attached", "label": "A detailed budget is attached"},
    {"code": "no_double_funding", "label": "No other Flemish funding for the same activity"},
]
TRAINEE_CHECKLIST = [
    {"code": "under_35", "label": "Applicant is younger than 35 on the closing date"},
    {"code": "flemish_diploma", "label": "Master's diploma from a Flemish institution"},
    {"code": "host_letter", "label": "Acceptance letter of an approved international organisation"},
    {"code": "unpaid", "label": "The internship is unpaid"},
]
TRAINEE_CRITERIA = [
    {"code": "motivation", "label": "Motivation and fit with the host's work", "max_score": 10},
    {"code": "expertise", "label": "Expertise Flanders gains", "max_score": 10},
]
#: monthly living allowance per destination (EUR); travel lump sum EUR 200 in Europe, EUR 500 outside
TRAINEE_RATES = {
    "Rome": (True, "1100.00"), "Geneva": (True, "1500.00"), "Paris": (True, "1300.00"),
    "Vienna": (True, "1250.00"), "Madrid": (True, "1100.00"), "New York": (False, "1900.00"),
    "Nairobi": (False, "1000.00"), "Maputo": (False, "950.00"), "Lilongwe": (False, "900.00"),
}

SCHEMES = {
    "UNP": dict(
        programme=("UNP", "GR-UNP", "UN promoters in Flanders", "grant_scheme"),
        name="UN promoters", kind="un_promoters",
        description="Yearly call: organisations in Flanders that promote the UN and multilateral cooperation.",
        crs_defaults={"aid_type": "H01", "purpose_code": "99820", "recipient_code": "998", "bi_multi": "1",
                      "channel_code": "22000", "main_objective": "development_awareness"},
        criteria=AWARENESS_CRITERIA, checklist=AWARENESS_CHECKLIST, final_report_days=90),
    "FTP": dict(
        programme=("FTP", "GR-FTP", "Flanders Trainee Programme", "grant_scheme"),
        name="Flanders Trainee Programme", kind="internships",
        description="Internships of 2 to 6 months with international organisations; about 80 trainees a year.",
        crs_defaults={"aid_type": "D01", "purpose_code": "99810", "recipient_code": "998", "bi_multi": "1",
                      "main_objective": "donor_interest"},
        criteria=TRAINEE_CRITERIA, checklist=TRAINEE_CHECKLIST, min_months=2, max_months=6,
        travel_lump_sum_europe=Decimal("200.00"), travel_lump_sum_outside_europe=Decimal("500.00"),
        final_report_days=30),
    "HUM": dict(
        programme=("HUMA", "GR-HUM", "Humanitarian aid", "humanitarian"),
        name="Humanitarian grants", kind="humanitarian",
        description="Direct grants after disasters, decided quickly; the commitment may be dated on the payment.",
        crs_defaults={"aid_type": "C01", "purpose_code": "72010", "bi_multi": "1", "channel_code": "22000",
                      "main_objective": "humanitarian"},
        requires_assessment=False, final_report_days=180),
    "MLT": dict(
        programme=("MULTI", "GR-MULTI", "Multilateral contribution agreements", "multilateral_portfolio"),
        name="Multilateral contribution agreements", kind="multilateral",
        description="Pledges to multilateral organisations (CERF core, UNESCO trust funds) paid in tranches.",
        crs_defaults={"main_objective": "development"}, requires_assessment=False, final_report_required=False,
        reminder_days=30),
}


def ensure_programme(session: Session, preferred: str, own: str, name: str, kind: str):
    """The portfolio's own programme when the programme demo created it, else one of ours."""
    return (get_programme_by_code(session, preferred) or get_programme_by_code(session, own)
            or create_programme(session, code=own, name=name, kind=kind, start_year=FIRST_YEAR,
                                end_year=LAST_YEAR, policy_area="development_cooperation"))


def ensure_schemes(session: Session) -> tuple[dict, int]:
    """The four schemes by code, and how many were created now."""
    schemes, created = {}, 0
    for code, config in SCHEMES.items():
        config = dict(config)
        preferred, own, programme_name, programme_kind = config.pop("programme")
        scheme = get_scheme_by_code(session, code)
        if scheme is None:
            programme = ensure_programme(session, preferred, own, programme_name, programme_kind)
            scheme = create_scheme(session, code=code, programme_id=programme.id, **config)
            created += 1
            if code == "FTP":
                for destination, (in_europe, monthly) in TRAINEE_RATES.items():
                    set_allowance_rate(session, scheme, destination, in_europe, Decimal(monthly))
        schemes[code] = scheme
    return schemes, created
