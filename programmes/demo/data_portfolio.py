"""Multilateral, science, climate, humanitarian, grant-scheme and in-donor activities.

Core contributions are multilateral (bi/multi 2, aid type B021/B022, recipient
998); earmarked trust funds are bilateral (B032/B033) with the organisation as
channel. Two activities are deliberately not ODA as they stand (general UN
promotion, and internships that need review) so the ODA officer has work to do.
"""
from __future__ import annotations

from datetime import date as d
from decimal import Decimal

from programmes.demo.ledger import Administration, Project, Single, SmallGrants, Trainees, Yearly
from programmes.demo.spec import activity

MULTILATERAL = (
    activity("MULTI-CERF", "MULTI", "cerf", "Core contribution to the Central Emergency Response Fund",
             recipient="998", purpose="72010", aid="B022", channel="41147", bi_multi="2", objective="humanitarian",
             plan=Yearly(Decimal("600000.00"), pledge=(1, 15), pay=((3, 2),), early={2020: (5, 29)}),
             period=(d(2019, 1, 1), d(2025, 12, 31)), screened=False,
             description="Yearly pledge at CERF's high-level pledging conference; 40% of the emergency-aid budget."),
    activity("MULTI-WHO", "MULTI", "who", "Core voluntary contribution to WHO",
             recipient="998", purpose="12110", aid="B021", channel="41143", bi_multi="2",
             plan=Yearly(Decimal("400000.00"), pledge=(2, 10), pay=((4, 20),)),
             period=(d(2019, 1, 1), d(2025, 12, 31)), screened=False),
    activity("MULTI-UNAIDS", "MULTI", "unaids", "Core contribution to UNAIDS",
             recipient="998", purpose="13040", aid="B021", channel="41110", bi_multi="2",
             plan=Yearly(Decimal("250000.00"), pledge=(2, 10), pay=((5, 5),)),
             period=(d(2019, 1, 1), d(2025, 12, 31)), screened=False),
    activity("MULTI-ILO", "MULTI", "ilo", "Contribution to the ILO Regular Budget Supplementary Account",
             recipient="998", purpose="16020", aid="B021", channel="41144", bi_multi="2",
             plan=Yearly(Decimal("300000.00"), pledge=(3, 1), pay=((6, 12),)),
             period=(d(2019, 1, 1), d(2025, 12, 31)), screened=False),
    activity("FUT-2019", "MULTI", "unesco", "Flanders UNESCO Trust Fund 2019–2020: intangible cultural heritage",
             recipient="1029", purpose="16061", aid="B033", channel="41304",
             committed=(d(2019, 4, 15), "900000.00"), period=(d(2019, 5, 1), d(2020, 12, 31)),
             geography="Southern Africa", plan=Project(per_year=1, advance=1, unspent=Decimal("0")),
             markers=dict(gender=1)),
    activity("FUT-2021", "MULTI", "unesco", "Flanders UNESCO Trust Fund 2021–2022: World Heritage in Africa",
             recipient="298", purpose="16061", aid="B033", channel="41304",
             committed=(d(2021, 4, 12), "900000.00"), period=(d(2021, 5, 1), d(2022, 12, 31)),
             plan=Project(per_year=1, advance=1, unspent=Decimal("0")),
             markers=dict(gender=1, environment=1)),
    activity("FUT-2023", "MULTI", "unesco",
             "Flanders UNESCO Trust Fund 2023–2024: living heritage and climate resilience",
             recipient="1027", purpose="16061", aid="B033", channel="41304",
             committed=(d(2023, 4, 17), "900000.00"), period=(d(2023, 5, 1), d(2024, 12, 31)),
             geography="Malawi and Mozambique", plan=Project(per_year=1, advance=1, unspent=Decimal("0")),
             markers=dict(gender=1, climate_adaptation=1)),
)

SCIENCE_AND_CLIMATE = (
    activity("FUST-2019-IHP", "FUST", "unesco", "Water resources management in Africa (FUST phase 5, IHP)",
             recipient="298", purpose="14015", aid="B033", channel="41304",
             committed=(d(2019, 3, 1), "3000000.00"), period=(d(2019, 4, 1), d(2023, 12, 31)),
             plan=Project(per_year=1), markers=dict(environment=2, climate_adaptation=1)),
    activity("FUST-2019-MAB", "FUST", "unesco", "Biosphere reserves in southern Africa (FUST phase 5, MAB)",
             recipient="1029", purpose="41030", aid="B033", channel="41304",
             committed=(d(2019, 6, 3), "1500000.00"), period=(d(2019, 7, 1), d(2023, 12, 31)),
             plan=Project(per_year=1), markers=dict(biodiversity=2, environment=2, climate_adaptation=1)),
    activity("FUST-2024-IHP", "FUST", "unesco", "Water security and climate resilience (FUST phase 6)",
             recipient="298", purpose="14015", aid="B033", channel="41304",
             committed=(d(2024, 2, 1), "2500000.00"), period=(d(2024, 3, 1), d(2028, 12, 31)),
             plan=Project(per_year=1), markers=dict(environment=2, climate_adaptation=2)),
    activity("CLIM-2019-ACCF", "CLIMATE", "afdb", "Africa Climate Change Fund: five adaptation projects",
             recipient="1029", purpose="41010", aid="B032", channel="46002",
             committed=(d(2019, 11, 20), "1000000.00"), period=(d(2019, 12, 2), d(2019, 12, 31)),
             geography="Malawi, Mozambique and South Africa", plan=Project(per_year=1, unspent=Decimal("0")),
             markers=dict(climate_adaptation=2, environment=1)),
    activity("CLIM-2020-WFP", "CLIMATE", "wfp", "Climate adaptation for smallholder households in Tete",
             recipient="259", purpose="43072", aid="C01", channel="41140",
             committed=(d(2020, 6, 1), "2500000.00"), period=(d(2020, 7, 1), d(2023, 6, 30)),
             geography="Tete province", plan=Project(per_year=2),
             markers=dict(climate_adaptation=2, drr=1, nutrition=1, gender=1)),
)

