"""The validation as the writer, the publisher and the importer call it: a valid file has
no findings; schema errors name the activity and the place; the settings say what is missing."""
import json
import os
import shutil

import pytest

from app.errors import ValidationError
from exports.iati.schema import load_schema
from exports.iati.validation import IatiSetupError, iati_codelist_dir, iati_schema_dir, validate_iati_file
from tests.builders.iati import (CERF_CORE, FLANDERS, MALAWI_AGRICULTURE, SCHEMAS, activities_file,
                                 activity, cerf_core, only, organisation, organisations_file, rule_ids, transaction)
from tests.builders.reference import needs_shared

pytestmark = needs_shared


def test_the_flemish_files_validate_with_no_findings(validate):
    activities = validate(activities_file(activity(), cerf_core()))
    assert (activities.kind, activities.checked, activities.findings, activities.ok) == ("activities", 2, (), True)
    organisations = validate(organisations_file(), "organisations")
    assert (organisations.checked, organisations.findings) == (1, ())


def test_the_report_is_json_ready(validate):
    report = validate(activities_file(activity(dates='<activity-date iso-date="2026-12-31" type="3"/>')))
    data = json.loads(json.dumps(report.as_dict()))
    assert data["kind"] == "activities" and data["checked"] == 1 and data["ok"] is False
    assert data["errors"] == len(report.errors) == 1 and data["warnings"] == len(report.warnings) == 0
    assert data["findings"] == [{"severity": "error", "rule_id": "6.11.1",
                                 "message": "The activity must have a planned start date or an actual start date.",
                                 "identifier": MALAWI_AGRICULTURE, "path": "activity-date[@type='1' or @type='2']",
                                 "link": "https://iatistandard.org/en/guidance/standard-guidance/activity-dates-status/"}]


def test_a_schema_error_names_the_activity_and_the_place(validate):
    """An amount in Dutch notation is not an xsd:decimal."""
    dutch = transaction("3", "2024-03-15", "750.000,00")
    report = validate(activities_file(activity(), cerf_core().replace(transaction("3", "2024-02-15", "2000000.00"),
                                                                      dutch)))
    failed = only(report, "schema")
    assert failed.identifier == CERF_CORE and failed.path == "transaction[2]/value"
    assert failed.link == ("https://iatistandard.org/en/iati-standard/203/activity-standard/iati-activities/"
                           "iati-activity/transaction/value/")
    assert "'750.000,00' is not a valid value of the atomic type 'xs:decimal'" in failed.message


def test_a_missing_element_is_a_schema_error(validate):
    report = validate(activities_file(activity(reporting_org="")))
    assert "Expected is ( reporting-org )" in only(report, "schema").message
    assert not report.ok


def test_root_attributes_are_checked_once(validate):
    report = validate(activities_file(activity(), cerf_core(), attributes='generated-datetime="gisteren"'))
    messages = [f.message for f in report.findings if f.rule_id == "schema"]
    assert len(messages) == 2 and all(f.identifier is None for f in report.findings)
    assert any("The attribute 'version' is required" in m for m in messages)
    assert any("'gisteren' is not a valid value" in m for m in messages)


def test_a_stray_element_beside_the_activities(validate):
    content = activities_file(activity()).replace(b"</iati-activities>", b"<opmerking>concept</opmerking>"
                                                                         b"</iati-activities>")
    assert "Element 'opmerking': This element is not expected." in only(validate(content), "schema").message


def test_a_file_without_organisations(validate):
    content = organisations_file().replace(organisation().encode(), b"")
    report = validate(content, "organisations")
    assert report.checked == 0 and "Missing child element(s)" in only(report, "schema").message


def test_duplicate_identifiers_in_one_file(validate):
    report = validate(activities_file(activity(), activity()))
    failed = only(report, "1.1.2")
    assert failed.identifier == MALAWI_AGRICULTURE and failed.message == (
        "The activity identifier must be unique for each activity.")


def test_organisation_rules_and_identifier(validate):
    no_currency = organisation(attributes='last-updated-datetime="2025-01-15T10:00:00Z" xml:lang="en"')
    failed = only(validate(organisations_file(no_currency), "organisations"), "7.8.2")
    assert failed.identifier == FLANDERS and failed.severity == "error"
    assert failed.message.startswith("The financial value must have a specified currency")


def test_the_kind_is_checked(session, tmp_path):
    path = tmp_path / "a.xml"
    path.write_bytes(activities_file(activity()))
    with pytest.raises(ValidationError, match="kind must be one of"):
        validate_iati_file(session, path, "transactions", SCHEMAS)


def test_the_schema_folder_setting(tmp_path):
    with pytest.raises(IatiSetupError) as unset:
        iati_schema_dir({})
    assert unset.value.field == "AIDLEDGER_IATI_SCHEMA_DIR"
    assert "iati-activities-schema.xsd" in unset.value.message and "it is not set" in unset.value.message
    with pytest.raises(IatiSetupError, match="lacks iati-activities-schema.xsd, iati-organisations-schema.xsd"):
        iati_schema_dir({"AIDLEDGER_IATI_SCHEMA_DIR": str(tmp_path)})
    assert iati_schema_dir({"AIDLEDGER_IATI_SCHEMA_DIR": str(SCHEMAS)}) == SCHEMAS


def test_the_code_list_folder_setting(tmp_path):
    assert iati_codelist_dir({}) is None
    assert iati_codelist_dir({"AIDLEDGER_IATI_CODELIST_DIR": str(tmp_path)}) == tmp_path
    with pytest.raises(IatiSetupError, match="not a folder"):
        iati_codelist_dir({"AIDLEDGER_IATI_CODELIST_DIR": str(tmp_path / "missing")})


def test_the_code_list_folder_comes_from_the_app_by_default(app, session, codelists, tmp_path):
    from tests.builders.oda import load_reference

    load_reference(session)
    path = tmp_path / "activities.xml"
    path.write_bytes(activities_file(activity()))
    app.config["AIDLEDGER_IATI_CODELIST_DIR"] = str(codelists)
    try:
        assert validate_iati_file(session, path, "activities", SCHEMAS).findings == ()
    finally:
        app.config["AIDLEDGER_IATI_CODELIST_DIR"] = None
    assert "codelist" in rule_ids(validate_iati_file(session, path, "activities", SCHEMAS))


def test_the_schema_is_parsed_once_per_process_and_again_when_it_changes(tmp_path):
    assert load_schema(SCHEMAS, "activities") is load_schema(SCHEMAS, "activities")
    copy = shutil.copytree(SCHEMAS, tmp_path / "schemas")
    first = load_schema(copy, "organisations")
    assert load_schema(copy, "organisations") is first
    changed = copy / "iati-organisations-schema.xsd"
    os.chmod(changed, 0o644)
    os.utime(changed, (1, 1))
    assert load_schema(copy, "organisations") is not first


def test_a_file_full_of_errors_keeps_a_bounded_list(validate, monkeypatch):
    from exports.iati import validation

    monkeypatch.setattr(validation, "MAX_FINDINGS", 3)
    future = transaction("3", "2099-03-15")  # 11.2.1 and 11.2.2
    report = validate(activities_file(*(activity(f"{MALAWI_AGRICULTURE}-{n}", transactions=future) for n in range(5))))
    assert len(report.findings) == 4 and not report.ok
    assert report.findings[-1].message == ("7 more findings are not listed (7 errors, 0 warnings): only the first 3 "
                                           "are kept")
