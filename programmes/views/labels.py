"""Words for the stored codes of the programme domain, in the reader's language."""
from __future__ import annotations

from flask import g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "country_programme": _l("Country programme"),
    "multilateral_portfolio": _l("Multilateral portfolio"),
    "grant_scheme": _l("Grant scheme"),
    "humanitarian": _l("Humanitarian aid"),
    "in_donor": _l("In-donor spending"),
}
POLICY_AREA_LABELS = {
    "development_cooperation": _l("Development cooperation"),
    "science_innovation": _l("Science and innovation"),
    "environment": _l("Environment"),
    "culture": _l("Culture"),
    "asylum_reception": _l("Asylum and reception"),
    "other": _l("Other"),
}
STATUS_LABELS = {
    "pipeline": _l("Pipeline"),
    "active": _l("Active"),
    "completed": _l("Completed"),
    "cancelled": _l("Cancelled"),
}
MAIN_OBJECTIVE_LABELS = {
    "development": _l("Economic development and welfare"),
    "humanitarian": _l("Humanitarian aid"),
    "development_awareness": _l("Development awareness"),
    "aid_administration": _l("Administration of the aid programme"),
    "refugees_in_donor_country": _l("Refugees in the donor country"),
    "donor_interest": _l("Mainly in the donor's interest"),
    "commercial": _l("Commercial"),
    "military": _l("Military"),
    "unknown": _l("Not known yet"),
}
TRANSACTION_KIND_LABELS = {
    "commitment": _l("Commitment"),
    "disbursement": _l("Disbursement"),
    "refund": _l("Refund"),
}
MARKER_LABELS = {
    "gender": _l("Gender equality"),
    "environment": _l("Aid to environment"),
    "pdgg": _l("Participatory development and good governance"),
    "trade": _l("Trade development"),
    "biodiversity": _l("Biodiversity"),
    "climate_mitigation": _l("Climate change mitigation"),
    "climate_adaptation": _l("Climate change adaptation"),
    "desertification": _l("Desertification"),
    "rmnch": _l("Reproductive, maternal, newborn and child health"),
    "drr": _l("Disaster risk reduction"),
    "nutrition": _l("Nutrition"),
    "disability": _l("Inclusion of persons with disabilities"),
}
#: the CRS flags (items 24–27), shown and edited as yes / no
FLAG_LABELS = {
    "ftc": _l("Free-standing technical co-operation (FTC)"),
    "pba": _l("Programme-based approach (PBA)"),
    "investment_project": _l("Investment project"),
    "associated_financing": _l("Associated financing"),
}
#: IATI TiedStatus of a commitment (CRS items 36–38)
TIED_STATUS_LABELS = {
    "3": _l("Partially untied"),
    "4": _l("Tied"),
    "5": _l("Untied"),
}
#: CRS item 44, a loan's type of repayment
REPAYMENT_TYPE_LABELS = {
    1: _l("Equal principal payments"),
    2: _l("Annuity"),
    3: _l("Lump sum"),
    5: _l("Other"),
}
#: the usual numbers of repayments a year, named
REPAYMENT_FREQUENCY_LABELS = {1: _l("yearly"), 2: _l("half-yearly"), 4: _l("quarterly"), 12: _l("monthly")}
#: the usual meaning of a marker score (RMNCH and desertification have their own scales above 2)
MARKER_SCORES = {
    0: _l("not targeted"),
    1: _l("significant objective"),
    2: _l("principal objective"),
    3: _l("principal objective and in support of an action programme"),
    4: _l("explicit primary objective"),
}
ODA_STATUS_LABELS = {
    "eligible": _l("ODA"),
    "not_eligible": _l("Not ODA"),
    "needs_review": _l("Needs review"),
}
RULE_RESULT_LABELS = {"pass": _l("met"), "fail": _l("not met"), "unknown": _l("cannot tell")}
EVENT_TYPE_LABELS = {
    "ProgrammeCreated": _l("Programme created"),
    "ProgrammeChanged": _l("Programme changed"),
    "BudgetLineChanged": _l("Budget line changed"),
    "ActivityCreated": _l("Activity created"),
    "ActivityChanged": _l("Activity changed"),
    "BudgetOverrun": _l("Budget overrun"),
    "CommitmentRecorded": _l("Commitment recorded"),
    "DisbursementRecorded": _l("Disbursement recorded"),
    "RefundRecorded": _l("Refund recorded"),
    "TransactionCorrected": _l("Transaction corrected"),
    "TransactionsClassified": _l("Transactions classified"),
}


def label(mapping: dict, code):
    """The word for ``code``, or the code itself when the mapping does not know it."""
    return mapping.get(code, code) if code is not None else None


def _translated(mapping: dict) -> dict:
    """``mapping`` with its words translated once per request (tables repeat them on every row)."""
    cache = g.setdefault("programme_labels", {})
    key = (id(mapping), str(get_locale()))
    if key not in cache:
        cache[key] = {code: str(word) for code, word in mapping.items()}
    return cache[key]


def _labeller(mapping: dict):
    return lambda code: None if code is None else _translated(mapping).get(code, code)


def templates_globals() -> dict:
    return {
        "kind_label": _labeller(KIND_LABELS),
        "policy_area_label": _labeller(POLICY_AREA_LABELS),
        "activity_status_label": _labeller(STATUS_LABELS),
        "objective_label": _labeller(MAIN_OBJECTIVE_LABELS),
        "transaction_kind_label": _labeller(TRANSACTION_KIND_LABELS),
        "marker_label": _labeller(MARKER_LABELS),
        "marker_score_label": _labeller(MARKER_SCORES),
        "flag_label": _labeller(FLAG_LABELS),
        "tied_status_label": _labeller(TIED_STATUS_LABELS),
        "repayment_type_label": _labeller(REPAYMENT_TYPE_LABELS),
        "oda_status_label": _labeller(ODA_STATUS_LABELS),
        "rule_result_label": _labeller(RULE_RESULT_LABELS),
        "event_type_label": _labeller(EVENT_TYPE_LABELS),
    }
