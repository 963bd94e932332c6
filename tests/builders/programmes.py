"""Realistic Flemish programme data for tests (facts from shared/domain/flanders-portfolio.md)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from programmes.models import Organisation
from programmes.services.activities import create_activity
from programmes.services.programmes import create_programme, set_budget_line
from programmes.services.transactions import record_transaction


def organisation(session: Session, name: str, kind: str, short_name=None, country=None, channel_code=None):
    org = Organisation(name=name, short_name=short_name, kind=kind, country=country, channel_code=channel_code)
    session.add(org)
    session.flush()
    return org


def malawi_agriculture_programme(session: Session, with_budget: bool = True):
    """Country strategy paper III, Malawi 2019–2023: agriculture and food security, EUR 25 M."""
    programme = create_programme(
        session, code="MWI-CSP3", name="Malawi country programme 2019–2023: agriculture and food security",
        kind="country_programme", partner_country="253", start_year=2019, end_year=2023,
        focus_sectors=["311", "43040"], policy_area="development_cooperation")
    if with_budget:
        for year in programme.years:
            set_budget_line(session, programme, year, Decimal("5000000.00"))
    return programme


def mozambique_health_programme(session: Session):
    """Country strategy paper IV, Mozambique 2021–2025: health incl. SRHR, EUR 25 M."""
    return create_programme(
        session, code="MOZ-CSP4", name="Mozambique country programme 2021–2025: health and SRHR",
        kind="country_programme", partner_country="259", start_year=2021, end_year=2025,
        focus_sectors=["121", "130"], policy_area="development_cooperation")


def multilateral_portfolio(session: Session):
    return create_programme(
        session, code="MULTI", name="Multilateral portfolio", kind="multilateral_portfolio",
        start_year=2019, end_year=2025, policy_area="development_cooperation")


def tradeline_market_access(session: Session, programme):
    """Market access for smallholder farmers in Kasungu and Mzimba through Tradeline (EUR 1.6 M)."""
    tradeline = organisation(session, "Tradeline Corporation Limited", "private", "TLC", "MWI", "61000")
    return create_activity(
        session, code="MWI-2019-TLC", title="Market access for smallholder farmers in Kasungu and Mzimba",
        programme_id=programme.id, organisation_id=tradeline.id, recipient_code="253", purpose_code="31120",
        aid_type="C01", channel_code="61000", bi_multi="1", main_objective="development",
        commitment_date=date(2019, 3, 1), commitment_amount=Decimal("1600000.00"),
        start_date=date(2019, 4, 1), end_date=date(2022, 12, 31), marker_gender=1, marker_climate_adaptation=1)


def cerf_core_contribution(session: Session, programme):
    cerf = organisation(session, "UN Central Emergency Response Fund", "multilateral", "CERF", None, "41147")
    return create_activity(
        session, code="CERF-CORE", title="Core contribution to CERF", programme_id=programme.id,
        organisation_id=cerf.id, recipient_code="998", purpose_code="72010", aid_type="B02",
        channel_code="41147", bi_multi="2", main_objective="humanitarian")


def disburse(session, activity, when: date, amount: str, document: str, kind="disbursement", currency="EUR"):
    return record_transaction(session, activity, kind, when, Decimal(amount), document, currency=currency)


#: the terms of a Flemish soft loan to Malawi: 30 years, 10 years' grace, 0.75 %, semi-annual annuity
SOFT_LOAN_TERMS = dict(finance_type="421", loan_repayment_type=2, loan_repayments_per_year=2,
                       loan_interest_rate_1=Decimal("0.75"), loan_first_repayment_date=date(2034, 3, 1),
                       loan_final_repayment_date=date(2054, 3, 1))


def irrigation_soft_loan(session: Session, programme, **changes):
    """A soft loan for smallholder irrigation in Kasungu (EUR 2 M, committed 1 March 2024)."""
    return create_activity(
        session, code="MWI-2024-IRR-LOAN", title="Soft loan for smallholder irrigation schemes in Kasungu",
        programme_id=programme.id, recipient_code="253", purpose_code="31140", aid_type="C01", bi_multi="1",
        main_objective="development", commitment_date=date(2024, 3, 1), commitment_amount=Decimal("2000000.00"),
        tied_status="5", sdg_focus="2.3;6.4", keywords="irrigation; smallholders",
        **{**SOFT_LOAN_TERMS, **changes})
