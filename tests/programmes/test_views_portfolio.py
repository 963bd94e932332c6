"""The start page: every visible programme with its totals from the projection, filters, alerts."""
import re
from datetime import date
from decimal import Decimal

import pytest

from app.auth.roles import Role
from programmes.models import ProgrammeYearTotal
from programmes.services.programmes import create_programme
from tests.builders import programmes as b
from tests.builders.web import seed_portfolio, web  # noqa: F401


def _row_of(html: str, code: str) -> str:
    """The table row of one programme (from its code to the end of the row)."""
    start = html.index(f"{code} ·")
    return html[start:html.index("</tr>", start)]


def test_empty_portfolio_explains_how_to_get_data(web):
    client = web.signed_in(Role.ADMIN)
    html = client.get("/").get_data(as_text=True)
    assert "No programmes yet: run flask --app wsgi demo load or import programmes" in html
    assert "<table" not in html


def test_portfolio_shows_year_and_period_totals_from_the_projection(web):
    web.seed(seed_portfolio)
    web.dispatch()
    client = web.signed_in(Role.VIEWER)
    html = client.get("/?year=2020").get_data(as_text=True)
    malawi = _row_of(html, "MWI-CSP3")
    # 2020: planned 5 M, nothing committed, 350,000.20 disbursed less a 10,000.05 refund
    assert "€5,000,000.00" in malawi and "€340,000.15" in malawi and "6.8%" in malawi
    # whole period: 25 M planned, 740,000.25 disbursed (commitments are shown per year)
    assert "€25,000,000.00" in malawi and "€740,000.25" in malawi and "3.0%" in malawi
    assert "€1,600,000.00" in _row_of(client.get("/?year=2019").get_data(as_text=True), "MWI-CSP3")
    assert "Country programme" in malawi and "253" in malawi and "Development cooperation" in malawi
    mozambique = _row_of(html, "MOZ-CSP4")
    assert "€0.00" in mozambique and "–" in mozambique, "no plan: no burn rate, never a division by zero"


def test_totals_come_from_the_projection_not_from_the_ledger(web):
    ids = web.seed(seed_portfolio)
    web.dispatch()

    def book_more(session):
        from programmes.models import Activity

        b.disburse(session, session.get(Activity, ids["activity"]), date(2020, 10, 1), "1000000.00", "B-2020-0999")

    web.seed(book_more)
    client = web.signed_in(Role.VIEWER)
    assert "€340,000.15" in _row_of(client.get("/?year=2020").get_data(as_text=True), "MWI-CSP3")
    web.dispatch()
    assert "€1,340,000.15" in _row_of(client.get("/?year=2020").get_data(as_text=True), "MWI-CSP3")


def test_portfolio_reads_a_fixed_number_of_queries_whatever_the_number_of_programmes(web, count_queries):
    web.seed(seed_portfolio)
    web.dispatch()
    client = web.signed_in(Role.ADMIN)
    with count_queries() as few:
        client.get("/")
    web.seed(lambda s: [b.multilateral_portfolio(s)] + [
        create_programme(s, code=f"HUM-{n}", name=f"Humanitarian envelope {n}", kind="humanitarian",
                           start_year=2020, end_year=2024, policy_area="development_cooperation")
        for n in range(5)])
    with count_queries() as many:
        html = client.get("/").get_data(as_text=True)
    assert "HUM-4" in html
    assert many() == few()


def test_programme_manager_sees_only_their_programmes(web):
    ids = web.seed(seed_portfolio)
    web.dispatch()
    html = web.signed_in(Role.PROGRAMME_MANAGER, ids["mozambique"]).get("/").get_data(as_text=True)
    assert "MOZ-CSP4" in html
    assert "MWI-CSP3" not in html


def test_dutch_users_see_dutch_number_formats(web):
    web.seed(seed_portfolio)
    web.dispatch()
    html = web.signed_in(Role.FINANCE, locale="nl").get("/?year=2019").get_data(as_text=True)
    row = _row_of(html, "MWI-CSP3")
    assert "€\xa05.000.000,00" in row and "€\xa0400.000,10" in row and "8,0%" in row


def test_nonsense_year_falls_back_to_this_year(web):
    client = web.signed_in(Role.VIEWER)
    for year in ("abc", "-1", "99999999999999999999", "2019; DROP TABLE programmes"):
        response = client.get("/", query_string={"year": year})
        assert response.status_code == 200
        assert f'value="{date.today().year}"' in response.get_data(as_text=True)


