"""Every coded attribute of an IATI file, checked against the code lists.

The DAC lists Aidledger loads (purpose codes, aid types, flows, finance types, channels,
collaboration types, policy markers and scores, regions) are asked of oda's reference
services; the other IATI lists (currencies, ISO countries, transaction types, dates,
roles …) come from the official code-list files (``codelists``). An unknown code is an
error, a withdrawn one a warning. Statuses are kept per file, so the database is asked
about each distinct code once.
"""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import NamedTuple

from lxml import etree
from sqlalchemy.orm import Session

from exports.iati.codelists import ACTIVE, UNKNOWN, WITHDRAWN, load_codelist
from exports.iati.findings import CODELIST, ERROR, WARNING, Finding
from exports.iati.reading import relative_path
from exports.iati.rule_types import compiled
from exports.iati.ruleset import STANDARD_URL
from oda.reference.services import code_statuses, region_statuses

_DAC = "[not(@vocabulary) or @vocabulary = '' or @vocabulary = '1']"
_DAC_CATEGORY = "[@vocabulary = '2']"
_ORGS = "reporting-org | participating-org | descendant::provider-org | descendant::receiver-org"

#: IATI list → the oda reference list holding it (the rest are read from the IATI files)
ODA_LISTS = {"Sector": "purpose_codes", "SectorCategory": "sector_categories", "AidType": "aid_types",
             "FlowType": "flow_types", "FinanceType": "finance_types", "CollaborationType": "bi_multi",
             "PolicyMarker": "policy_markers", "PolicySignificance": "policy_significance",
             "CRSChannelCode": "channels", "Region": "regions"}


class CodedValues(NamedTuple):
    #: XPath from the unit to the attribute (or text) values that are codes of ``code_list``
    xpath: str
    code_list: str


_COMMON = (
    CodedValues("descendant-or-self::*/@xml:lang", "Language"),
    CodedValues("@default-currency | descendant::*/@currency", "Currency"),
    CodedValues("reporting-org/@type", "OrganisationType"),
    CodedValues("document-link/category/@code", "DocumentCategory"),
)
ACTIVITY_CODES = _COMMON + (
    CodedValues("activity-status/@code", "ActivityStatus"),
    CodedValues("activity-date/@type", "ActivityDateType"),
    CodedValues("activity-scope/@code", "ActivityScope"),
    CodedValues(f"({_ORGS})[not(self::reporting-org)]/@type", "OrganisationType"),
    CodedValues("participating-org/@role", "OrganisationRole"),
    CodedValues("participating-org/@crs-channel-code | crs-add/channel-code/text()", "CRSChannelCode"),
    CodedValues("other-identifier/@type", "OtherIdentifierType"),
    CodedValues("description/@type", "DescriptionType"),
    CodedValues("related-activity/@type", "RelatedActivityType"),
    CodedValues("contact-info/@type", "ContactType"),
    CodedValues(f"(sector | transaction/sector){_DAC}/@code", "Sector"),
    CodedValues(f"(sector | transaction/sector){_DAC_CATEGORY}/@code", "SectorCategory"),
    CodedValues("sector/@vocabulary | transaction/sector/@vocabulary", "SectorVocabulary"),
    CodedValues("recipient-country/@code | transaction/recipient-country/@code", "Country"),
    CodedValues(f"(recipient-region | transaction/recipient-region){_DAC}/@code", "Region"),
    CodedValues("recipient-region/@vocabulary | transaction/recipient-region/@vocabulary", "RegionVocabulary"),
    CodedValues("collaboration-type/@code", "CollaborationType"),
    CodedValues("default-flow-type/@code | transaction/flow-type/@code", "FlowType"),
    CodedValues("default-finance-type/@code | transaction/finance-type/@code", "FinanceType"),
    CodedValues(f"(default-aid-type | transaction/aid-type){_DAC}/@code", "AidType"),
    CodedValues("default-aid-type/@vocabulary | transaction/aid-type/@vocabulary", "AidTypeVocabulary"),
    CodedValues("default-tied-status/@code | transaction/tied-status/@code", "TiedStatus"),
    CodedValues(f"policy-marker{_DAC}/@code", "PolicyMarker"),
    CodedValues("policy-marker/@significance", "PolicySignificance"),
    CodedValues("policy-marker/@vocabulary", "PolicyMarkerVocabulary"),
    CodedValues("humanitarian-scope/@type", "HumanitarianScopeType"),
    CodedValues("budget/@type | planned-disbursement/@type", "BudgetType"),
    CodedValues("budget/@status", "BudgetStatus"),
    CodedValues("transaction/transaction-type/@code", "TransactionType"),
    CodedValues("transaction/disbursement-channel/@code", "DisbursementChannel"),
    CodedValues("crs-add/other-flags/@code", "CRSAddOtherFlags"),
    CodedValues("crs-add/loan-terms/repayment-type/@code", "LoanRepaymentType"),
    CodedValues("crs-add/loan-terms/repayment-plan/@code", "LoanRepaymentPeriod"),
    CodedValues("result/@type", "ResultType"),
    CodedValues("result/indicator/@measure", "IndicatorMeasure"),
)
ORGANISATION_CODES = _COMMON + (
    CodedValues("total-budget/@status | recipient-org-budget/@status | recipient-region-budget/@status"
                " | recipient-country-budget/@status", "BudgetStatus"),
    CodedValues("recipient-country-budget/recipient-country/@code", "Country"),
    CodedValues(f"recipient-region-budget/recipient-region{_DAC}/@code", "Region"),
    CodedValues("recipient-region-budget/recipient-region/@vocabulary", "RegionVocabulary"),
)
CODED = {"activities": ACTIVITY_CODES, "organisations": ORGANISATION_CODES}


