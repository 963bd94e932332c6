"""A classified Flemish portfolio for the export tests (facts: shared/domain/*.md).

Reporting years 2023 and 2024, EUR rates of the IMF (0.924840 and 0.923890 EUR per
USD), classified by oda's own classifier over the curated reference subset:

- Tradeline market access in Malawi (C01, committed 1.6 M in 2023, paid in 2023
  and 2024, a refund in 2024; gender 1, adaptation 1);
- the CERF core contribution (B02, 600 000 a year, 100 %);
- the UNESCO core contribution (B02, channel 41304: 60 % is ODA);
- FUST, science policy area (B033 through UNESCO, counted in full: other ODA);
- a Mozambique health project whose title, geography and description are hostile
  spreadsheet text (``=HYPERLINK(…)``, ``+32 …``, ``@SUM``, ``-cmd``);
- a Chilean heritage project (not ODA: Chile left the DAC list in 2018);
- a trainee at UNESCO headquarters (donor interest: not ODA);
- a Malawi project without recipient (needs review);
- a climate project in South Africa marked for adaptation (2) and mitigation (1).
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from app.rates.services import get_rate, set_rate
from oda.services.classify import classify
from programmes.services.activities import create_activity
from programmes.services.programmes import create_programme
from programmes.services.transactions import record_transaction
from tests.builders.oda import load_reference
from tests.builders.programmes import organisation

HOSTILE_TITLE = '=HYPERLINK("http://x","y")'
HOSTILE_GEOGRAPHY = "+32 2 553 00 00"
HOSTILE_DESCRIPTION = "@SUM(A1:A9) -cmd|' /C calc'!A0"
EUR_PER_USD = {2023: Decimal("0.924840"), 2024: Decimal("0.923890")}


def rates(session: Session) -> None:
    for year, value in EUR_PER_USD.items():
        if get_rate(session, year, "EUR") is None:
            set_rate(session, year, "EUR", value, "IMF IFS annual average, euro area (U2)")


def pay(session, activity, when: date, amount: str, document: str, kind: str = "disbursement",
        currency: str = "EUR"):
    return record_transaction(session, activity, kind, when, Decimal(amount), document, currency=currency)


def _programmes(session: Session) -> dict:
    return {
        "multi": create_programme(session, code="MULTI", name="Multilateral portfolio",
                                  kind="multilateral_portfolio", start_year=2019, end_year=2025,
                                  policy_area="development_cooperation"),
        "mwi": create_programme(session, code="MWI-CSP3", name="Malawi country programme 2019–2023",
                                kind="country_programme", partner_country="253", start_year=2019, end_year=2023,
                                policy_area="development_cooperation"),
        "moz": create_programme(session, code="MOZ-CSP4", name="Mozambique country programme 2021–2025",
                                kind="country_programme", partner_country="259", start_year=2021, end_year=2025,
                                policy_area="development_cooperation"),
        "zaf": create_programme(session, code="ZAF-CLIMATE", name="South Africa climate adaptation",
                                kind="country_programme", partner_country="218", start_year=2022, end_year=2026,
                                policy_area="development_cooperation"),
        "science": create_programme(session, code="EWI-FUST", name="Flanders UNESCO Science Trust Fund (EWI)",
                                    kind="multilateral_portfolio", start_year=2019, end_year=2025,
                                    policy_area="science_innovation"),
        "indonor": create_programme(session, code="IN-DONOR", name="Trainees and administration in Flanders",
                                    kind="in_donor", start_year=2019, end_year=2025,
                                    policy_area="development_cooperation"),
    }


def _activities(session: Session, p: dict) -> dict:
    unesco = organisation(session, "UNESCO", "multilateral", "UNESCO", None, "41304")
    cerf = organisation(session, "UN Central Emergency Response Fund", "multilateral", "CERF", None, "41147")
    tradeline = organisation(session, "Tradeline Corporation Limited", "private", "TLC", "MWI", "61000")
    icrh = organisation(session, "ICRH-Mozambique", "ngo", "ICRH", "MOZ", "23000")
    vito = organisation(session, "VITO", "research", "VITO", "BEL", "51000")

    def make(code, programme, org, **fields):
        return create_activity(session, code=code, programme_id=p[programme].id,
                               organisation_id=org.id if org else None, **fields)

    return {
        "tradeline": make("MWI-2023-TLC", "mwi", tradeline, title="Market access for smallholder farmers "
                          "in Kasungu and Mzimba", recipient_code="253", purpose_code="31120", aid_type="C01",
                          channel_code="61000", bi_multi="1", geography="Kasungu, Mzimba",
                          commitment_date=date(2023, 3, 1), commitment_amount=Decimal("1600000.00"),
                          start_date=date(2023, 4, 1), end_date=date(2026, 12, 31), marker_gender=1,
                          marker_climate_adaptation=1, description="30 emerging marketing organisations"),
        "cerf": make("CERF-CORE", "multi", cerf, title="Core contribution to CERF", recipient_code="998",
                     purpose_code="72010", aid_type="B02", channel_code="41147", bi_multi="2",
                     main_objective="humanitarian"),
        "unesco": make("UNESCO-CORE", "multi", unesco, title="Core contribution to UNESCO", recipient_code="998",
                       purpose_code="99810", aid_type="B02", channel_code="41304", bi_multi="2"),
        "fust": make("FUST-2024", "science", unesco, title="FUST phase 6: water management in Southern Africa",
                     recipient_code="1029", purpose_code="14015", aid_type="B033", channel_code="41304",
                     bi_multi="1", commitment_date=date(2024, 2, 1)),
        "hostile": make("MOZ-2023-SRHR", "moz", icrh, title=HOSTILE_TITLE, geography=HOSTILE_GEOGRAPHY,
                        description=HOSTILE_DESCRIPTION, recipient_code="259", purpose_code="13020",
                        aid_type="C01", channel_code="23000", bi_multi="1", commitment_date=date(2023, 10, 1),
                        start_date=date(2023, 10, 1), end_date=date(2027, 9, 30), marker_gender=2, marker_rmnch=4),
        "chile": make("CHL-2024-HERITAGE", "multi", None, title="Heritage conservation in Valparaíso",
                      recipient_code="434", purpose_code="16061", aid_type="C01", channel_code="22000",
                      bi_multi="1"),
        "trainee": make("FTP-2024-UNESCO", "indonor", unesco, title="Flanders Trainee Programme: internship at "
                        "UNESCO headquarters, Paris", recipient_code="998", purpose_code="99810", aid_type="D01",
                        channel_code="41304", bi_multi="1", main_objective="donor_interest"),
        "norecipient": make("MWI-2024-NR", "mwi", None, title="Farmer field schools (recipient not yet coded)",
                            purpose_code="31166", aid_type="C01", channel_code="22000", bi_multi="1"),
        "climate": make("ZAF-2022-BATTERY", "zaf", vito, title="Battery-storage demonstration with CSIR",
                        recipient_code="218", purpose_code="23210", aid_type="C01", channel_code="51000",
                        bi_multi="1", commitment_date=date(2022, 6, 1), marker_climate_adaptation=2,
                        marker_climate_mitigation=1),
    }


def _transactions(session: Session, a: dict) -> dict:
    return {
        "tlc_commit": pay(session, a["tradeline"], date(2023, 3, 1), "1600000.00", "C-2023-001", "commitment"),
        "tlc_2023": pay(session, a["tradeline"], date(2023, 5, 2), "400000.10", "B-2023-0101"),
        "tlc_2024": pay(session, a["tradeline"], date(2024, 9, 2), "350000.20", "B-2024-0202"),
        "tlc_refund": pay(session, a["tradeline"], date(2024, 12, 2), "10000.05", "R-2024-0001", "refund"),
        "cerf_2023": pay(session, a["cerf"], date(2023, 5, 29), "600000.00", "B-2023-0501"),
        "cerf_2024": pay(session, a["cerf"], date(2024, 5, 28), "600000.00", "B-2024-0501"),
        "unesco_2024": pay(session, a["unesco"], date(2024, 2, 15), "153333.33", "B-2024-0215"),
        "fust_commit": pay(session, a["fust"], date(2024, 2, 1), "900000.00", "C-2024-0201", "commitment"),
        "fust_2024": pay(session, a["fust"], date(2024, 3, 1), "450000.00", "B-2024-0301"),
        "hostile_commit": pay(session, a["hostile"], date(2023, 10, 1), "1119810.00", "C-2023-1001", "commitment"),
        "hostile_2024": pay(session, a["hostile"], date(2024, 1, 15), "279952.50", "B-2024-0115"),
        "chile_2024": pay(session, a["chile"], date(2024, 7, 1), "80000.00", "B-2024-0701"),
        "trainee_2024": pay(session, a["trainee"], date(2024, 9, 1), "3700.00", "B-2024-0901"),
        "norecipient_2024": pay(session, a["norecipient"], date(2024, 2, 1), "10000.00", "B-2024-0201"),
        "climate_2024": pay(session, a["climate"], date(2024, 6, 3), "500000.00", "B-2024-0603"),
    }


def classified_portfolio(session: Session, classify_now: bool = True) -> dict:
    """Reference data, rates, the portfolio above, classified; returns programmes, activities, transactions."""
    load_reference(session)
    rates(session)
    programmes = _programmes(session)
    activities = _activities(session, programmes)
    transactions = _transactions(session, activities)
    if classify_now:
        classify(session, everything=True)
    session.flush()
    return {"programmes": programmes, "activities": activities, "transactions": transactions}


def export_from_page(web, client, **form) -> tuple:
    """Ask for an export on the Exports page as ``client``, let the export job make it, download
    it: (the run, the file's bytes), the path a user's file takes."""
    from exports.models import ExportRun
    from exports.services.execute import process_queued

    assert client.post("/exports/", data=form).status_code == 302
    with web.app.app_context():
        assert process_queued(web.app.extensions["aidledger.db"].Session)["done"] == 1
    run = web.query(lambda s: s.query(ExportRun).order_by(ExportRun.id.desc()).first())
    download = client.get(f"/exports/runs/{run.id}/download")
    assert download.status_code == 200
    return run, download.data