def test_start_page_opens_on_the_latest_year_with_plans_or_spending_and_remembers_the_choice(web):
    ids = web.seed(seed_portfolio)  # Malawi planned 2019–2023 and spent 2019–2020; Mozambique nothing yet
    web.dispatch()
    client = web.signed_in(Role.VIEWER)
    opened = client.get("/").get_data(as_text=True)
    assert 'id="year" name="year" type="number" min="1900" max="2200" value="2023"' in opened
    assert "Planned in 2023" in opened
    assert 'value="2021"' in client.get("/?year=2021").get_data(as_text=True)
    assert "Planned in 2021" in client.get("/").get_data(as_text=True), "the reader's choice is remembered"
    assert "Planned in 2021" in client.get("/?year=nonsense").get_data(as_text=True)
    manager = web.signed_in(Role.PROGRAMME_MANAGER, ids["mozambique"])
    assert f"Planned in {date.today().year}" in manager.get("/").get_data(as_text=True), \
        "nothing planned in the programmes in scope: this year"
    budget = client.get("/exports/budget").get_data(as_text=True)
    assert 'name="to" type="number" min="1990" max="2100" value="2021"' in budget, "budget execution shares the choice"
    fresh = web.signed_in(Role.FINANCE).get("/exports/budget").get_data(as_text=True)
    assert 'name="to" type="number" min="1990" max="2100" value="2023"' in fresh


def test_figures_of_programmes_out_of_scope_never_reach_the_page(web):
    ids = web.seed(seed_portfolio)
    web.dispatch()
    totals = web.query(lambda s: s.get(ProgrammeYearTotal, (ids["malawi"], 2019)))
    assert totals.planned == Decimal("5000000.00")
    html = web.signed_in(Role.PROGRAMME_MANAGER, ids["mozambique"]).get("/?year=2019").get_data(as_text=True)
    assert "€5,000,000.00" not in html


# --- filters and alerts ------------------------------------------------------------------------

def _codes(html: str) -> list[str]:
    return re.findall(r'<span class="sub">([A-Z0-9-]+) · \d{4}–\d{4}</span>', html)


def _more_programmes(session):
    b.multilateral_portfolio(session)
    create_programme(session, code="FUST", name="Flanders UNESCO Science Trust Fund", kind="multilateral_portfolio",
                     start_year=2019, end_year=2025, policy_area="science_innovation")


def test_filters_by_country_policy_area_and_kind(web):
    web.seed(seed_portfolio)
    web.seed(_more_programmes)
    client = web.signed_in(Role.VIEWER)
    assert _codes(client.get("/").get_data(as_text=True)) == ["FUST", "MOZ-CSP4", "MULTI", "MWI-CSP3"]
    assert _codes(client.get("/?country=253").get_data(as_text=True)) == ["MWI-CSP3"]
    assert _codes(client.get("/?policy_area=science_innovation").get_data(as_text=True)) == ["FUST"]
    assert _codes(client.get("/?kind=multilateral_portfolio").get_data(as_text=True)) == ["FUST", "MULTI"]
    both = client.get("/?kind=multilateral_portfolio&policy_area=development_cooperation")
    assert _codes(both.get_data(as_text=True)) == ["MULTI"]
    none = client.get("/?kind=country_programme&policy_area=science_innovation").get_data(as_text=True)
    assert _codes(none) == [] and "No programme matches these filters" in none


@pytest.mark.parametrize("query", ["country=999", "kind=<script>", "policy_area=" + "x" * 5000, "country=253' OR 1=1"])
def test_unknown_filter_values_mean_any(web, query):
    web.seed(seed_portfolio)
    response = web.signed_in(Role.VIEWER).get("/?" + query)
    assert response.status_code == 200
    assert _codes(response.get_data(as_text=True)) == ["MOZ-CSP4", "MWI-CSP3"]


