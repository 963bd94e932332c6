"""The Flemish portfolio's envelopes and partners (facts: shared/domain/flanders-portfolio.md).

Budget articles follow the shape of the Flemish budget codes; the numbers are
demo values.
"""
from __future__ import annotations

from programmes.demo.spec import DemoOrganisation, DemoProgramme, budget

PROGRAMMES = (
    DemoProgramme(
        code="MWI-CSP3", name="Malawi country programme 2019–2023: agriculture and food security",
        kind="country_programme", partner_country="253", start_year=2019, end_year=2023,
        focus_sectors=("311", "43072"), yearly_budget=budget(range(2019, 2024), "5000000.00"),
        budget_article="QB0-1QEB2AA-WT",
        description="Third country strategy paper with Malawi (EUR 25 million): extension services, "
                    "market-oriented farming, sustainable land management, women and youth, decentralisation."),
    DemoProgramme(
        code="MOZ-CSP4", name="Mozambique country programme 2021–2025: health, including SRHR",
        kind="country_programme", partner_country="259", start_year=2021, end_year=2025,
        focus_sectors=("121", "122", "130"), yearly_budget=budget(range(2021, 2026), "5000000.00"),
        budget_article="QB0-1QEB2AA-WT",
        description="Fourth country strategy paper with Mozambique (EUR 25 million): health system, "
                    "sexual and reproductive health and rights, health workers, health research."),
    DemoProgramme(
        code="ZAF-CSP3", name="South Africa country programme 2017–2021: climate, jobs and green economy",
        kind="country_programme", partner_country="218", start_year=2017, end_year=2021,
        focus_sectors=("410", "160", "321"), yearly_budget=budget(range(2017, 2022), "5000000.00"),
        budget_article="QB0-1QEB2AA-WT",
        description="Third country strategy paper with South Africa (EUR 25 million): climate change "
                    "adaptation, inclusive green economy and green jobs. Ledger history before 2019 is "
                    "not part of the demo."),
    DemoProgramme(
        code="MULTI", name="Multilateral portfolio: core contributions and UNESCO trust fund",
        kind="multilateral_portfolio", start_year=2019, end_year=2025,
        yearly_budget=budget(range(2019, 2026), "2000000.00"), budget_article="QB0-1QEB2AB-WT",
        description="CERF, WHO, UNAIDS and ILO core contributions and the Flanders UNESCO Trust Fund (FUT)."),
    DemoProgramme(
        code="FUST", name="Flanders UNESCO Science Trust Fund (phases 5 and 6)",
        kind="multilateral_portfolio", policy_area="science_innovation", start_year=2019, end_year=2025,
        yearly_budget=budget(range(2019, 2026), "1200000.00"), budget_article="EB0-1EDB2ZZ-WT",
        description="ODA from the science and innovation policy area: water management (IHP) and "
                    "biosphere reserves (MAB)."),
    DemoProgramme(
        code="CLIMATE", name="International climate finance (Flemish Climate Fund)",
        kind="multilateral_portfolio", policy_area="environment", start_year=2019, end_year=2023,
        yearly_budget=budget(range(2019, 2024), "900000.00", y2019="1000000.00", y2023="250000.00"),
        budget_article="LB0-1LEB2ZZ-WT",
        description="ODA from the environment policy area: climate adaptation in southern Africa."),
    DemoProgramme(
        code="HUMA", name="Humanitarian aid and disaster-risk reduction",
        kind="humanitarian", start_year=2019, end_year=2025,
        yearly_budget=budget(range(2019, 2026), "900000.00"), budget_article="QB0-1QEB2AC-WT",
        description="Emergency grants after disasters and preventive disaster-risk action in Malawi and "
                    "Mozambique (the CERF contribution is in the multilateral portfolio)."),
    DemoProgramme(
        code="UNP", name="UN promoters: grants to organisations promoting the UN in Flanders",
        kind="grant_scheme", start_year=2019, end_year=2025,
        yearly_budget=budget(range(2019, 2026), "150000.00"), budget_article="QB0-1QEB2AD-WT"),
    DemoProgramme(
        code="FTP", name="Flanders Trainee Programme: internships with international organisations",
        kind="grant_scheme", start_year=2019, end_year=2025,
        yearly_budget=budget(range(2019, 2026), "500000.00", y2020="250000.00", y2021="350000.00"),
        budget_article="QB0-1QEB2AD-WT",
        description="About 80 trainees a year; travel lump sum and a monthly living allowance."),
    DemoProgramme(
        code="ADMIN", name="Administration of the development-cooperation programme",
        kind="in_donor", start_year=2019, end_year=2025,
        yearly_budget=budget(range(2019, 2026), "1300000.00"), budget_article="QB0-1QEB2AE-WT"),
    DemoProgramme(
        code="AWARE", name="Development awareness in Flanders",
        kind="in_donor", start_year=2019, end_year=2025,
        yearly_budget=budget(range(2019, 2026), "400000.00"), budget_article="QB0-1QEB2AF-WT"),
)

