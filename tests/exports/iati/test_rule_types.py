"""One test per rule type of the IATI standard ruleset: a small failing and a small passing
Flemish document, each breaking one of the ruleset's own cases (ids, severities and
messages as the ruleset states them)."""
import json

import pytest

from exports.iati.rule_types import EVALUATORS, LOOP, IdSets
from exports.iati.ruleset import RULESET_FILE, RulesetError, parse_ruleset
from tests.builders.iati import (AGRICULTURE, BUDGET_2024, FLANDERS, MALAWI_AGRICULTURE, SCHEMAS, activities_file,
                                 activity, cerf_core, only, organisation, organisations_file, rule_ids, transaction,
                                 write_codelist)
from tests.builders.reference import needs_shared

pytestmark = needs_shared


def standard_ruleset() -> dict:
    return json.loads((SCHEMAS / RULESET_FILE).read_text(encoding="utf-8"))


def rule_types_of(document: dict) -> set[str]:
    used = set()
    for rules in document.values():
        for rule_type, body in rules.items():
            used.add(rule_type)
            for case in body["cases"]:
                used |= set(case.get("do", {}))
    return used


def test_every_rule_type_of_the_standard_ruleset_is_evaluated():
    used = rule_types_of(standard_ruleset())
    assert used == {"atleast_one", "date_order", "if_then", "regex_matches", "no_spaces", "time_limit",
                    "no_more_than_one", "startswith", "one_or_all", "date_now", "loop", "unique", "strict_sum",
                    "range", "between_dates"}, "the ruleset file changed: check every rule type is evaluated"
    assert used <= set(EVALUATORS) | {LOOP}
    for kind in ("activities", "organisations"):
        assert parse_ruleset(standard_ruleset(), kind).contexts


def test_a_rule_type_we_do_not_know_stops_loading_loudly():
    document = {"/iati-activities/iati-activity": {"exactly_two": {"cases": [
        {"paths": ["title"], "ruleInfo": {"id": "99.1.1", "severity": "error", "message": "two titles"}}]}}}
    with pytest.raises(RulesetError, match="exactly_two"):
        parse_ruleset(document, "activities")


def test_atleast_one_a_start_date(validate):
    dates = '<activity-date iso-date="2026-12-31" type="3"/>'
    failed = only(validate(activities_file(activity(dates=dates))), "6.11.1")
    assert failed.severity == "error" and failed.identifier == MALAWI_AGRICULTURE
    assert failed.message == "The activity must have a planned start date or an actual start date."
    assert failed.path == "activity-date[@type='1' or @type='2']"
    assert failed.link == "https://iatistandard.org/en/guidance/standard-guidance/activity-dates-status/"
    actual_only = '<activity-date iso-date="2022-03-01" type="2"/>' + dates
    assert validate(activities_file(activity(dates=actual_only))).ok


def test_date_order_planned_start_before_planned_end(validate):
    swapped = ('<activity-date iso-date="2027-01-01" type="1"/><activity-date iso-date="2022-03-01" type="2"/>'
               '<activity-date iso-date="2026-12-31" type="3"/>')
    failed = only(validate(activities_file(activity(dates=swapped))), "11.1.2")
    assert failed.message == "The planned start date of the activity must be before the planned end date."
    same_day = swapped.replace("2027-01-01", "2026-12-31")
    assert "11.1.2" not in rule_ids(validate(activities_file(activity(dates=same_day))))


def test_date_order_against_now_no_disbursement_in_the_future(validate):
    future = transaction("3", "2099-03-15")
    report = validate(activities_file(activity(transactions=future)))
    assert {"11.2.1", "11.2.2"} <= rule_ids(report)
    assert only(report, "11.2.1").message == "The transaction date must not be in the future."


def test_if_then_a_single_country_is_100_percent(validate):
    half = '<recipient-country code="MW" percentage="50"/>'
    failed = only(validate(activities_file(activity(recipient=half))), "3.1.4")
    assert failed.message.startswith("When a single recipient country is declared, the percentage must")
    assert validate(activities_file(activity(recipient='<recipient-country code="MW"/>'))).ok


