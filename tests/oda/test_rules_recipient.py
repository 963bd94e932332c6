"""Rule 4: the DAC List of ODA Recipients in the reporting year."""
import pytest

from oda.rules import recipient
from oda.rules.base import FAIL, PASS, UNKNOWN
from oda.rules.reference import EligibilityInfo
from tests.builders.oda import (ADMIN_COSTS_FLANDERS, ANTIGUA_PROJECT, CHILE_PROJECT, MALAWI_MARKET_ACCESS,
                                context, curated_snapshot, facts)


def test_malawi_is_on_the_list_as_a_least_developed_country():
    result = recipient.check(context(MALAWI_MARKET_ACCESS, 2019))
    assert result.result == PASS
    assert "Malawi (253)" in result.reason and "LDC" in result.reason


def test_chile_graduated_in_2018_so_a_2019_project_there_is_not_oda():
    result = recipient.check(context(CHILE_PROJECT, 2019))
    assert result.result == FAIL
    assert "graduated from the list on 1 January 2018" in result.reason


def test_antigua_and_barbuda_counts_in_2021_but_not_from_its_2022_graduation():
    assert recipient.check(context(ANTIGUA_PROJECT, 2021)).result == PASS
    after = recipient.check(context(ANTIGUA_PROJECT, 2022))
    assert after.result == FAIL
    assert "1 January 2022" in after.reason


def test_the_cook_islands_left_the_list_in_2020():
    cook = facts(recipient_code="831")
    assert recipient.check(context(cook, 2019)).result == PASS
    assert recipient.check(context(cook, 2020)).result == FAIL


def test_nauru_stays_on_the_2024_2025_list_and_leaves_in_2026():
    nauru = facts(recipient_code="845")
    assert recipient.check(context(nauru, 2025)).result == PASS
    assert recipient.check(context(nauru, 2026)).result == FAIL


@pytest.mark.parametrize("code", ["1029", "289", "298", "998"])
def test_regional_and_unspecified_codes_pass(code):
    assert recipient.check(context(facts(recipient_code=code), 2023)).result == PASS


def test_a_missing_recipient_needs_review():
    result = recipient.check(context(facts(recipient_code=None), 2023))
    assert result.result == UNKNOWN
    assert "No recipient" in result.reason


def test_admin_costs_in_flanders_use_998():
    assert recipient.check(context(ADMIN_COSTS_FLANDERS, 2023)).result == PASS


def test_in_donor_costs_with_a_regional_code_need_review():
    result = recipient.check(context(facts(ADMIN_COSTS_FLANDERS, recipient_code="1029"), 2023))
    assert result.result == UNKNOWN
    assert "998 or the country of origin" in result.reason


def test_scholarships_in_flanders_take_the_students_country_of_origin():
    students = facts(ADMIN_COSTS_FLANDERS, aid_type="E01", recipient_code="259", purpose_code="11420")
    result = recipient.check(context(students, 2022))
    assert result.result == PASS
    assert "country of origin" in result.reason


def test_an_unknown_code_needs_review_rather_than_failing():
    assert recipient.check(context(facts(recipient_code="9999"), 2023)).result == UNKNOWN


def test_a_country_without_any_list_for_the_year_needs_review():
    result = recipient.check(context(facts(recipient_code="253"), 2029))
    assert result.result == UNKNOWN
    assert "flask --app wsgi reference load recipients.csv --list-years" in result.reason


def test_a_country_missing_from_a_complete_official_list_fails():
    snapshot = curated_snapshot()
    official = type(snapshot)(version=2, codes=snapshot.codes, recipients=snapshot.recipients,
                              eligibility={"253": [EligibilityInfo("253", 2028, 2030, True, "LDC", "DAC List",
                                                                   "official")]})
    result = recipient.check(context(facts(recipient_code="218"), 2029, snapshot=official))
    assert result.result == FAIL
