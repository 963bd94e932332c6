"""Rule 5: core contributions take the Annex 2 coefficient; earmarked money counts in full."""
from decimal import Decimal

from oda.rules import multilateral
from oda.rules.base import FAIL, PASS, UNKNOWN
from oda.rules.reference import Annex2Info
from tests.builders.oda import CERF_CORE, FUT_INSTALMENT, UNESCO_CORE, context, curated_snapshot, facts


def test_cerf_core_contribution_is_fully_oda():
    result = multilateral.check(context(CERF_CORE, 2019))
    assert result.result == PASS
    assert result.share == Decimal("1")
    assert "CERF (41147)" in result.reason and "2019 Annex 2 table" in result.reason


def test_unesco_core_contribution_counts_at_its_coefficient():
    result = multilateral.check(context(UNESCO_CORE, 2019))
    assert result.result == PASS
    assert result.share == Decimal("0.6")
    assert "60 %" in result.reason


def test_a_later_year_uses_the_most_recent_earlier_table_and_says_so():
    result = multilateral.check(context(UNESCO_CORE, 2023))
    assert result.share == Decimal("0.6")
    assert "most recent earlier Annex 2 table (2019; none is loaded for 2023)" in result.reason


def test_a_fut_trust_fund_instalment_through_unesco_counts_in_full():
    """Same organisation as the core contribution, but earmarked: bilateral, no coefficient."""
    result = multilateral.check(context(FUT_INSTALMENT, 2023))
    assert result.result == PASS
    assert result.share == Decimal("1")
    assert "does not apply" in result.reason


def test_a_project_channelled_through_a_multilateral_counts_in_full():
    result = multilateral.check(context(facts(UNESCO_CORE, aid_type="C01", bi_multi="1"), 2021))
    assert result.share == Decimal("1")


def test_core_contribution_before_any_loaded_table_needs_review():
    result = multilateral.check(context(UNESCO_CORE, 2018))
    assert result.result == UNKNOWN
    assert "the 2019 table gives 60 %" in result.reason


def test_core_contribution_to_an_organisation_not_on_annex_2_fails_once_an_official_table_is_loaded():
    snapshot = curated_snapshot()
    with_official = type(snapshot)(version=3, codes=snapshot.codes, recipients=snapshot.recipients, annex2={
        **snapshot.annex2, "41147": [Annex2Info("41147", 2020, Decimal("1"), "CERF", "official", "B02", "CERF")]})
    oecd_budget = facts(UNESCO_CORE, channel_code="47000")
    result = multilateral.check(context(oecd_budget, 2021, snapshot=with_official))
    assert result.result == FAIL
    assert "not on Annex 2" in result.reason


def test_not_in_the_curated_subset_needs_review_until_the_official_table_is_loaded():
    result = multilateral.check(context(facts(UNESCO_CORE, channel_code="47000"), 2021))
    assert result.result == UNKNOWN
    assert "load the OECD table" in result.reason


def test_a_coefficient_not_assessed_needs_review():
    snapshot = curated_snapshot()
    unassessed = type(snapshot)(version=3, codes=snapshot.codes, annex2={
        "41304": [Annex2Info("41304", 2019, None, "UNESCO", "official", "B02", "UNESCO")]})
    result = multilateral.check(context(UNESCO_CORE, 2019, snapshot=unassessed))
    assert result.result == UNKNOWN
    assert "not assessed" in result.reason


def test_core_aid_type_needs_bi_multi_2_and_the_reverse():
    assert multilateral.check(context(facts(CERF_CORE, bi_multi="1"), 2019)).result == UNKNOWN
    assert multilateral.check(context(facts(CERF_CORE, aid_type="C01"), 2019)).result == UNKNOWN


def test_core_contribution_without_channel_needs_review():
    assert multilateral.check(context(facts(CERF_CORE, channel_code=None), 2019)).result == UNKNOWN


def test_b022_sub_code_is_a_core_contribution_too():
    result = multilateral.check(context(facts(CERF_CORE, aid_type="B022"), 2023))
    assert result.result == PASS and result.share == Decimal("1")
