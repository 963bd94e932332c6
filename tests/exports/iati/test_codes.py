"""Codes: unknown codes are errors, withdrawn ones warnings, against oda's loaded DAC lists
and the official IATI code-list files; lists we cannot read are said to be unchecked."""
import pytest

from tests.builders.iati import (AGRICULTURE, DEFAULTS, MALAWI_AGRICULTURE, activities_file, activity, only,
                                 organisation, organisations_file, rule_ids, transaction, write_codelist)
from tests.builders.reference import needs_shared

pytestmark = needs_shared


def codelist_findings(report):
    return [f for f in report.findings if f.rule_id == "codelist"]


def test_a_valid_file_has_no_code_findings(validate):
    report = validate(activities_file(activity()))
    assert report.ok and not report.findings


def test_an_unknown_purpose_code_is_an_error_where_it_is(validate):
    sectors = AGRICULTURE.replace('code="31166"', 'code="31199"')
    failed = only(validate(activities_file(activity(sectors=sectors))), "codelist")
    assert failed.severity == "error" and failed.message == "31199 is not a code of Sector"
    assert failed.identifier == MALAWI_AGRICULTURE and failed.path == "sector[2]/@code"
    assert failed.link == "https://iatistandard.org/en/iati-standard/203/codelists/Sector/"


def test_a_withdrawn_purpose_code_is_a_warning(validate):
    """41050 Flood prevention/control was withdrawn by the DAC at the end of 2017."""
    sectors = AGRICULTURE.replace('code="31166"', 'code="41050"')
    report = validate(activities_file(activity(sectors=sectors)))
    assert report.ok
    assert only(report, "codelist").message == "41050 is a withdrawn code of Sector"


def test_codes_of_the_iati_files_unknown_and_withdrawn(validate):
    """Currency LTL (litas, replaced by the euro) is withdrawn; ZZ is no country; 14 no
    transaction type; transaction 2 of 3 carries the bad type."""
    bad = transaction("2", "2024-01-20") + transaction("14") + transaction("3", "2024-09-30")
    report = validate(activities_file(activity(recipient='<recipient-country code="ZZ"/>', transactions=bad)))
    messages = {(f.severity, f.message, f.path) for f in codelist_findings(report)}
    assert ("error", "ZZ is not a code of Country", "recipient-country/@code") in messages
    assert ("error", "14 is not a code of TransactionType", "transaction[2]/transaction-type/@code") in messages
    litas = transaction().replace('currency="EUR"', 'currency="LTL"')
    withdrawn = only(validate(activities_file(activity(transactions=litas))), "codelist")
    assert (withdrawn.severity, withdrawn.message) == ("warning", "LTL is a withdrawn code of Currency")


def test_a_dac_country_code_is_not_a_region(validate):
    """253 is Malawi's DAC recipient code, not a region of vocabulary 1."""
    report = validate(activities_file(activity(recipient='<recipient-region code="253" vocabulary="1"/>')))
    assert only(report, "codelist").message == "253 is not a code of Region"
    assert validate(activities_file(activity(recipient='<recipient-region code="289" vocabulary="1"/>'))).ok


def test_codes_outside_vocabulary_1_are_not_read_as_dac_codes(validate):
    own = '<sector vocabulary="99" code="FL-AGR-01"><narrative>Landbouw</narrative></sector>'
    report = validate(activities_file(activity(sectors=AGRICULTURE + own)))
    assert "codelist" not in rule_ids(report)


def test_dac_lists_come_from_oda(validate):
    wrong = DEFAULTS.replace('<default-flow-type code="10"/>', '<default-flow-type code="99"/>')
    report = validate(activities_file(activity(defaults=wrong)))
    assert only(report, "codelist").message == "99 is not a code of FlowType"


def test_the_database_is_asked_once_per_distinct_code(validate, count_queries):
    many = activities_file(*(activity(f"{MALAWI_AGRICULTURE}-{n}") for n in range(30)))
    with count_queries() as queries:
        report = validate(many)
    assert report.ok and report.checked == 30
    assert queries() < 25  # one batch per DAC list on the first activity, none after


def test_without_a_code_list_folder_one_warning_says_what_was_not_checked(validate):
    report = validate(activities_file(activity(), activity(f"{MALAWI_AGRICULTURE}-2")), codelist_dir=None)
    assert report.ok
    unchecked = [f for f in report.findings if f.rule_id == "codelist"]
    assert len(unchecked) == 1 and unchecked[0].severity == "warning"
    assert unchecked[0].message.startswith("AIDLEDGER_IATI_CODELIST_DIR is not set")
    assert "TransactionType" in unchecked[0].message and "Currency" in unchecked[0].message


def test_a_list_missing_from_the_folder_is_named_once(validate, tmp_path):
    folder = tmp_path / "partial"
    folder.mkdir()
    write_codelist(folder, "Currency", "EUR USD")
    report = validate(activities_file(activity(), activity(f"{MALAWI_AGRICULTURE}-2")), codelist_dir=folder)
    missing = {f.message: f.path for f in report.findings if f.rule_id == "codelist"}
    assert missing["TransactionType.xml is not in AIDLEDGER_IATI_CODELIST_DIR: TransactionType codes were not "
                   "checked"] == "transaction/transaction-type/@code"
    assert not any(m.startswith("Currency") for m in missing)


def test_organisation_file_codes(validate):
    wrong = organisation().replace('<recipient-country code="MW"/>', '<recipient-country code="MWI"/>')
    report = validate(organisations_file(wrong), "organisations")
    failed = only(report, "codelist")
    assert failed.message == "MWI is not a code of Country"
    assert failed.path == "recipient-country-budget/recipient-country/@code"


def test_a_broken_code_list_file_is_named(validate, tmp_path):
    from exports.iati.codelists import CodelistError

    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "Currency.xml").write_text("<codelist name='Currency'><codelist-items>")
    with pytest.raises(CodelistError, match="Currency.xml: not a well-formed IATI code list"):
        validate(activities_file(activity()), codelist_dir=folder)
