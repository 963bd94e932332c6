"""Rule 6: purpose code, aid type and channel must be valid codes in the reporting year."""
from oda.rules import codes
from oda.rules.base import PASS, UNKNOWN
from tests.builders.oda import FUT_INSTALMENT, MALAWI_PREPAREDNESS_OLD_CODE, context, facts


def test_valid_codes_pass():
    assert codes.check(context(facts(), 2021)).result == PASS


def test_a_withdrawn_purpose_code_needs_review_naming_the_code():
    result = codes.check(context(MALAWI_PREPAREDNESS_OLD_CODE, 2019))
    assert result.result == UNKNOWN
    assert "purpose code 74010" in result.reason.lower() and "withdrawn on 2017-12-31" in result.reason


def test_a_code_withdrawn_at_the_end_of_a_year_is_still_valid_for_that_year():
    assert codes.check(context(MALAWI_PREPAREDNESS_OLD_CODE, 2017)).result == PASS


def test_a_code_withdrawn_during_the_year_is_not_valid_for_that_years_report():
    """15120 was withdrawn on 2020-02-28: fine for 2019 flows, not for 2020."""
    public_finance = facts(purpose_code="15120")
    assert codes.check(context(public_finance, 2019)).result == PASS
    assert codes.check(context(public_finance, 2020)).result == UNKNOWN


def test_a_purpose_code_not_yet_in_use_needs_review():
    result = codes.check(context(facts(purpose_code="74020"), 2017))
    assert result.result == UNKNOWN
    assert "in use only from 2018-01-01" in result.reason


def test_an_unknown_aid_type_and_channel_are_both_named():
    result = codes.check(context(facts(aid_type="Z99", channel_code="99999"), 2021))
    assert result.result == UNKNOWN
    assert "aid type z99" in result.reason.lower() and "channel 99999" in result.reason


def test_missing_codes_need_review():
    result = codes.check(context(facts(purpose_code=None), 2021))
    assert result.result == UNKNOWN
    assert "purpose code is missing" in result.reason


def test_a_sub_code_used_before_it_existed_is_reported_as_its_parent():
    """FUT instalment coded B033 (in use from 2022) in 2019: reported as B03 that year."""
    result = codes.check(context(FUT_INSTALMENT, 2019))
    assert result.result == PASS
    assert "reported as its parent B03" in result.reason
    assert result.facts["aid_types"]["report_as"] == "B03"


def test_channel_activation_dates_are_not_held_against_the_2019_annex_2_channels():
    """IATI dates CERF's 41147 from 2020, but the DAC's own 2019 table lists it."""
    assert codes.check(context(facts(channel_code="41147"), 2019)).result == PASS
