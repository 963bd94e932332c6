"""IATI names recipient countries by ISO 3166-1 alpha-2; the CRS by DAC recipient code."""
import pytest

from oda.reference.countries import recipient_code_for_country
from oda.reference.services import ensure_curated


@pytest.fixture
def curated(session):
    ensure_curated(session)
    return session


@pytest.mark.parametrize("iso2, dac", [("MZ", "259"), ("mw", "253"), (" ZA ", "218"), ("MA", "136")])
def test_partner_countries_find_their_dac_recipient(curated, iso2, dac):
    assert recipient_code_for_country(curated, iso2) == dac


@pytest.mark.parametrize("iso2", ["BE", "XX", "", "MOZ"])
def test_a_donor_or_unknown_code_has_no_recipient(curated, iso2):
    assert recipient_code_for_country(curated, iso2) is None
