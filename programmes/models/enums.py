"""Value sets of the programme domain (codes stored as text)."""
from decimal import Decimal
from enum import StrEnum


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    return message


class OrganisationKind(StrEnum):
    GOVERNMENT = "government"
    NGO = "ngo"
    MULTILATERAL = "multilateral"
    RESEARCH = "research"
    PRIVATE = "private"
    INDIVIDUAL_SCHEME = "individual_scheme"


class ProgrammeKind(StrEnum):
    COUNTRY = "country_programme"
    MULTILATERAL = "multilateral_portfolio"
    GRANT_SCHEME = "grant_scheme"
    HUMANITARIAN = "humanitarian"
    IN_DONOR = "in_donor"


class PolicyArea(StrEnum):
    DEVELOPMENT = "development_cooperation"
    SCIENCE = "science_innovation"
    ENVIRONMENT = "environment"
    CULTURE = "culture"
    ASYLUM = "asylum_reception"
    OTHER = "other"


class MainObjective(StrEnum):
    DEVELOPMENT = "development"
    HUMANITARIAN = "humanitarian"
    DEVELOPMENT_AWARENESS = "development_awareness"
    AID_ADMINISTRATION = "aid_administration"
    REFUGEES_IN_DONOR = "refugees_in_donor_country"
    DONOR_INTEREST = "donor_interest"
    COMMERCIAL = "commercial"
    MILITARY = "military"
    UNKNOWN = "unknown"


class ActivityStatus(StrEnum):
    PIPELINE = "pipeline"
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class TransactionKind(StrEnum):
    COMMITMENT = "commitment"
    DISBURSEMENT = "disbursement"
    REFUND = "refund"


#: Policy markers of the CRS, with the highest score each accepts (blank = not screened).
POLICY_MARKERS: dict[str, int] = {
    "gender": 2,
    "environment": 2,
    "pdgg": 2,
    "trade": 2,
    "biodiversity": 2,
    "climate_mitigation": 2,
    "climate_adaptation": 2,
    "desertification": 3,
    "rmnch": 4,
    "drr": 2,
    "nutrition": 2,
    "disability": 2,
}


#: The CRS's yes/blank flags on an activity (items 24–27), with their column in the CRS sheet:
#: free-standing technical co-operation, programme-based approach, investment project,
#: associated financing. False is written as blank, as the CRS asks.
CRS_FLAGS: dict[str, str] = {
    "ftc": "FTC",
    "pba": "PBA",
    "investment_project": "InvestmentProject",
    "associated_financing": "AssocFinance",
}
#: the activity's attribute of each CRS flag
CRS_FLAG_FIELDS = tuple(f"flag_{f}" for f in CRS_FLAGS)


#: IATI TiedStatus of an activity's commitment (CRS items 36–38); blank = the installation's default
TIED_STATUSES: dict[str, str] = {"3": N_("partially untied"), "4": N_("tied"), "5": N_("untied")}
#: CRS item 44, type of repayment (IATI LoanRepaymentType)
#: the words are msgids too: the ODA rules' reasons name the repayment type in the reader's language
LOAN_REPAYMENT_TYPES: dict[int, str] = {1: N_("equal principal payments"), 2: N_("annuity"), 3: N_("lump sum"),
                                        5: N_("other")}
MAX_REPAYMENTS_PER_YEAR = 12
#: CRS items 45–46, a loan's interest rates: percent a year from 0 to 100 with at most four decimals
HIGHEST_RATE = Decimal("100")
RATE_PLACES = 4
#: the same as text, for the API and its document: ASCII digits ("١٢" is not a rate), no sign, nothing after
INTEREST_RATE_PATTERN = rf"^(?:100(?:\.0{{1,{RATE_PLACES}}})?|[0-9]{{1,2}}(?:\.[0-9]{{1,{RATE_PLACES}}})?)$"
#: the activity's attributes holding a loan's terms (CRS items 44–49, the second rate's date after it)
LOAN_TERM_FIELDS = ("loan_repayment_type", "loan_repayments_per_year", "loan_interest_rate_1",
                    "loan_interest_rate_2", "loan_interest_rate_2_date", "loan_first_repayment_date",
                    "loan_final_repayment_date")
#: the rest of the CRS record an activity carries: tied status, loan terms, SDG focus, keywords
CRS_RECORD_FIELDS = ("tied_status",) + LOAN_TERM_FIELDS + ("sdg_focus", "keywords")
MAX_SDG_FOCUS = 10
MAX_KEYWORDS_CHARS = 500