def codelist_link(code_list: str) -> str:
    return f"{STANDARD_URL}codelists/{code_list}/"


class CodeChecker:
    """Checks the codes of one file, unit by unit; remembers statuses and the lists it
    could not check (``not_checked``: list → an example path, reported once per file)."""

    def __init__(self, session: Session, kind: str, codelist_dir: Path | None, today: date | None = None):
        self.session = session
        self.coded = tuple((compiled(c.xpath), c) for c in CODED[kind])
        self.codelist_dir = codelist_dir
        self.year = (today or date.today()).year
        self.statuses: dict[str, dict[str, str]] = defaultdict(dict)
        self.not_checked: dict[str, str] = {}
        self.files: dict[str, dict[str, str] | None] = {}

    def findings(self, unit: etree._Element, identifier: str | None) -> list[Finding]:
        used: dict[str, list] = defaultdict(list)
        for xpath, coded in self.coded:
            used[coded.code_list].extend(xpath(unit))
        found = []
        for code_list, values in used.items():
            statuses = self._statuses(code_list, {str(v) for v in values})
            if statuses is None:
                if code_list not in self.not_checked:
                    self.not_checked[code_list] = re.sub(r"\[\d+\]", "", relative_path(unit, values[0]))
                continue
            for value in values:
                status = statuses.get(str(value), UNKNOWN)
                if status not in (ACTIVE, "valid"):
                    found.append(_finding(code_list, str(value), status, identifier, relative_path(unit, value)))
        return found

    def _statuses(self, code_list: str, codes: set[str]) -> dict[str, str] | None:
        if not codes:
            return {}
        oda_list = ODA_LISTS.get(code_list)
        if oda_list is None:
            return self._file_codes(code_list)
        known = self.statuses[code_list]
        new = codes - known.keys()
        if new:
            fetched = (region_statuses(self.session, new, self.year) if oda_list == "regions"
                       else code_statuses(self.session, oda_list, new, self.year))
            known.update({code: fetched.get(code, UNKNOWN) for code in new})
        return known

    def _file_codes(self, code_list: str) -> dict[str, str] | None:
        """The codes of an IATI list file, read once per file validated (None: not in the folder)."""
        if code_list not in self.files:
            codelist = load_codelist(self.codelist_dir, code_list) if self.codelist_dir else None
            self.files[code_list] = None if codelist is None else codelist.codes
        return self.files[code_list]


def _finding(code_list: str, code: str, status: str, identifier: str | None, path: str) -> Finding:
    shown = code if code.strip() else "(empty)"
    if status == WITHDRAWN:
        return Finding(WARNING, CODELIST, f"{shown} is a withdrawn code of {code_list}", identifier, path,
                       codelist_link(code_list))
    return Finding(ERROR, CODELIST, f"{shown} is not a code of {code_list}", identifier, path,
                   codelist_link(code_list))
