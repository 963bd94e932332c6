"""A stand-in for the IATI writer and validator (exports/services/iati.py, exports/iati/validation.py)
where a test needs a chosen validation outcome: it writes small IATI 2.03 files naming the
activities in the database and answers the findings the test asks for."""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest
from sqlalchemy import select

from exports.services import iati_publication
from programmes.models import Activity

ORGANISATION = "XM-DAC-2-70"


class Finding(NamedTuple):
    severity: str
    rule_id: str
    message: str
    identifier: str | None
    path: str | None
    link: str | None


class Report(NamedTuple):
    kind: str
    checked: int
    findings: tuple


class Made(NamedTuple):
    activities: Path
    organisation: Path
    report: Report | None
    activity_count: int
    transaction_count: int


def activities_xml(codes: list[str]) -> bytes:
    items = "".join(
        f'<iati-activity default-currency="EUR"><iati-identifier>{ORGANISATION}-{code}</iati-identifier>'
        f'<reporting-org ref="{ORGANISATION}" type="10"><narrative xml:lang="nl">Departement Buitenlandse Zaken'
        f'</narrative></reporting-org><title><narrative>{code}</narrative></title></iati-activity>'
        for code in codes)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03" '
            f'generated-datetime="2026-12-01T05:45:00Z">{items}</iati-activities>').encode()


def organisation_xml() -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-organisations version="2.03"><iati-organisation>'
            f'<organisation-identifier>{ORGANISATION}</organisation-identifier><name><narrative xml:lang="nl">'
            f'Vlaamse overheid, Departement Buitenlandse Zaken</narrative></name></iati-organisation>'
            f'</iati-organisations>').encode()


class FakeWriter:
    """``findings[kind]``: what the validation of that file answers (none by default)."""

    def __init__(self):
        self.findings: dict[str, list[Finding]] = {"activities": [], "organisation": []}
        self.calls = 0

    def error(self, code: str, rule_id: str = "iati:atleast_one", message: str = "sector must be present"):
        self.findings["activities"].append(Finding("error", rule_id, message, f"{ORGANISATION}-{code}",
                                                   "iati-activity/sector", None))

    def warning(self, code: str, rule_id: str = "iati:dependent", message: str = "a budget is missing"):
        self.findings["activities"].append(Finding("warning", rule_id, message, f"{ORGANISATION}-{code}",
                                                   "iati-activity/budget", None))

    def build(self, session, folder: Path, programme_codes=None, *, schema_dir):
        self.calls += 1
        codes = list(session.scalars(select(Activity.code).order_by(Activity.code)))
        activities, organisation = folder / "activities.xml", folder / "organisation.xml"
        activities.write_bytes(activities_xml(codes))
        organisation.write_bytes(organisation_xml())
        return Made(activities, organisation, Report("activities", len(codes), tuple(self.findings["activities"])),
                    len(codes), 2 * len(codes))

    def validate(self, session, path, kind, schema_dir):
        return Report(kind, 1, tuple(self.findings[kind]))


@pytest.fixture
def writer(monkeypatch, tmp_path):
    fake = FakeWriter()
    monkeypatch.setattr(iati_publication, "_tools",
                        lambda: iati_publication.IatiTools(fake.build, fake.validate, tmp_path))
    return fake