HUMANITARIAN = (
    activity("HUM-2019-IDAI", "HUMA", "redcross", "Emergency aid after cyclone Idai in Mozambique and Malawi",
             recipient="1027", purpose="72010", aid="C01", channel="22000", objective="humanitarian",
             committed=(d(2019, 3, 25), "250000.00"), period=(d(2019, 3, 25), d(2019, 9, 30)),
             description="Water, shelter and replenishing pre-positioned stocks.", plan=Single(),
             markers=dict(drr=1)),
    activity("HUM-2023-FREDDY", "HUMA", "redcross", "Emergency aid after storm Freddy in Malawi",
             recipient="253", purpose="72010", aid="C01", channel="22000", objective="humanitarian",
             committed=(d(2023, 3, 24), "200000.00"), period=(d(2023, 3, 24), d(2023, 9, 30)),
             plan=Single(), markers=dict(drr=1)),
    activity("HUM-2020-SDGAF", "HUMA", "mptf", "Malawi SDG Acceleration Fund: humanitarian window",
             recipient="253", purpose="72010", aid="B031", channel="41401", objective="humanitarian",
             period=(d(2020, 1, 1), d(2025, 12, 31)), plan=Yearly(Decimal("156666.00"), pledge=(4, 1), pay=((4, 30),))),
    activity("HUM-2020-DRR", "HUMA", "redcross", "Community disaster preparedness with a crisis modifier",
             recipient="1027", purpose="74020", aid="C01", channel="22000",
             committed=(d(2020, 1, 15), "1200000.00"), period=(d(2020, 2, 1), d(2023, 12, 31)),
             geography="Malawi and Mozambique", plan=Project(per_year=2, refund=True),
             markers=dict(drr=2, climate_adaptation=2, gender=1)),
)

GRANTS_AND_IN_DONOR = (
    activity("UNP-SDG", "UNP", "vvn", "UN promoters: SDG and development education in Flemish schools",
             recipient="998", purpose="99820", aid="H01", channel="22000", objective="development_awareness",
             period=(d(2019, 1, 1), d(2025, 12, 31)), plan=SmallGrants(per_year=(2, 4), amount=(15_000, 45_000))),
    activity("UNP-MUN", "UNP", "youth", "UN promoters: Model United Nations and UN youth delegates",
             recipient=None, purpose=None, aid=None, channel="22000", bi_multi=None, objective="donor_interest",
             period=(d(2019, 1, 1), d(2025, 12, 31)), screened=False,
             description="General promotion of the UN in Flanders: not development awareness, so not ODA.",
             plan=SmallGrants(per_year=(2, 3), amount=(3_000, 12_000))),
    activity("FTP-INTERNSHIPS", "FTP", "trainees", "Flanders Trainee Programme: internship grants",
             recipient=None, purpose=None, aid=None, channel=None, bi_multi=None, objective="unknown",
             period=(d(2019, 1, 1), d(2025, 12, 31)), screened=False,
             description="Internships at multilateral organisations; ODA only case by case (needs review).",
             plan=Trainees({2019: 80, 2020: 35, 2021: 55, 2022: 78, 2023: 82, 2024: 80, 2025: 79})),
    activity("ADM-COSTS", "ADMIN", "dfa", "Administrative costs of the development-cooperation programme",
             recipient="998", purpose="91010", aid="G01", channel="11001", objective="aid_administration",
             period=(d(2019, 1, 1), d(2025, 12, 31)), screened=False,
             plan=Administration(Decimal("1250000.00"), monthly=(78_000, 92_000), quarterly=(4_000, 38_000))),
    activity("AWR-GRANTS", "AWARE", "awareness-ngos", "Development awareness grants to Flemish organisations",
             recipient="998", purpose="99820", aid="H01", channel="22000", objective="development_awareness",
             period=(d(2019, 1, 1), d(2025, 12, 31)), plan=SmallGrants(per_year=(9, 14), amount=(5_000, 45_000))),
)

ACTIVITIES = MULTILATERAL + SCIENCE_AND_CLIMATE + HUMANITARIAN + GRANTS_AND_IN_DONOR
