"""IATI 2.03 files of the Flemish portfolio for the validation tests, and a code-list folder.

The reporting organisation is the Government of Flanders, Department of Foreign Affairs
(``XM-DAC-2-70``: DAC donor 2 Belgium, agency 70 Flanders). ``malawi_agriculture()`` is
the agriculture component of the third Malawi country strategy paper; ``cerf_core()``
the core contribution to the UN Central Emergency Response Fund (CERF). Each piece can
be replaced by a test, so a test shows exactly what it changes.
"""
from __future__ import annotations

from pathlib import Path

from tests.builders.reference import SHARED

SCHEMAS = SHARED / "iati-schemas"
CODELISTS = SHARED / "iati-codelists"
FLANDERS = "XM-DAC-2-70"
MALAWI_AGRICULTURE = f"{FLANDERS}-MWI-CSP3-AGR"
CERF_CORE = f"{FLANDERS}-CERF-2024"

REPORTING_ORG = (f'<reporting-org ref="{FLANDERS}" type="10"><narrative>Government of Flanders, Department of '
                 'Foreign Affairs</narrative><narrative xml:lang="nl">Vlaamse overheid, Departement Buitenlandse '
                 'Zaken</narrative></reporting-org>')
DATES = ('<activity-date iso-date="2022-01-01" type="1"/><activity-date iso-date="2022-03-01" type="2"/>'
         '<activity-date iso-date="2026-12-31" type="3"/>')
MALAWI = '<recipient-country code="MW" percentage="100"/>'
AGRICULTURE = ('<sector vocabulary="1" code="31120" percentage="60"/>'
               '<sector vocabulary="1" code="31166" percentage="40"/>')
GENDER = '<policy-marker vocabulary="1" code="1" significance="1"/>'
DEFAULTS = ('<collaboration-type code="1"/><default-flow-type code="10"/><default-finance-type code="110"/>'
            '<default-aid-type code="C01" vocabulary="1"/><default-tied-status code="5"/>')
BUDGET_2024 = ('<budget type="1" status="2"><period-start iso-date="2024-01-01"/><period-end iso-date="2024-12-31"/>'
               '<value currency="EUR" value-date="2024-01-01">1500000.00</value></budget>')


def transaction(kind: str = "3", day: str = "2024-03-15", amount: str = "750000.00", extra: str = "") -> str:
    """A transaction of the Flemish government to the Malawian Ministry of Agriculture."""
    return (f'<transaction><transaction-type code="{kind}"/><transaction-date iso-date="{day}"/>'
            f'<value currency="EUR" value-date="{day}">{amount}</value>'
            f'<provider-org ref="{FLANDERS}" type="10"><narrative>Vlaamse overheid</narrative></provider-org>'
            '<receiver-org type="10"><narrative>Ministry of Agriculture, Irrigation and Water Development, Malawi'
            f'</narrative></receiver-org>{extra}</transaction>')


TRANSACTIONS = transaction("2", "2024-01-20", "1500000.00") + transaction("3") + transaction("3", "2024-09-30")


def activity(identifier: str = MALAWI_AGRICULTURE, *, attributes: str | None = None, title: str | None = None,
             participants: str | None = None, status: str = '<activity-status code="2"/>', dates: str = DATES,
             recipient: str = MALAWI, sectors: str = AGRICULTURE, policy: str = GENDER, defaults: str = DEFAULTS,
             budgets: str = BUDGET_2024, transactions: str = TRANSACTIONS, reporting_org: str = REPORTING_ORG,
             after_participants: str = "", after_transactions: str = "") -> str:
    attributes = attributes if attributes is not None else (
        'last-updated-datetime="2025-01-15T10:00:00Z" xml:lang="en" default-currency="EUR" humanitarian="0"')
    title = title if title is not None else (
        '<title><narrative>Malawi country strategy paper 3: climate-resilient agriculture</narrative>'
        '<narrative xml:lang="nl">Malawi landenstrategienota 3: klimaatbestendige landbouw</narrative></title>'
        '<description type="1"><narrative>Support to smallholder farmers in the Southern Region of Malawi.'
        '</narrative></description>')
    participants = participants if participants is not None else (
        f'<participating-org ref="{FLANDERS}" role="1" type="10"><narrative>Vlaamse overheid</narrative>'
        '</participating-org><participating-org role="4" type="10"><narrative>Ministry of Agriculture, '
        'Irrigation and Water Development, Malawi</narrative></participating-org>')
    return (f'<iati-activity {attributes}><iati-identifier>{identifier}</iati-identifier>{reporting_org}{title}'
            f'{participants}{after_participants}{status}{dates}{recipient}{sectors}{policy}{defaults}{budgets}'
            f'{transactions}{after_transactions}</iati-activity>')