#: short keys used by the activity data → the partner organisation
ORGANISATIONS = {
    "dfa": DemoOrganisation("Department of Foreign Affairs, Government of Flanders", "government",
                            "DKBUZA", "BEL", "11001"),
    "moa-mwi": DemoOrganisation("Ministry of Agriculture, Malawi", "government", "MoA", "MWI", "12001"),
    "kasungu": DemoOrganisation("Kasungu District Council", "government", None, "MWI", "12002"),
    "tradeline": DemoOrganisation("Tradeline Corporation Limited", "private", "TLC", "MWI", "62000"),
    "ace": DemoOrganisation("Agricultural Commodity Exchange for Africa", "ngo", "ACE", "MWI", "23000"),
    "nasfam": DemoOrganisation("National Smallholder Farmers' Association of Malawi", "ngo", "NASFAM",
                               "MWI", "23000"),
    "exchange": DemoOrganisation("Exchange vzw", "ngo", "Exchange", "BEL", "22000"),
    "reo": DemoOrganisation("REO Veiling", "private", "REO", "BEL", "61000"),
    "fao": DemoOrganisation("Food and Agriculture Organization of the United Nations", "multilateral",
                            "FAO", None, "41301"),
    "wfp": DemoOrganisation("World Food Programme", "multilateral", "WFP", None, "41140"),
    "misau": DemoOrganisation("Ministry of Health, Mozambique", "government", "MISAU", "MOZ", "12001"),
    "dps-tete": DemoOrganisation("Provincial Health Directorate, Tete", "government", "DPS Tete", "MOZ", "12002"),
    "chai": DemoOrganisation("Clinton Health Access Initiative", "ngo", "CHAI", None, "21064"),
    "unfpa": DemoOrganisation("United Nations Population Fund", "multilateral", "UNFPA", None, "41119"),
    "icrh": DemoOrganisation("International Centre for Reproductive Health Mozambique", "ngo",
                             "ICRH-M", "MOZ", "23000"),
    "cuamm": DemoOrganisation("Doctors with Africa CUAMM", "ngo", "CUAMM", "ITA", "21000"),
    "cism": DemoOrganisation("Manhiça Health Research Centre", "research", "CISM", "MOZ", "51000"),
    "who": DemoOrganisation("World Health Organization", "multilateral", "WHO", None, "41143"),
    "vito": DemoOrganisation("VITO, Flemish Institute for Technological Research", "research", "VITO",
                             "BEL", "11004"),
    "award": DemoOrganisation("Association for Water and Rural Development", "ngo", "AWARD", "ZAF", "23000"),
    "ilo": DemoOrganisation("International Labour Organization", "multilateral", "ILO", None, "41302"),
    "seda": DemoOrganisation("Small Enterprise Development Agency, South Africa", "government", "SEDA",
                             "ZAF", "12001"),
    "cerf": DemoOrganisation("UN Central Emergency Response Fund", "multilateral", "CERF", None, "41147"),
    "unaids": DemoOrganisation("Joint United Nations Programme on HIV/AIDS", "multilateral", "UNAIDS",
                               None, "41110"),
    "unesco": DemoOrganisation("UNESCO", "multilateral", "UNESCO", None, "41304"),
    "afdb": DemoOrganisation("African Development Bank", "multilateral", "AfDB", None, "46002"),
    "redcross": DemoOrganisation("Red Cross Flanders", "ngo", "Rode Kruis-Vlaanderen", "BEL", "22000"),
    "mptf": DemoOrganisation("UN Multi-Partner Trust Fund Office", "multilateral", "MPTFO", None, "41401"),
    "vvn": DemoOrganisation("United Nations Association Flanders", "ngo", "VVN", "BEL", "22000"),
    "youth": DemoOrganisation("Flemish youth and student associations", "ngo", None, "BEL", "22000"),
    "trainees": DemoOrganisation("Flanders Trainee Programme trainees", "individual_scheme", "FTP", "BEL", None),
    "awareness-ngos": DemoOrganisation("Flemish civil-society organisations (awareness grants)", "ngo",
                                       None, "BEL", "22000"),
}
