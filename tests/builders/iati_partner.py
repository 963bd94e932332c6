"""IATI activity files as partner organisations publish them (IATI 2.03), for the IATI importer
(tests.builders.iati holds the IATI files of the validation tests).

The Enabel activity is modelled on the Belgian development agency's published file
(organisation identifier BE-BCE_KBO-0264814354: Belgian company number): a Mozambican
health project with Dutch and English narratives, purpose code 12220 and aid type C01.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

ENABEL = "BE-BCE_KBO-0264814354"
ENABEL_HEALTH_ID = f"{ENABEL}-MOZ1903311"
ENABEL_HEALTH_CODE = "MOZ1903311"
ENABEL_TITLE_NL = "Versterking van de basisgezondheidszorg in de provincie Tete"


def enabel_activity(identifier: str = ENABEL_HEALTH_ID, title_nl: str = ENABEL_TITLE_NL,
                    partner: str = "Direcção Provincial de Saúde de Tete", transactions: int = 2) -> str:
    """One iati-activity of the Enabel file."""
    lines = "".join(f"""
    <transaction>
      <transaction-type code="3"/>
      <transaction-date iso-date="2024-0{n + 1}-15"/>
      <value currency="EUR" value-date="2024-0{n + 1}-15">250000.00</value>
      <receiver-org ref="MZ-GOV-DPS-TETE"><narrative>{partner}</narrative></receiver-org>
    </transaction>""" for n in range(transactions))
    return f"""
  <iati-activity last-updated-datetime="2026-11-30T10:00:00+01:00" xml:lang="en" default-currency="EUR"
                 humanitarian="0">
    <iati-identifier>{identifier}</iati-identifier>
    <reporting-org ref="{ENABEL}" type="10"><narrative>Enabel</narrative></reporting-org>
    <title>
      <narrative>Strengthening primary health care in Tete province</narrative>
      <narrative xml:lang="nl">{title_nl}</narrative>
      <narrative xml:lang="fr">Renforcement des soins de santé primaires dans la province de Tete</narrative>
    </title>
    <description type="1">
      <narrative>Primary health care in six districts of Tete: maternal care, vaccination, health staff.</narrative>
      <narrative xml:lang="nl">Basisgezondheidszorg in zes districten van Tete: moederzorg, vaccinatie,
        gezondheidspersoneel.</narrative>
    </description>
    <description type="2"><narrative>Objectives, not read.</narrative></description>
    <participating-org ref="BE-DAC-2" role="1" type="10"><narrative>Belgium</narrative></participating-org>
    <participating-org ref="{ENABEL}" role="2" type="10"><narrative>Enabel</narrative></participating-org>
    <participating-org ref="MZ-GOV-DPS-TETE" role="4" type="10" crs-channel-code="12000">
      <narrative>{partner}</narrative>
    </participating-org>
    <activity-status code="2"/>
    <activity-date type="1" iso-date="2024-01-01"/>
    <activity-date type="2" iso-date="2024-02-01"/>
    <activity-date type="3" iso-date="2028-12-31"/>
    <recipient-country code="MZ" percentage="100"/>
    <sector vocabulary="1" code="12220" percentage="100"/>
    <sector vocabulary="2" code="122" percentage="100"/>
    <policy-marker vocabulary="1" code="1" significance="1"/>
    <policy-marker vocabulary="1" code="9" significance="2"/>
    <collaboration-type code="1"/>
    <default-flow-type code="10"/>
    <default-finance-type code="110"/>
    <default-aid-type code="C01" vocabulary="1"/>
    <default-tied-status code="5"/>
    <budget type="1" status="2">
      <period-start iso-date="2024-01-01"/>
      <period-end iso-date="2024-12-31"/>
      <value currency="EUR" value-date="2024-01-01">1500000.00</value>
    </budget>{lines}
    <crs-add><other-flags code="2" significance="1"/></crs-add>
  </iati-activity>"""


def iati_file(path: Path, *activities: str, generated: str = "2026-12-01T06:00:00Z", root: str = "iati-activities",
              version: str = "2.03") -> Path:
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<{root} version="{version}" generated-datetime="{generated}">{"".join(activities)}
</{root}>
""", encoding="utf-8")
    return path


def enabel_file(path: Path, **changes) -> Path:
    generated = changes.pop("generated", "2026-12-01T06:00:00Z")
    return iati_file(path, enabel_activity(**changes), generated=generated)


# hostile and broken files

def xxe_file(path: Path) -> Path:
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE iati-activities [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                    '<iati-activities version="2.03"><iati-activity><iati-identifier>&x;</iati-identifier>'
                    '</iati-activity></iati-activities>\n', encoding="utf-8")
    return path


def billion_laughs(path: Path) -> Path:
    entities = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY l0 "lol">{entities}]>\n'
                    '<iati-activities version="2.03"><iati-activity><iati-identifier>&l9;</iati-identifier>'
                    '</iati-activity></iati-activities>\n', encoding="utf-8")
    return path


def doctype_in_utf16(path: Path) -> Path:
    path.write_bytes('<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE iati-activities>\n'
                     '<iati-activities version="2.03"/>\n'.encode("utf-16"))
    return path


def xlsx_named_xml(path: Path, tmp: Path) -> Path:
    from tests.builders.importers import spending_workbook

    workbook = spending_workbook(tmp / "ledger.xlsx")
    path.write_bytes(workbook.read_bytes())
    return path


def zip_named_xml(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("iati.xml", "<iati-activities/>")
    return path


def organisation_file(path: Path) -> Path:
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<iati-organisations version="2.03" generated-datetime="2026-12-01T06:00:00Z">
  <iati-organisation last-updated-datetime="2026-11-30T10:00:00Z" default-currency="EUR">
    <organisation-identifier>{ENABEL}</organisation-identifier>
    <name><narrative>Enabel</narrative></name>
    <reporting-org ref="{ENABEL}" type="10"><narrative>Enabel</narrative></reporting-org>
  </iati-organisation>
</iati-organisations>
""", encoding="utf-8")
    return path