def cerf_core() -> str:
    """The core contribution to CERF: multilateral (collaboration type 2), aid type B02."""
    return activity(
        CERF_CORE, title=('<title><narrative>Core contribution to CERF 2024</narrative></title><description type="1">'
                          '<narrative>Unearmarked contribution of Flanders to the Central Emergency Response Fund.'
                          '</narrative></description>'),
        participants=(f'<participating-org ref="{FLANDERS}" role="1" type="10"><narrative>Vlaamse overheid'
                      '</narrative></participating-org><participating-org ref="XM-OCHA-CERF" role="4" type="40">'
                      '<narrative>Central Emergency Response Fund</narrative></participating-org>'),
        recipient='<recipient-region code="998" vocabulary="1"/>',
        sectors='<sector vocabulary="1" code="72010"/>', policy="",
        defaults=('<collaboration-type code="2"/><default-flow-type code="10"/><default-finance-type code="110"/>'
                  '<default-aid-type code="B02" vocabulary="1"/><default-tied-status code="5"/>'),
        transactions=transaction("2", "2024-02-01", "2000000.00") + transaction("3", "2024-02-15", "2000000.00"))


def activities_file(*activities: str, attributes: str = 'version="2.03" generated-datetime="2025-01-15T10:00:00Z"'
                    ) -> bytes:
    body = "".join(activities or (activity(),))
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities {attributes}>{body}</iati-activities>'.encode()


def organisation(*, attributes: str | None = None, budgets: str | None = None, extra: str = "") -> str:
    attributes = attributes if attributes is not None else (
        'last-updated-datetime="2025-01-15T10:00:00Z" xml:lang="en" default-currency="EUR"')
    budgets = budgets if budgets is not None else (
        '<total-budget status="2"><period-start iso-date="2024-01-01"/><period-end iso-date="2024-12-31"/>'
        '<value value-date="2024-01-01">42000000.00</value></total-budget>'
        '<recipient-country-budget status="2"><recipient-country code="MW"/><period-start iso-date="2024-01-01"/>'
        '<period-end iso-date="2024-12-31"/><value value-date="2024-01-01">9000000.00</value>'
        '<budget-line ref="AGR"><value value-date="2024-01-01">1500000.00</value><narrative>Agriculture'
        '</narrative></budget-line></recipient-country-budget>')
    return (f'<iati-organisation {attributes}><organisation-identifier>{FLANDERS}</organisation-identifier>'
            '<name><narrative>Government of Flanders, Department of Foreign Affairs</narrative></name>'
            f'{REPORTING_ORG}{budgets}{extra}</iati-organisation>')


def organisations_file(*organisations: str) -> bytes:
    body = "".join(organisations or (organisation(),))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-organisations version="2.03" '
            f'generated-datetime="2025-01-15T10:00:00Z">{body}</iati-organisations>').encode()


#: the IATI lists the shared folder lacks, with the codes the tests use (official codes; the
#: full files come from IATI-Codelists and IATI-Codelists-NonEmbedded)
EMBEDDED = {
    "ActivityStatus": "1 2 3 4 5 6", "ActivityDateType": "1 2 3 4", "BudgetType": "1 2", "BudgetStatus": "1 2",
    "TransactionType": "1 2 3 4 5 6 7 8 9 10 11 12 13", "OrganisationRole": "1 2 3 4",
    "OrganisationType": "10 11 15 21 22 23 24 30 40 60 70 71 72 73 80 90", "Language": "en fr nl pt es",
    "DescriptionType": "1 2 3 4", "SectorVocabulary": "1 2 3 4 5 6 7 8 9 10 11 98 99",
    "RegionVocabulary": "1 2 99", "AidTypeVocabulary": "1 2 3 4", "PolicyMarkerVocabulary": "1 99",
    "OtherIdentifierType": "A1 A2 A3 B1 B9", "OrganisationRegistrationAgency": "XM-DAC XI-IATI XM-OCHA BE-BCE_KBO",
}


def write_codelist(folder: Path, name: str, codes: str, withdrawn: str = "") -> Path:
    """A code-list file in the official IATI format (codelist-items with code and name)."""
    gone = ' status="withdrawn"'
    items = "".join(f'<codelist-item{gone if code in withdrawn.split() else ""}>'
                    f'<code>{code}</code><name><narrative>{code}</narrative></name></codelist-item>'
                    for code in codes.split() + withdrawn.split())
    path = folder / f"{name}.xml"
    path.write_text(f'<codelist name="{name}" xml:lang="en" complete="1"><metadata><name><narrative>{name}'
                    f'</narrative></name></metadata><codelist-items>{items}</codelist-items></codelist>')
    return path


def codelist_folder(folder: Path) -> Path:
    """The shared official code lists plus the lists they lack (``EMBEDDED``)."""
    folder.mkdir(parents=True, exist_ok=True)
    for official in CODELISTS.glob("*.xml"):
        (folder / official.name).symlink_to(official)
    for name, codes in EMBEDDED.items():
        write_codelist(folder, name, codes)
    return folder


# --- reading reports ----------------------------------------------------------------------

def rule_ids(report) -> set[str]:
    return {f.rule_id for f in report.findings}


def only(report, rule_id: str):
    """The one finding of ``rule_id`` (a test names the rule it breaks)."""
    found = [f for f in report.findings if f.rule_id == rule_id]
    assert len(found) == 1, report.findings
    return found[0]
