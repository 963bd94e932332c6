"""Loading the official files a department downloads every cycle (when they are present).

In CI the files sit beside the repository in ../shared/reference-data/; the
AIDLEDGER_REFERENCE_DATA variable points elsewhere.
"""
import os
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import REPO_ROOT
from app.events.models import Event
from app.rates.services import get_rate
from oda.models import Annex2Coefficient, PurposeCode, Recipient, RecipientEligibility, ReferenceSet
from oda.reference.batch import OFFICIAL
from oda.reference.loaders import parse_path
from oda.reference.services import code_status, load_curated, load_parsed
from oda.services.snapshot import load_snapshot

SHARED = Path(os.environ.get("AIDLEDGER_REFERENCE_DATA") or REPO_ROOT.parent / "shared" / "reference-data")
needs_files = pytest.mark.skipif(not SHARED.is_dir(), reason=f"official reference files not found in {SHARED}")


@pytest.fixture(scope="module")
def parsed_files():
    return parse_path(SHARED) if SHARED.is_dir() else []


@pytest.fixture
def official(session, parsed_files):
    return load_parsed(session, parsed_files, OFFICIAL)


@needs_files
def test_the_whole_folder_loads(session, official):
    summary = official.summary()
    assert {"purpose_codes", "aid_types", "channels", "recipients", "recipient_eligibility", "annex2_coefficients",
            "exchange_rates"} <= set(summary)
    skipped = dict(official.skipped)
    assert "Country.xml" in skipped and "agencies.csv" in skipped


@needs_files
def test_annex2_coefficients_come_from_the_workbooks_channel_sheet(session, official):
    def coefficient(channel):
        return session.scalar(select(Annex2Coefficient.coefficient).where(
            Annex2Coefficient.channel_code == channel, Annex2Coefficient.year == 2019,
            Annex2Coefficient.origin == "official"))
    assert coefficient("41304") == Decimal("0.6")
    assert coefficient("41147") == Decimal("1")
    assert coefficient("41301") == Decimal("0.83")


@needs_files
def test_the_dac_list_of_the_workbook_is_for_2018_and_2019(session, official):
    chile = session.scalar(select(RecipientEligibility).where(
        RecipientEligibility.recipient_code == "434", RecipientEligibility.origin == "official"))
    assert (chile.year_from, chile.year_to, chile.on_list, chile.income_group) == (2018, 2019, False, "MADCT")
    assert session.get(Recipient, "253").iso3 == "MWI"
    assert session.get(Recipient, "1029").kind == "region"


@needs_files
def test_iati_sector_dates_are_loaded(session, official):
    assert session.get(PurposeCode, "74010").withdrawal_date.isoformat() == "2017-12-31"
    assert code_status(session, "purpose_code", "74010", 2019) == "withdrawn"
    assert code_status(session, "purpose_code", "74020", 2019) == "valid"


@needs_files
def test_imf_rates_use_the_issuing_country(session, official):
    assert get_rate(session, 2023, "EUR").units_per_usd == Decimal("0.9248395585")
    zar = get_rate(session, 2019, "ZAR")
    assert zar.units_per_usd == Decimal("14.4484270548") and "South Africa" in zar.source


@needs_files
def test_loading_the_same_files_twice_changes_nothing(session, official, parsed_files):
    sets = session.scalar(select(func.count()).select_from(ReferenceSet))
    events = session.scalar(select(func.count()).select_from(Event))
    again = load_parsed(session, parsed_files, OFFICIAL)
    assert not again.changed
    assert session.scalar(select(func.count()).select_from(ReferenceSet)) == sets
    assert session.scalar(select(func.count()).select_from(Event)) == events


@needs_files
def test_curated_data_fills_gaps_but_never_overwrites_official_rows(session, official):
    name = session.get(Recipient, "55").name_en
    load_curated(session)
    assert session.get(Recipient, "55").name_en == name == "Turkey"  # curated says Türkiye
    snapshot = load_snapshot(session)
    assert snapshot.eligibility_in("845", 2026).on_list is False  # curated graduation of Nauru


@needs_files
def test_each_changed_list_is_a_version_with_an_event(session, official):
    loaded = session.scalars(select(Event).where(Event.type == "ReferenceDataLoaded")).all()
    versions = {e.payload["list"]: e.payload["version"] for e in loaded}
    assert versions["annex2_coefficients"] == official.summary()["annex2_coefficients"]["version"]
    assert all(e.payload["changes"] for e in loaded)
