"""The curated subset, the loaders' defences and code_status for the importers."""
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.events.models import Event
from oda.models import ReferenceSet
from oda.reference.services import (LoadError, code_check, code_status, code_statuses, load_curated,
                                    load_reference_path, loaded_lists, reference_version)


def test_curated_subset_loads_once(session):
    first = load_curated(session)
    assert {r.list_name for r in first.changed} >= {"purpose_codes", "recipients", "annex2_coefficients",
                                                   "exchange_rates"}
    version = reference_version(session)
    events = session.scalar(select(func.count()).select_from(Event).where(Event.type == "ReferenceDataLoaded"))
    again = load_curated(session)
    assert not again.changed and reference_version(session) == version
    assert session.scalar(select(func.count()).select_from(Event).where(
        Event.type == "ReferenceDataLoaded")) == events


@pytest.mark.parametrize("list_name, code, year, expected", [
    ("purpose_code", "31120", 2021, "valid"),
    ("purpose_code", "74010", 2019, "withdrawn"),
    ("purpose_code", "74010", 2017, "valid"),
    ("purpose_code", "43060", 2017, "unknown"),   # in use only from 2018
    ("purpose_codes", "12345", 2021, "unknown"),
    ("aid_type", "B033", 2023, "valid"),
    ("channel", "41147", 2019, "valid"),
    ("recipient", "1029", 2020, "valid"),
    ("flow_type", "20", 2021, "withdrawn"),
])
def test_code_status_for_importers(session, reference, list_name, code, year, expected):
    assert code_status(session, list_name, code, year) == expected


def test_code_check_explains_and_bulk_lookup_agrees(session, reference):
    assert "withdrawn on 2017-12-31" in code_check(session, "purpose_code", "74010", 2019).message
    assert code_statuses(session, "purpose_code", ["74010", "31120", " ", None], 2019) == {
        "74010": "withdrawn", "31120": "valid"}


def test_an_unknown_list_is_an_error(session):
    with pytest.raises(ValueError, match="unknown reference list"):
        code_status(session, "currencies", "EUR", 2020)


def test_the_reference_page_data_lists_every_list(session, reference):
    lists = {item["name"]: item for item in loaded_lists(session)}
    assert lists["annex2_coefficients"]["rows"] >= 20
    assert lists["exchange_rates"]["latest"].origin == "curated"


def _write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("name, content, message", [
    ("Sector.xml", b"<codelist name='Sector'><codelist-items><codelist-item>", "not a well-formed"),
    ("Sector.xml", b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "aaaa">]><codelist name="Sector">&a;</codelist>',
     "not a well-formed"),
    ("Sector.xml", b"<codelist name='Sector'><codelist-items/></codelist>", "no items"),
    ("Sector.xml", b"<codelist name='Sector'><codelist-items><codelist-item><code>1; DROP</code>"
                   b"</codelist-item></codelist-items></codelist>", "is not a code"),
    ("recipients.csv", b"code,name_en,income_group\n253,Malawi,LDCs\n", "which reporting years"),
    ("sectors.csv", b"code,name\n11110,x\n", "missing column"),
    ("sectors.csv", b"code,name_en\n\xff\xfe,x\n", "not UTF-8"),
    ("rates.csv", b"Date,Rate,Currency,Frequency,Source,Country code,Country\n2020-12-31,-1,EUR,A,IMF,U2,EA\n",
     "positive"),
    ("codelists.xls", b"not really a workbook", "not a readable workbook"),
])
def test_broken_or_hostile_files_are_refused_and_nothing_is_loaded(session, tmp_path, name, content, message):
    _write(tmp_path, "flow_types.csv", b"code,name_en\n10,ODA\n")
    _write(tmp_path, name, content)
    with pytest.raises(LoadError, match=message):
        load_reference_path(session, tmp_path)
    assert session.scalar(select(func.count()).select_from(ReferenceSet)) == 0


def test_a_huge_file_is_refused_before_reading(session, tmp_path, monkeypatch):
    from oda.reference.loaders import common

    monkeypatch.setattr(common, "MAX_FILE_BYTES", 100)
    _write(tmp_path, "sectors.csv", b"code,name_en\n" + b"11110,x\n" * 50)
    with pytest.raises(LoadError, match="more than the 100"):
        load_reference_path(session, tmp_path)


def test_a_recipient_list_loaded_alone_takes_the_years_it_is_given(session, tmp_path):
    path = _write(tmp_path, "recipients.csv", b"code,name_en,income_group\n253,Malawi,LDCs\n434,Chile,MADCTs\n")
    report = load_reference_path(session, path, list_years=(2024, 2025))
    assert report.summary()["recipient_eligibility"]["inserted"] == 2


def test_region_statuses_a_country_is_not_a_region(session, reference):
    """For IATI's region vocabulary 1: 289 (South of Sahara, regional) and 998 are regions,
    253 (Malawi) is a country, 12345 is nothing."""
    from oda.reference.services import region_statuses

    assert region_statuses(session, ["289", "998", "253", "12345"], 2024) == {
        "289": "valid", "998": "valid", "253": "unknown", "12345": "unknown"}
