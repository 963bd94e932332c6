"""Purpose codes and sector categories by their Dutch names for a Dutch reader (issue 19), from
the curated list oda/reference/names_nl.csv; English readers, and codes without a Dutch name,
keep the name of the loaded reference list."""
import pytest

from app.auth.roles import Role
from tests.builders.web import seed_portfolio, web  # noqa: F401


@pytest.fixture
def portfolio(web):
    def build(session):
        from oda.reference.services import load_curated

        load_curated(session)
        return seed_portfolio(session)

    web.seed(build)
    web.dispatch()


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_the_activity_page_names_its_purpose_code_in_dutch(web, portfolio):
    page = _page(web.signed_in(Role.ADMIN, locale="nl"), "/activities/MWI-2019-TLC")
    assert "Landbouwontwikkeling" in page and "Agricultural development" not in page


def test_the_purpose_code_picker_finds_landbouw(web, portfolio):
    page = _page(web.signed_in(Role.ADMIN, locale="nl"), "/activities/MWI-2019-TLC")
    options = page[page.index('id="purpose_code-options"'):]
    assert "Landbouwontwikkeling" in options and "Landbouwcoöperaties" in options


def test_the_programme_chart_by_sector_names_the_sector_in_dutch(web, portfolio):
    page = _page(web.signed_in(Role.ADMIN, locale="nl"), "/programmes/MWI-CSP3?stack=sector")
    assert "Landbouw" in page and "Agriculture<" not in page


def test_an_english_reader_keeps_the_official_english_names(web, portfolio):
    page = _page(web.signed_in(Role.ADMIN), "/activities/MWI-2019-TLC")
    assert "Agricultural development" in page and "Landbouwontwikkeling" not in page


def test_every_dutch_name_is_for_a_code_of_the_curated_lists():
    """The list names codes that exist (a typo would silently name nothing)."""
    import csv

    from oda.reference.dutch_names import NAMES_FILE, dutch_names
    from oda.reference.loaders import curated

    parsed = {b.list_name: {r.get("code") for r in b.rows} for p in curated.parse_all() for b in p.batches}
    assert all(code in parsed[list_name] for list_name, code in dutch_names()), "unknown code in names_nl.csv"
    with NAMES_FILE.open(encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == len(dutch_names()), "a code named twice"
