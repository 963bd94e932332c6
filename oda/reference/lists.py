"""The reference lists: their tables, natural keys and the names used in URLs and rules."""
from __future__ import annotations

from dataclasses import dataclass

from oda.models import (AidType, Annex2Coefficient, BiMultiCode, Channel, FinanceType, FlowType, PolicyMarker,
                        PolicySignificance, PurposeCode, Recipient, RecipientEligibility, SectorCategory)


@dataclass(frozen=True)
class ListSpec:
    name: str
    model: type
    key: tuple[str, ...]
    title: str
    #: checks a code's validity by year (code lists with activation/withdrawal)
    is_code_list: bool = True


LISTS: dict[str, ListSpec] = {spec.name: spec for spec in (
    ListSpec("recipients", Recipient, ("code",), "DAC recipients", is_code_list=False),
    ListSpec("recipient_eligibility", RecipientEligibility, ("recipient_code", "year_from", "origin"),
             "DAC List of ODA Recipients by year", is_code_list=False),
    ListSpec("purpose_codes", PurposeCode, ("code",), "Purpose codes"),
    ListSpec("sector_categories", SectorCategory, ("code",), "Sector categories (3-digit)"),
    ListSpec("aid_types", AidType, ("code",), "Types of aid"),
    ListSpec("flow_types", FlowType, ("code",), "Types of flow"),
    ListSpec("finance_types", FinanceType, ("code",), "Types of finance"),
    ListSpec("channels", Channel, ("code",), "Channels of delivery"),
    ListSpec("bi_multi", BiMultiCode, ("code",), "Bi/multi"),
    ListSpec("policy_markers", PolicyMarker, ("code",), "Policy markers"),
    ListSpec("policy_significance", PolicySignificance, ("code",), "Policy marker scores"),
    ListSpec("annex2_coefficients", Annex2Coefficient, ("channel_code", "year", "origin"),
             "Annex 2 coefficients", is_code_list=False),
)}
#: not a table of ours: rates live in app.rates and are loaded through its service
EXCHANGE_RATES = "exchange_rates"

#: names other packages may use for a list (importers speak of fields, not tables)
ALIASES = {
    "purpose_code": "purpose_codes", "sector": "purpose_codes", "aid_type": "aid_types",
    "flow_type": "flow_types", "finance_type": "finance_types", "channel": "channels",
    "channel_code": "channels", "collaboration_type": "bi_multi", "sector_category": "sector_categories",
    "recipient": "recipients", "recipient_code": "recipients", "policy_marker": "policy_markers",
}


def resolve(list_name: str) -> ListSpec:
    name = ALIASES.get(list_name, list_name)
    try:
        return LISTS[name]
    except KeyError:
        raise ValueError(f"unknown reference list {list_name!r} (known: {', '.join(sorted(LISTS))})") from None
