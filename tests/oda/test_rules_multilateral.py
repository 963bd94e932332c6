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
    assert result.result == FAIL and result.share == 0
    assert "2019 (curated), 2020 (official)" in result.reason


def test_core_contribution_to_an_organisation_without_coefficient_is_not_oda_and_says_how_to_fix_it():
    """No entry for the year or an earlier year, curated or official: not reportable as multilateral ODA."""
    result = multilateral.check(context(facts(UNESCO_CORE, channel_code="47149", bi_multi=None), 2024))
    assert result.result == FAIL and result.share == 0
    assert "not reportable as multilateral ODA" in result.reason
    assert "flask --app wsgi reference load FILE" in result.reason and "officer" in result.reason


def test_a_coefficient_not_assessed_needs_review():
    snapshot = curated_snapshot()
    unassessed = type(snapshot)(version=3, codes=snapshot.codes, annex2={
        "41304": [Annex2Info("41304", 2019, None, "UNESCO", "official", "B02", "UNESCO")]})
    result = multilateral.check(context(UNESCO_CORE, 2019, snapshot=unassessed))
    assert result.result == UNKNOWN
    assert "not assessed" in result.reason


def test_bi_multi_is_derived_from_the_aid_type_when_the_activity_leaves_it_empty():
    result = multilateral.check(context(facts(CERF_CORE, bi_multi=None), 2019))
    assert result.result == PASS and result.share == Decimal("1") and result.facts["bi_multi"] == "2"
    assert multilateral.check(context(facts(FUT_INSTALMENT, bi_multi=None), 2023)).facts["bi_multi"] == "1"


def test_a_stated_bi_multi_that_contradicts_the_aid_type_is_a_finding_with_a_reason():
    core_as_bilateral = multilateral.check(context(facts(CERF_CORE, bi_multi="1"), 2019))
    assert core_as_bilateral.result == UNKNOWN
    assert "states bi/multi 1 Bilateral, but aid type B02 is reported as 2 Multilateral" in core_as_bilateral.reason
    project_as_multilateral = multilateral.check(context(facts(CERF_CORE, aid_type="C01"), 2019))
    assert project_as_multilateral.result == UNKNOWN and "leave it empty" in project_as_multilateral.reason


def test_triangular_co_operation_stated_on_a_project_is_kept():
    result = multilateral.check(context(facts(FUT_INSTALMENT, aid_type="C01", bi_multi="8"), 2023))
    assert result.result == PASS and result.facts["bi_multi"] == "8"


def test_core_contribution_without_channel_needs_review():
    assert multilateral.check(context(facts(CERF_CORE, channel_code=None), 2019)).result == UNKNOWN


def test_b022_sub_code_is_a_core_contribution_too():
    result = multilateral.check(context(facts(CERF_CORE, aid_type="B022"), 2023))
    assert result.result == PASS and result.share == Decimal("1")