def test_filter_choices_come_from_the_visible_programmes_only(web):
    ids = web.seed(seed_portfolio)
    html = web.signed_in(Role.PROGRAMME_MANAGER, ids["mozambique"]).get("/").get_data(as_text=True)
    countries = re.search(r'<select id="country".*?</select>', html, re.S).group(0)
    assert 'value="259"' in countries and 'value="253"' not in countries
    assert _codes(web.signed_in(Role.PROGRAMME_MANAGER, ids["mozambique"]).get("/?country=253")
                  .get_data(as_text=True)) == ["MOZ-CSP4"], "a country outside the scope filters nothing in"


def test_overrun_and_missing_rate_alerts(web):
    ids = web.seed(seed_portfolio)

    def overspend(session):
        from programmes.models import Activity

        activity = session.get(Activity, ids["activity"])
        b.disburse(session, activity, date(2021, 3, 1), "5250000.00", "B-2021-BIG")
        b.disburse(session, activity, date(2021, 4, 1), "1000.00", "B-2021-MWK", currency="MWK")

    web.seed(overspend)
    web.dispatch()
    row = _row_of(web.signed_in(Role.VIEWER).get("/?year=2021").get_data(as_text=True), "MWI-CSP3")
    assert "Overrun: €250,000.00 above the plan" in row
    assert "1 transaction without exchange rate" in row


def test_underspending_against_the_time_elapsed(web):
    """2020 is over: 6.8% disbursed of the plan is underspending; 2019 (8%) too, 2023 nothing planned is not."""
    web.seed(seed_portfolio)
    web.dispatch()
    client = web.signed_in(Role.VIEWER)
    row = _row_of(client.get("/?year=2020").get_data(as_text=True), "MWI-CSP3")
    assert "Underspending: 6.8% disbursed, 100.0% of the year gone" in row
    assert "Underspending" not in _row_of(client.get("/?year=2020").get_data(as_text=True), "MOZ-CSP4")
    future = _row_of(client.get(f"/?year={date.today().year + 1}").get_data(as_text=True), "MWI-CSP3")
    assert "badge" not in future


def test_open_oda_reviews_come_from_the_package_that_answers_the_hook(web, monkeypatch):
    ids = web.seed(seed_portfolio)
    from programmes import hooks

    asked = []

    def needs_review_by_programme(session, year, programme_ids):
        asked.append((year, set(programme_ids)))
        return {ids["malawi"]: 3}

    monkeypatch.setattr(hooks.open_reviews, "_answer", needs_review_by_programme)
    html = web.signed_in(Role.VIEWER).get("/?year=2022").get_data(as_text=True)
    assert "3 ODA lines to review" in _row_of(html, "MWI-CSP3")
    assert asked == [(2022, {ids["malawi"], ids["mozambique"]})]


def test_without_an_answer_to_the_hooks_the_overview_shows_no_reviews_and_bare_codes(web, monkeypatch):
    web.seed(seed_portfolio)
    from programmes import hooks

    monkeypatch.setattr(hooks.open_reviews, "_answer", None)
    monkeypatch.setattr(hooks.code_check, "_answer", None)
    html = web.signed_in(Role.VIEWER).get("/?year=2022").get_data(as_text=True)
    assert "MWI-CSP3" in html and "lines to review" not in html


def test_elapsed_share_of_the_year():
    from programmes.services.queries.alerts import elapsed_share

    assert elapsed_share(2023, date(2024, 5, 1)) == 1
    assert elapsed_share(2025, date(2024, 5, 1)) == 0
    assert elapsed_share(2024, date(2024, 12, 31)) == 1
    assert round(elapsed_share(2024, date(2024, 7, 1)), 3) == Decimal("0.500")


def test_the_overview_stays_a_fixed_number_of_queries_with_filters_and_alerts(web, count_queries):
    web.seed(seed_portfolio)
    web.dispatch()
    client = web.signed_in(Role.ADMIN)
    with count_queries() as few:
        client.get("/?year=2021&kind=country_programme")
    web.seed(_more_programmes)
    with count_queries() as many:
        client.get("/?year=2021&kind=country_programme")
    assert many() == few() <= 12


def test_dutch_overview_is_in_dutch(web):
    web.seed(seed_portfolio)
    web.dispatch()
    html = web.signed_in(Role.VIEWER, locale="nl").get("/?year=2020").get_data(as_text=True)
    assert '<html lang="nl-BE">' in html
    assert "Programma's" in html and "Bestedingsgraad" in html and "Landenprogramma" in html
    assert "Onderbesteding: 6,8% uitbetaald, 100,0% van het jaar voorbij" in html