def test_regex_matches_no_slash_in_the_identifier(validate):
    report = validate(activities_file(activity(f"{FLANDERS}-MWI/CSP3-AGR")))
    failed = only(report, "1.3.13")
    assert failed.severity == "warning" and report.ok
    assert failed.message == "The iati-identifier must not contain any of the symbols /, &, | or ?."
    assert "1.3.13" not in rule_ids(validate(activities_file(activity(f"{FLANDERS}-MWI_CSP3-AGR.2024"))))


def test_no_spaces_around_the_identifier(validate):
    failed = only(validate(activities_file(activity(f" {MALAWI_AGRICULTURE}\n"))), "1.3.1")
    assert failed.severity == "warning" and failed.identifier == MALAWI_AGRICULTURE
    assert failed.path == "iati-identifier"
    assert "1.3.1" not in rule_ids(validate(activities_file(activity(MALAWI_AGRICULTURE))))


def test_time_limit_a_budget_of_at_most_a_year(validate):
    eighteen_months = BUDGET_2024.replace("2024-12-31", "2025-06-30")
    failed = only(validate(activities_file(activity(budgets=eighteen_months))), "7.5.3")
    assert failed.message == "Budget Period must not be longer than one year."
    assert failed.path == "budget/period-start/@iso-date"
    leap_year = BUDGET_2024  # 2024-01-01 … 2024-12-31: 365 days
    assert "7.5.3" not in rule_ids(validate(activities_file(activity(budgets=leap_year))))


def test_no_more_than_one_dac_aid_type(validate):
    two = ('<collaboration-type code="1"/><default-flow-type code="10"/><default-finance-type code="110"/>'
           '<default-aid-type code="C01" vocabulary="1"/><default-aid-type code="B02" vocabulary="1"/>'
           '<default-tied-status code="5"/>')
    failed = only(validate(activities_file(activity(defaults=two))), "107.1.2")
    assert failed.severity == "warning"
    earmarked = two.replace('<default-aid-type code="B02" vocabulary="1"/>',
                            '<default-aid-type code="1" vocabulary="2"/>')
    assert "107.1.2" not in rule_ids(validate(activities_file(activity(defaults=earmarked))))


def test_startswith_the_identifier_begins_with_the_reporting_organisation(validate):
    report = validate(activities_file(activity("BE-BCE_KBO-0316381039-MWI-AGR")))
    assert only(report, "1.1.21").severity == "warning"
    previous_id = '<other-identifier ref="BE-BCE_KBO-0316381039" type="B1"/>'
    report = validate(activities_file(activity("BE-BCE_KBO-0316381039-MWI-AGR", after_participants=previous_id)))
    assert "1.1.21" not in rule_ids(report)


def test_startswith_an_approved_registration_agency(validate, codelists, tmp_path):
    stray = activity(reporting_org='<reporting-org ref="FL-70" type="10"><narrative>Vlaanderen</narrative>'
                                   '</reporting-org>')
    failed = only(validate(activities_file(stray)), "1.14.8")
    assert failed.message == "The reporting organisation id must start with an approved agency code."
    assert "1.14.8" not in rule_ids(validate(activities_file(activity())))
    without_agencies = tmp_path / "lists"
    without_agencies.mkdir()
    write_codelist(without_agencies, "Currency", "EUR")
    not_checked = only(validate(activities_file(activity()), codelist_dir=without_agencies), "1.14.8")
    assert not_checked.severity == "warning" and not_checked.message.startswith("not checked")


def test_one_or_all_a_default_currency_or_one_on_every_value(validate):
    attributes = 'last-updated-datetime="2025-01-15T10:00:00Z" xml:lang="en"'
    no_currency = transaction().replace(' currency="EUR"', "")
    failed = only(validate(activities_file(activity(attributes=attributes, transactions=no_currency))), "7.8.1")
    assert failed.message.startswith("The activity should specify a default currency OR")
    assert "7.8.1" not in rule_ids(validate(activities_file(activity(attributes=attributes))))


def test_one_or_all_a_default_language_or_one_on_every_narrative(validate):
    attributes = 'last-updated-datetime="2025-01-15T10:00:00Z" default-currency="EUR"'
    assert "4.1.1" in rule_ids(validate(activities_file(activity(attributes=attributes))))
    every_narrative = activities_file(activity(attributes=attributes)).replace(b"<narrative>",
                                                                              b'<narrative xml:lang="en">')
    assert "4.1.1" not in rule_ids(validate(every_narrative))


