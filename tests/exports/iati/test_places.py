"""DAC recipient codes as IATI places: countries by ISO alpha-2 (from the ISO table, never by name),
regions as DAC codes."""
from __future__ import annotations

from lxml import etree

from exports.iati.places import iso2_of, places
from tests.builders.oda import load_reference
from tests.builders.reference import SHARED, needs_shared


@needs_shared
def test_every_country_of_the_dac_list_has_an_iati_country_code(session):
    load_reference(session)
    iati_countries, iati_regions = (set(etree.parse(str(SHARED / "iati-codelists" / name)).xpath(
        "//codelist-item/code/text()")) for name in ("Country.xml", "Region.xml"))
    found = places(session)
    countries = {code: p.code for code, p in found.items() if p.element == "country"}
    assert (countries["253"], countries["259"], countries["218"]) == ("MW", "MZ", "ZA")
    assert set(countries.values()) <= iati_countries
    assert {p.code for p in found.values() if p.element == "region"} <= iati_regions
    assert found["998"].element == "region" and found["1027"].element == "region"


def test_iso_alpha_3_to_alpha_2():
    assert (iso2_of("MWI"), iso2_of("moz"), iso2_of("PSE"), iso2_of("XKX")) == ("MW", "MZ", "PS", "XK")
    assert iso2_of("ZZZ") is None and iso2_of(None) is None and iso2_of("") is None
