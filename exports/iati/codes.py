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

from lxml import etree
from sqlalchemy.orm import Session

from app.messages import said
from exports.iati.codelists import ACTIVE, UNKNOWN, WITHDRAWN, load_codelist
from exports.iati.findings import CODELIST, ERROR, WARNING, Finding
from exports.iati.reading import relative_path
from exports.iati.ruleset import STANDARD_URL
from oda.reference.services import code_statuses, region_statuses

#: IATI list → the oda reference list holding it (the rest are read from the IATI files)
ODA_LISTS = {"Sector": "purpose_codes", "SectorCategory": "sector_categories", "AidType": "aid_types",
             "FlowType": "flow_types", "FinanceType": "finance_types", "CollaborationType": "bi_multi",
             "PolicyMarker": "policy_markers", "PolicySignificance": "policy_significance",
             "CRSChannelCode": "channels", "Region": "regions"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ANY = "*"
#: the vocabulary an element is in when it names none
DEFAULT_VOCABULARY = "1"

#: (element, attribute) → IATI list, or {vocabulary: list} for codes that depend on the
#: element's @vocabulary (codes of other vocabularies, e.g. 99 a publisher's own, are not
#: looked up); "text()" for a code written as the element's text. ANY: on every element.
CODED: dict[tuple[str, str], str | dict[str, str]] = {
    (ANY, XML_LANG): "Language", (ANY, "currency"): "Currency", (ANY, "default-currency"): "Currency",
    ("reporting-org", "type"): "OrganisationType", ("participating-org", "type"): "OrganisationType",
    ("provider-org", "type"): "OrganisationType", ("receiver-org", "type"): "OrganisationType",
    ("participating-org", "role"): "OrganisationRole",
    ("participating-org", "crs-channel-code"): "CRSChannelCode", ("channel-code", "text()"): "CRSChannelCode",
    ("other-identifier", "type"): "OtherIdentifierType", ("description", "type"): "DescriptionType",
    ("related-activity", "type"): "RelatedActivityType", ("contact-info", "type"): "ContactType",
    ("activity-status", "code"): "ActivityStatus", ("activity-date", "type"): "ActivityDateType",
    ("activity-scope", "code"): "ActivityScope",
    ("sector", "code"): {"1": "Sector", "2": "SectorCategory"}, ("sector", "vocabulary"): "SectorVocabulary",
    ("recipient-country", "code"): "Country",
    ("recipient-region", "code"): {"1": "Region"}, ("recipient-region", "vocabulary"): "RegionVocabulary",
    ("collaboration-type", "code"): "CollaborationType",
    ("default-flow-type", "code"): "FlowType", ("flow-type", "code"): "FlowType",
    ("default-finance-type", "code"): "FinanceType", ("finance-type", "code"): "FinanceType",
    ("default-aid-type", "code"): {"1": "AidType"}, ("aid-type", "code"): {"1": "AidType"},
    ("default-aid-type", "vocabulary"): "AidTypeVocabulary", ("aid-type", "vocabulary"): "AidTypeVocabulary",
    ("default-tied-status", "code"): "TiedStatus", ("tied-status", "code"): "TiedStatus",
    ("policy-marker", "code"): {"1": "PolicyMarker"}, ("policy-marker", "significance"): "PolicySignificance",
    ("policy-marker", "vocabulary"): "PolicyMarkerVocabulary",
    ("humanitarian-scope", "type"): "HumanitarianScopeType",
    ("budget", "type"): "BudgetType", ("planned-disbursement", "type"): "BudgetType",
    ("budget", "status"): "BudgetStatus", ("total-budget", "status"): "BudgetStatus",
    ("recipient-org-budget", "status"): "BudgetStatus", ("recipient-region-budget", "status"): "BudgetStatus",
    ("recipient-country-budget", "status"): "BudgetStatus",
    ("transaction-type", "code"): "TransactionType", ("disbursement-channel", "code"): "DisbursementChannel",
    ("other-flags", "code"): "CRSAddOtherFlags", ("repayment-type", "code"): "LoanRepaymentType",
    ("repayment-plan", "code"): "LoanRepaymentPeriod", ("category", "code"): "DocumentCategory",
    ("result", "type"): "ResultType", ("indicator", "measure"): "IndicatorMeasure",
}
#: every attribute of the unit, and the one code written as text
_VALUES = etree.XPath("descendant-or-self::*/@* | crs-add/channel-code/text()")


def code_list_of(value) -> str | None:
    """The IATI list of an attribute (or text) value found in a file, or None (not a code)."""
    owner = value.getparent()
    name = value.attrname if value.is_attribute else "text()"
    coded = CODED.get((owner.tag, name)) or CODED.get((ANY, name))
    if isinstance(coded, dict):
        return coded.get(owner.get("vocabulary") or DEFAULT_VOCABULARY)
    return coded


def codelist_link(code_list: str) -> str:
    return f"{STANDARD_URL}codelists/{code_list}/"


class CodeChecker:
    """Checks the codes of one file, unit by unit; remembers statuses and the lists it
    could not check (``not_checked``: list → an example path, reported once per file)."""

    def __init__(self, session: Session, codelist_dir: Path | None):
        self.session = session
        self.codelist_dir = codelist_dir
        #: oda judges a DAC code for a reporting year: the file is published now
        self.year = date.today().year
        self.statuses: dict[str, dict[str, str]] = defaultdict(dict)
        self.not_checked: dict[str, str] = {}
        self.files: dict[str, dict[str, str] | None] = {}

    def findings(self, unit: etree._Element, identifier: str | None) -> list[Finding]:
        used: dict[str, list] = defaultdict(list)
        for value in _VALUES(unit):
            code_list = code_list_of(value)
            if code_list is not None:
                used[code_list].append(value)
        found = []
        for code_list, values in used.items():
            statuses = self._statuses(code_list, {str(v) for v in values})
            if statuses is None:
                if code_list not in self.not_checked:
                    self.not_checked[code_list] = re.sub(r"\[\d+\]", "", relative_path(unit, values[0]))
                continue
            for value in values:
                status = statuses.get(str(value), UNKNOWN)
                if status not in _IN_USE:
                    found.append(_finding(code_list, str(value), status, identifier, relative_path(unit, value)))
        return found

    def _statuses(self, code_list: str, codes: set[str]) -> dict[str, str] | None:
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


#: a code in use: "active" in an IATI file, "valid" in oda's reference services
_IN_USE = (ACTIVE, "valid")


def _finding(code_list: str, code: str, status: str, identifier: str | None, path: str) -> Finding:
    shown = code if code.strip() else said("(empty)")
    if status == WITHDRAWN:
        return Finding(WARNING, CODELIST, said("%(code)s is a withdrawn code of %(list)s", code=shown, list=code_list),
                       identifier, path, codelist_link(code_list))
    return Finding(ERROR, CODELIST, said("%(code)s is not a code of %(list)s", code=shown, list=code_list),
                   identifier, path, codelist_link(code_list))