def test_date_now_last_updated_not_in_the_future(validate):
    attributes = 'last-updated-datetime="2099-01-15T10:00:00+01:00" xml:lang="en" default-currency="EUR"'
    failed = only(validate(activities_file(activity(attributes=attributes))), "11.1.1")
    assert failed.message == "The last updated datetime of the activity must not be in the future."
    yesterday = attributes.replace("2099-01-15T10:00:00+01:00", "2025-01-15")
    assert "11.1.1" not in rule_ids(validate(activities_file(activity(attributes=yesterday))))


def test_loop_each_sector_of_a_vocabulary_has_a_percentage(validate):
    categories = '<sector vocabulary="2" code="311" percentage="60"/><sector vocabulary="2" code="740"/>'
    failed = only(validate(activities_file(activity(sectors=AGRICULTURE + categories))), "2.1.1")
    assert failed.path == "sector[@vocabulary = '2']"
    assert failed.message.startswith("When multiple sectors, within a vocabulary (e.g. 1 - OECD DAC) are declared")
    whole = categories.replace('code="740"', 'code="740" percentage="40"')
    assert validate(activities_file(activity(sectors=AGRICULTURE + whole))).ok


def test_loop_substitutes_only_the_keys_named_in_subs(validate):
    """Case 2.1.2 in the loop substitutes its paths but not its condition, so, as in the
    IATI Validator, it never applies: percentages of vocabulary 2 adding up to 90 pass."""
    categories = ('<sector vocabulary="2" code="311" percentage="60"/>'
                  '<sector vocabulary="2" code="740" percentage="30"/>')
    assert "2.1.2" not in rule_ids(validate(activities_file(activity(sectors=AGRICULTURE + categories))))


def test_loop_value_from_the_file_is_never_pasted_into_an_xpath(validate):
    hostile = "<sector vocabulary=\"2' or '1'='1\" code=\"311\" percentage=\"60\"/>"
    report = validate(activities_file(activity(sectors=AGRICULTURE + hostile)))
    assert report.checked == 1 and "2.1.4" in rule_ids(report)


def test_unique_the_identifier_is_not_the_organisation_identifier(validate):
    failed = only(validate(activities_file(activity(FLANDERS))), "1.1.3")
    assert failed.message.startswith("The activity identifier must be different to the organisation identifier")
    assert "1.1.3" not in rule_ids(validate(activities_file(activity(f"{FLANDERS}-70"))))


def test_strict_sum_dac_sector_percentages_make_100(validate):
    short = AGRICULTURE.replace('percentage="40"', 'percentage="30"')
    failed = only(validate(activities_file(activity(sectors=short))), "2.1.2")
    assert failed.message.startswith("Percentage values for sectors, within a vocabulary")
    decimals = ('<sector vocabulary="1" code="31120" percentage="33.33"/><sector vocabulary="1" code="31166" '
                'percentage="66.67"/>')
    assert validate(activities_file(activity(sectors=decimals))).ok


def test_range_a_sector_percentage_from_0_to_100(validate):
    out_of_range = AGRICULTURE.replace('"60"', '"120"').replace('"40"', '"-20"')
    report = validate(activities_file(activity(sectors=out_of_range)))
    assert only(report, "12.3.1").message == "The sector percentage value must be between 0.0 and 100.0 (inclusive)."
    bounds = AGRICULTURE.replace('"60"', '"100"').replace('"40"', '"0"')
    assert "12.3.1" not in rule_ids(validate(activities_file(activity(sectors=bounds))))


def test_between_dates_a_budget_line_within_its_period(validate):
    late_line = organisation().replace('<budget-line ref="AGR"><value value-date="2024-01-01">',
                                       '<budget-line ref="AGR"><value value-date="2025-02-01">')
    failed = only(validate(organisations_file(late_line), "organisations"), "11.3.1")
    assert failed.identifier == FLANDERS and failed.path == "recipient-country-budget/budget-line/value/@value-date"
    assert "11.3.1" not in rule_ids(validate(organisations_file(organisation()), "organisations"))


def test_cerf_core_contribution_with_a_region_passes(validate):
    report = validate(activities_file(activity(), cerf_core()))
    assert report.ok and report.checked == 2 and not report.findings


