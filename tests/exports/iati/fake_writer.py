"""A stand-in for the IATI writer (exports/services/iati.py) where a test needs a chosen
validation outcome: it writes small IATI 2.03 files naming the activities in the database and
reports the findings the test asks for, as the writer reports its validation of both files."""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest
from sqlalchemy import select

from app.errors import ValidationError
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


class SetupError(ValidationError):
    """As exports.iati.validation.IatiSetupError: a 409 refusal."""

    status = 409


class FakeWriter:
    """``findings``: what the validation of both files answers (none by default); ``report``
    false: the writer answers no report (the validation not installed)."""

    def __init__(self):
        self.findings: list[Finding] = []
        self.report = True
        #: the refusal of an installation that lacks what the validation needs (IatiSetupError)
        self.setup_error: str | None = None

    def error(self, code: str, rule_id: str = "6.2.1", message: str = "The activity must have a sector."):
        self.findings.append(Finding("error", rule_id, message, f"{ORGANISATION}-{code}", "sector", None))

    def warning(self, code: str, rule_id: str = "6.11.1", message: str = "The activity should have a budget."):
        self.findings.append(Finding("warning", rule_id, message, f"{ORGANISATION}-{code}", "budget",
                                     "https://iatistandard.org/en/guidance/standard-guidance/activity-budgets/"))

    def build(self, session, folder: Path, programme_codes=None, *, schema_dir):
        if self.setup_error:
            raise SetupError(self.setup_error, "AIDLEDGER_IATI_SCHEMA_DIR")
        codes = list(session.scalars(select(Activity.code).order_by(Activity.code)))
        activities, organisation = folder / "iati-activities.xml", folder / "iati-organisation.xml"
        activities.write_bytes(activities_xml(codes))
        organisation.write_bytes(organisation_xml())
        report = Report("activities+organisation", len(codes) + 1, tuple(self.findings)) if self.report else None
        return Made(activities, organisation, report, len(codes), 2 * len(codes))


@pytest.fixture
def writer(monkeypatch):
    fake = FakeWriter()
    monkeypatch.setattr(iati_publication, "build_iati_files", fake.build)
    return fake