# --- the rule types the standard ruleset does not use (IATI-Rulesets meta_tests) --------

def failures(rule_type: str, case: dict, unit_xml: str) -> list:
    from lxml import etree

    case = case | {"ruleInfo": {"id": "meta", "severity": "error", "message": rule_type}}
    ruleset = parse_ruleset({"//iati-activity": {rule_type: {"cases": [case]}}}, "activities")
    return list(ruleset.failures(etree.fromstring(unit_xml), IdSets()))


def test_only_one_of_country_at_activity_or_transaction_level():
    case = {"excluded": ["recipient-region", "recipient-country"],
            "paths": ["transaction/recipient-country", "transaction/recipient-region"]}
    activity_level = '<iati-activity><recipient-country code="MW"/><recipient-region code="289"/></iati-activity>'
    one_transaction = '<iati-activity><transaction><recipient-country code="MW"/></transaction></iati-activity>'
    two_transactions = ('<iati-activity><transaction><recipient-country code="MW"/></transaction><transaction>'
                        '<recipient-region code="289"/></transaction></iati-activity>')
    assert not failures("only_one_of", case, activity_level)
    assert not failures("only_one_of", case, one_transaction)
    assert failures("only_one_of", case, two_transactions)


def test_dependent_title_and_description_together():
    case = {"paths": ["title", "description"]}
    assert failures("dependent", case, "<iati-activity><title/></iati-activity>")
    assert not failures("dependent", case, "<iati-activity><title/><description/></iati-activity>")
    assert not failures("dependent", case, "<iati-activity/>")


def test_sum_of_the_values_present():
    case = {"paths": ["budget/value"], "sum": 9}
    assert failures("sum", case, "<iati-activity><budget><value>5.4</value></budget><budget><value>3.4</value>"
                                 "</budget></iati-activity>")
    assert not failures("sum", case, "<iati-activity><budget><value>5.6</value></budget><budget><value>3.4</value>"
                                     "</budget></iati-activity>")
    assert not failures("sum", case, "<iati-activity/>")


def test_regex_no_matches():
    case = {"paths": ["iati-identifier"], "regex": "[/&|?]"}
    assert failures("regex_no_matches", case, "<iati-activity><iati-identifier>A/B</iati-identifier></iati-activity>")
    assert not failures("regex_no_matches", case, f"<iati-activity><iati-identifier>{MALAWI_AGRICULTURE}"
                                                  "</iati-identifier></iati-activity>")



def test_no_whitespace_character_beyond_the_screened_ones():
    from exports.iati.ruleset import WHITESPACE

    assert not [c for c in map(chr, range(0x3001, 0x110000)) if c.isspace()]
    assert "\u00a0" in WHITESPACE and "\u3000" in WHITESPACE and " " in WHITESPACE


def test_screening_cases_together_finds_exactly_what_one_by_one_finds():
    from lxml import etree

    documents = [activity(), activity(dates='<activity-date iso-date="2026-12-31" type="3"/>'),
                 activity(recipient="", sectors=""), activity(participants='<participating-org role="1"/>'),
                 activity(transactions=transaction(extra='<sector vocabulary="1" code="31120"/>')),
                 activity(sectors='<sector vocabulary="98" code="X"/><sector vocabulary="1" code="31120"/>'),
                 activity(recipient='<recipient-country code="MW"/><recipient-country code="MZ"/>'),
                 activity(f"\u00a0{MALAWI_AGRICULTURE}"), activity(f"{MALAWI_AGRICULTURE}\u3000"),
                 activity(after_participants='<other-identifier ref="BE-BCE_KBO-0316381039 " type="B1"/>'
                                             '<other-identifier ref=" X" type="A3"/>')]
    together, alone = parse_ruleset(standard_ruleset(), "activities"), parse_ruleset(standard_ruleset(),
                                                                                     "activities", screen=False)
    assert any(context.screen for context in together.contexts)
    for document in documents:
        unit = etree.fromstring(document)
        found = sorted((f.info.rule_id, f.where) for f in together.failures(unit, IdSets()))
        assert found == sorted((f.info.rule_id, f.where) for f in alone.failures(unit, IdSets()))
    assert len({tuple(sorted(f.info.rule_id for f in together.failures(etree.fromstring(d), IdSets())))
                for d in documents}) == len(documents)
