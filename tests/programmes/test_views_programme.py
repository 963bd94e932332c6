"""One programme: attributes, totals per year with a chart, budget lines, activities,
and the budget-line form (scoped permission, validation, stale edits)."""
import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.auth.roles import Role
from app.events.models import Event
from programmes.models import BudgetLine, Programme
from programmes.services.activities import create_activity
from programmes.services.programmes import set_budget_line
from tests.builders import programmes as b
from tests.builders.web import csrf_token_from, seed_portfolio, web  # noqa: F401


@pytest.fixture
def portfolio(web):
    ids = web.seed(seed_portfolio)
    web.dispatch()
    return ids


def _line(web, programme_id, year, sector=""):
    return web.query(lambda s: s.scalar(select(BudgetLine).where(
        BudgetLine.programme_id == programme_id, BudgetLine.year == year, BudgetLine.sector == sector)))


def _event_count(web) -> int:
    return web.query(lambda s: s.scalar(select(func.count()).select_from(Event)))


def _activities_region(html: str) -> str:
    start = html.index('id="activities-region"')
    return html[start:html.index("</section>", start)]


def _error_of(html: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


def test_programme_page_shows_attributes_totals_chart_lines_and_activities(web, portfolio):
    html = web.signed_in(Role.VIEWER).get("/programmes/MWI-CSP3").get_data(as_text=True)
    assert "Malawi country programme 2019–2023" in html
    assert "2019–2023" in html and "311, 43040" in html and "Development cooperation" in html
    year_2019 = html[html.index('<th scope="row">2019'):]
    year_2019 = year_2019[:year_2019.index("</tr>")]
    assert ["€5,000,000.00", "€1,600,000.00", "€400,000.10", "8.0%"] == re.findall(r'class="num">([^<]+)<', year_2019)
    assert 'class="bar bar-planned" width="100.0%"' in html
    assert 'class="bar bar-committed" width="32.0%"' in html
    assert "Planned: </span>€5,000,000.00" in html, "each bar states its value for screen readers"
    assert "MWI-2019-TLC" in html and "Market access for smallholder farmers" in html
    assert html.count("whole programme") == 5


def test_viewer_and_finance_see_no_budget_form_and_cannot_post_one(web, portfolio):
    for role in (Role.VIEWER, Role.FINANCE, Role.ODA_OFFICER):
        client = web.signed_in(role)
        assert 'id="budget-form"' not in client.get("/programmes/MWI-CSP3").get_data(as_text=True)
        response = client.post("/programmes/MWI-CSP3/budget-lines", data={"year": "2021", "planned_amount": "1.00"})
        assert response.status_code == 403
    assert _line(web, portfolio["malawi"], 2021).planned_amount == Decimal("5000000.00")


def test_unknown_programme_is_404_for_reading_and_editing(web, portfolio):
    client = web.signed_in(Role.ADMIN)
    assert client.get("/programmes/NOPE").status_code == 404
    assert client.get("/programmes/" + "X" * 5000).status_code == 404
    assert client.post("/programmes/NOPE/budget-lines", data={"year": "2021"}).status_code == 404


def test_own_programme_manager_changes_a_budget_line(web, portfolio):
    client = web.signed_in(Role.PROGRAMME_MANAGER, portfolio["malawi"])
    line = _line(web, portfolio["malawi"], 2021)
    page = client.get(f"/programmes/MWI-CSP3?edit={line.id}").get_data(as_text=True)
    assert 'value="5,000,000.00"' in page and f'name="version" value="{line.version}"' in page
    response = client.post("/programmes/MWI-CSP3/budget-lines", data={
        "year": "2021", "sector": "", "planned_amount": "4750000.50", "version": str(line.version)})
    assert response.status_code == 302
    assert _line(web, portfolio["malawi"], 2021).planned_amount == Decimal("4750000.50")
    event = web.query(lambda s: s.scalars(select(Event).order_by(Event.id.desc())).first())
    assert event.type == "BudgetLineChanged"
    assert event.payload["planned_amount"] == {"before": "5000000.00", "after": "4750000.50"}
    assert event.actor == client.user_email
    followed = client.get(response.location).get_data(as_text=True)
    assert "The budget line for 2021 is saved" in followed
    assert "1 recent change is not yet included in these totals" in followed
    web.dispatch()
    after = client.get("/programmes/MWI-CSP3").get_data(as_text=True)
    assert "€4,750,000.50" in after and "not yet included" not in after


def test_admin_adds_a_sector_line(web, portfolio):
    client = web.signed_in(Role.ADMIN)
    response = client.post("/programmes/MWI-CSP3/budget-lines", data={
        "year": "2022", "sector": " 31120 ", "planned_amount": "250000", "version": ""})
    assert response.status_code == 302
    assert _line(web, portfolio["malawi"], 2022, "31120").planned_amount == Decimal("250000.00")


@pytest.mark.parametrize("form, field, message", [
    ({"year": "2022", "planned_amount": "abc"}, "planned_amount", "not an amount: &#39;abc&#39;"),
    ({"year": "2022", "planned_amount": "1.005"}, "planned_amount", "ambiguous amount &#39;1.005&#39;"),
    ({"year": "2022", "planned_amount": "1,5,0"}, "planned_amount", "not an amount"),
    ({"year": "2022", "planned_amount": "12,345"}, "planned_amount", "write 1.234,56 or 1,234.56"),
    ({"year": "2022", "planned_amount": "0,0011"}, "planned_amount", "more than 2 decimals"),
    ({"year": "2022", "planned_amount": "USD 10"}, "planned_amount", "Give the amount in EUR, not in USD"),
    ({"year": "2022", "planned_amount": "1e9"}, "planned_amount", "not an amount"),
    ({"year": "2022", "planned_amount": "NaN"}, "planned_amount", "not an amount"),
    ({"year": "2022", "planned_amount": ""}, "planned_amount", "Enter the planned amount"),
    ({"year": "2022", "planned_amount": "9" * 10_000}, "planned_amount", "too long"),
    ({"year": "2022", "planned_amount": "-5.00"}, "planned_amount", "cannot be negative"),
    ({"year": "2022", "planned_amount": "9999999999999999"}, "planned_amount", "too large"),
    ({"year": "2018", "planned_amount": "1.00"}, "year", "outside the programme period 2019–2023"),
    ({"year": "abc", "planned_amount": "1.00"}, "year", "integer"),
    ({"year": "", "planned_amount": "1.00"}, "year", "Choose a year"),
    ({"year": "2022", "sector": "31", "planned_amount": "1.00"}, "sector", "3 or 5 digits"),
    ({"year": "2022", "sector": "<script>", "planned_amount": "1.00"}, "sector", "3 or 5 digits"),
])
def test_invalid_budget_input_is_shown_next_to_the_field_and_changes_nothing(web, portfolio, form, field, message):
    client = web.signed_in(Role.ADMIN)
    events_before = _event_count(web)
    response = client.post("/programmes/MWI-CSP3/budget-lines", data={"version": "", "sector": "", **form})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in _error_of(html, field)
    assert f'id="{field}"' in html and 'aria-invalid="true"' in html
    assert "<script>" not in html
    assert _line(web, portfolio["malawi"], 2022).planned_amount == Decimal("5000000.00")
    assert web.query(lambda s: s.scalar(select(func.count()).select_from(BudgetLine))) == 5
    assert _event_count(web) == events_before


def test_stale_edit_is_refused_with_the_current_amount_and_can_be_confirmed(web, portfolio):
    manager = web.signed_in(Role.PROGRAMME_MANAGER, portfolio["malawi"])
    seen = _line(web, portfolio["malawi"], 2023)

    def colleague_changes_it(session):
        set_budget_line(session, session.get(Programme, portfolio["malawi"]), 2023, Decimal("6000000.00"))

    web.seed(colleague_changes_it, actor="colleague@vlaanderen.test")
    response = manager.post("/programmes/MWI-CSP3/budget-lines", data={
        "year": "2023", "planned_amount": "4000000.00", "version": str(seen.version)})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else changed this budget line meanwhile: it is now €6,000,000.00" in html
    assert 'value="4000000.00"' in html, "the user's own amount is kept"
    assert _line(web, portfolio["malawi"], 2023).planned_amount == Decimal("6000000.00")

    current = _line(web, portfolio["malawi"], 2023).version
    assert f'name="version" value="{current}"' in html
    confirmed = manager.post("/programmes/MWI-CSP3/budget-lines", data={
        "year": "2023", "planned_amount": "4000000.00", "version": str(current)})
    assert confirmed.status_code == 302
    assert _line(web, portfolio["malawi"], 2023).planned_amount == Decimal("4000000.00")


def test_adding_a_line_that_appeared_meanwhile_is_a_conflict_too(web, portfolio):
    client = web.signed_in(Role.ADMIN)
    response = client.post("/programmes/MWI-CSP3/budget-lines", data={
        "year": "2020", "planned_amount": "1.00", "version": ""})
    assert response.status_code == 409
    assert _line(web, portfolio["malawi"], 2020).planned_amount == Decimal("5000000.00")


@pytest.mark.parametrize("typed, stored", [
    ("5.250.000,00", "5250000.00"), ("5250000,5", "5250000.50"), ("€ 12.500,00", "12500.00"),
    ("5,250,000.00", "5250000.00"), ("5250000.00", "5250000.00"), ("EUR 1 250 000", "1250000.00"),
])
def test_budget_amounts_are_read_as_people_type_them(web, portfolio, typed, stored):
    manager = web.signed_in(Role.PROGRAMME_MANAGER, portfolio["malawi"])
    response = manager.post("/programmes/MWI-CSP3/budget-lines", data={
        "year": "2022", "sector": "31120", "planned_amount": typed, "version": ""})
    assert response.status_code == 302, _error_of(response.get_data(as_text=True), "planned_amount")
    assert _line(web, portfolio["malawi"], 2022, "31120").planned_amount == Decimal(stored)


def test_a_dutch_manager_types_dutch_amounts_reads_dutch_errors_and_sees_dutch_notation(web, portfolio):
    manager = web.signed_in(Role.PROGRAMME_MANAGER, portfolio["malawi"])
    manager.post("/language", data={"locale": "nl", "next": "/"})
    line = _line(web, portfolio["malawi"], 2021)
    form = manager.get(f"/programmes/MWI-CSP3?edit={line.id}").get_data(as_text=True)
    assert 'name="planned_amount" type="text" value="5.000.000,00"' in form
    assert "Bijvoorbeeld 1.250.000,00" in form
    refused = manager.post("/programmes/MWI-CSP3/budget-lines", data={
        "year": "2021", "planned_amount": "vijf miljoen", "version": str(line.version)})
    assert refused.status_code == 422
    assert "geen bedrag: &#39;vijf miljoen&#39;" in _error_of(refused.get_data(as_text=True), "planned_amount")
    saved = manager.post("/programmes/MWI-CSP3/budget-lines", data={
        "year": "2021", "planned_amount": "5.250.000,00", "version": str(line.version)})
    assert saved.status_code == 302
    assert _line(web, portfolio["malawi"], 2021).planned_amount == Decimal("5250000.00")


def test_setting_the_plan_of_a_year_shown_in_the_table_replaces_it_without_a_false_conflict(web, portfolio):
    manager = web.signed_in(Role.PROGRAMME_MANAGER, portfolio["malawi"])
    page = manager.get("/programmes/MWI-CSP3").get_data(as_text=True)
    seen = re.search(r'name="seen" value="([^"]*)"', page).group(1)
    assert "2020//" in seen
    response = manager.post("/programmes/MWI-CSP3/budget-lines", data={
        "year": "2020", "sector": "", "planned_amount": "4.800.000,00", "version": "", "seen": seen})
    assert response.status_code == 302
    assert _line(web, portfolio["malawi"], 2020).planned_amount == Decimal("4800000.00")


def test_a_year_shown_in_the_table_but_changed_since_is_still_a_conflict(web, portfolio):
    manager = web.signed_in(Role.PROGRAMME_MANAGER, portfolio["malawi"])
    page = manager.get("/programmes/MWI-CSP3").get_data(as_text=True)
    seen = re.search(r'name="seen" value="([^"]*)"', page).group(1)
    web.seed(lambda session: set_budget_line(session, session.get(Programme, portfolio["malawi"]), 2020,
                                             Decimal("6000000.00")), actor="colleague@vlaanderen.test")
    response = manager.post("/programmes/MWI-CSP3/budget-lines", data={
        "year": "2020", "sector": "", "planned_amount": "4.800.000,00", "version": "", "seen": seen})
    assert response.status_code == 409
    assert _line(web, portfolio["malawi"], 2020).planned_amount == Decimal("6000000.00")


def test_activities_are_paginated(web, portfolio):
    def many_activities(session):
        for n in range(23):
            create_activity(session, code=f"MWI-2021-{n:03d}", title=f"Seed multiplication in Mzimba, lot {n}",
                            programme_id=portfolio["malawi"], recipient_code="253", purpose_code="31120")

    web.seed(many_activities)
    client = web.signed_in(Role.VIEWER)
    page = client.get("/programmes/MWI-CSP3").get_data(as_text=True)
    assert "Activities <span class=\"count\">(24)</span>" in page
    first = _activities_region(page)
    assert "MWI-2019-TLC" in first and "MWI-2021-018" in first and "MWI-2021-019" not in first
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = _activities_region(client.get("/programmes/MWI-CSP3?page=2").get_data(as_text=True))
    assert "MWI-2021-019" in second and "MWI-2021-022" in second
    assert "MWI-2019-TLC" not in second and "MWI-2021-018" not in second and 'rel="prev"' in second
    assert client.get("/programmes/MWI-CSP3?page=-3").status_code == 200
    assert "No activities" not in client.get("/programmes/MWI-CSP3?page=abc").get_data(as_text=True)


def test_edit_parameter_naming_another_programmes_line_is_ignored(web, portfolio):
    def mozambique_line(session):
        return set_budget_line(session, session.get(Programme, portfolio["mozambique"]), 2022, Decimal("1.00")).id

    other = web.seed(mozambique_line)
    html = web.signed_in(Role.ADMIN).get(f"/programmes/MWI-CSP3?edit={other}").get_data(as_text=True)
    assert "Set a budget line" in html and "Change the budget line" not in html


def test_budget_form_without_csrf_token_is_refused_when_csrf_is_on(web, portfolio, app, monkeypatch):
    client = web.signed_in(Role.ADMIN)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/programmes/MWI-CSP3/budget-lines", data={"year": "2021", "planned_amount": "1.00"})
    assert response.status_code == 400
    assert _line(web, portfolio["malawi"], 2021).planned_amount == Decimal("5000000.00")
    token = csrf_token_from(client.get("/programmes/MWI-CSP3").get_data(as_text=True))
    version = _line(web, portfolio["malawi"], 2021).version
    saved = client.post("/programmes/MWI-CSP3/budget-lines", data={
        "year": "2021", "planned_amount": "1.00", "version": str(version), "csrf_token": token})
    assert saved.status_code == 302
    assert _line(web, portfolio["malawi"], 2021).planned_amount == Decimal("1.00")


def test_programme_page_reads_a_fixed_number_of_queries_whatever_the_number_of_activities(
        web, portfolio, count_queries):
    client = web.signed_in(Role.VIEWER)
    with count_queries() as one_activity:
        client.get("/programmes/MWI-CSP3")

    def more_activities(session):
        for n in range(15):
            org = b.organisation(session, f"Farmers' union of Kasungu {n}", "ngo", country="MWI")
            create_activity(session, code=f"MWI-2022-{n:03d}", title=f"Storage for cooperative {n}",
                            programme_id=portfolio["malawi"], organisation_id=org.id)

    web.seed(more_activities)
    with count_queries() as sixteen_activities:
        html = client.get("/programmes/MWI-CSP3").get_data(as_text=True)
    assert "Farmers&#39; union of Kasungu 14" in html
    assert sixteen_activities() == one_activity()


# --- chart, activities table, partners, recent changes ------------------------------------------

def _chart(html: str) -> dict:
    import json

    match = re.search(r'<script type="application/json" id="programme-chart-data">(.*?)</script>', html, re.S)
    assert match, "the chart's figures are in the page"
    return json.loads(match.group(1))


def _codes_in_table(html: str) -> list[str]:
    region = html[html.index('id="activities-region"'):]
    region = region[:region.index("</section>")]
    return re.findall(r'<td class="code"><a href="/activities/[^"]+">([^<]+)</a>', region)


def _second_activity(session, programme_id, disbursed="900000.00"):
    from datetime import date

    activity = create_activity(session, code="MWI-2020-ACE", title="Building Markets for Prosperity",
                               programme_id=programme_id, recipient_code="253", purpose_code="25010",
                               status="pipeline")
    b.disburse(session, activity, date(2020, 3, 1), disbursed, "B-2020-ACE1")
    return activity.id


def test_chart_data_stacks_committed_and_disbursed_by_activity(web, portfolio):
    web.seed(lambda s: _second_activity(s, portfolio["malawi"]))
    web.dispatch()
    chart = _chart(web.signed_in(Role.VIEWER).get("/programmes/MWI-CSP3").get_data(as_text=True))
    assert chart["years"] == [2019, 2020, 2021, 2022, 2023]
    assert chart["planned"][0]["values"] == ["5000000.00"] * 5
    stacks = {s["label"].split(" ")[0]: s for s in chart["stacks"]}
    assert stacks["MWI-2019-TLC"]["committed"][0] == "1600000.00"
    assert stacks["MWI-2019-TLC"]["disbursed"][:2] == ["400000.10", "340000.15"]
    assert stacks["MWI-2020-ACE"]["disbursed"][1] == "900000.00"
    assert [s["label"].split(" ")[0] for s in chart["stacks"]] == ["MWI-2019-TLC", "MWI-2020-ACE"], "largest first"


def test_chart_can_stack_by_sector_with_planned_amounts_per_sector(web, portfolio):
    def sector_plan(session):
        set_budget_line(session, session.get(Programme, portfolio["malawi"]), 2020, Decimal("250000.00"), "250")
        _second_activity(session, portfolio["malawi"])

    web.seed(sector_plan)
    web.dispatch()
    html = web.signed_in(Role.VIEWER).get("/programmes/MWI-CSP3?stack=sector").get_data(as_text=True)
    chart = _chart(html)
    planned = {p["key"]: p["values"] for p in chart["planned"]}
    assert planned["_whole"][1] == "5000000.00" and planned["250"][1] == "250000.00"
    stacks = {s["key"]: s for s in chart["stacks"]}
    assert stacks["311"]["disbursed"][1] == "340000.15" and stacks["250"]["disbursed"][1] == "900000.00"
    assert "Figures per sector" in html and 'aria-current="true">Sector' in html


def test_more_than_eight_activities_fold_into_others(web, portfolio):
    def many(session):
        from datetime import date

        for n in range(10):
            activity = create_activity(session, code=f"MWI-2021-{n:03d}", title=f"Seed lot {n}",
                                       programme_id=portfolio["malawi"])
            b.disburse(session, activity, date(2021, 5, 1), f"{1000 + n}.00", f"B-2021-{n:03d}")

    web.seed(many)
    web.dispatch()
    chart = _chart(web.signed_in(Role.VIEWER).get("/programmes/MWI-CSP3").get_data(as_text=True))
    assert len(chart["stacks"]) == 8
    assert chart["stacks"][-1]["key"] == "_other" and chart["stacks"][-1]["label"] == "4 other activities"


def test_activities_sort_and_search_on_the_server(web, portfolio):
    web.seed(lambda s: _second_activity(s, portfolio["malawi"]))
    web.dispatch()
    client = web.signed_in(Role.VIEWER)
    assert _codes_in_table(client.get("/programmes/MWI-CSP3").get_data(as_text=True)) == [
        "MWI-2019-TLC", "MWI-2020-ACE"]
    by_disbursed = client.get("/programmes/MWI-CSP3?sort=disbursed&dir=desc").get_data(as_text=True)
    assert _codes_in_table(by_disbursed) == ["MWI-2020-ACE", "MWI-2019-TLC"]
    assert 'aria-sort="descending"' in by_disbursed
    assert _codes_in_table(client.get("/programmes/MWI-CSP3?sort=status").get_data(as_text=True))[0] == "MWI-2019-TLC"
    found = client.get("/programmes/MWI-CSP3?q=markets").get_data(as_text=True)
    assert _codes_in_table(found) == ["MWI-2020-ACE"]
    assert _codes_in_table(client.get("/programmes/MWI-CSP3?q=2019-tlc").get_data(as_text=True)) == ["MWI-2019-TLC"]


@pytest.mark.parametrize("query", ["q=%25", "q=_", "q=" + "a" * 10000, "sort=id;drop", "dir=sideways",
                                   "q=<script>alert(1)</script>", "stack=../../etc"])
def test_hostile_list_parameters_are_harmless(web, portfolio, query):
    response = web.signed_in(Role.VIEWER).get("/programmes/MWI-CSP3?" + query)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<script>alert(1)" not in html
    if query in ("q=%25", "q=_"):
        assert _codes_in_table(html) == [] and "No activity matches" in html, "wildcards are searched literally"


def test_partners_and_recent_changes(web, portfolio):
    client = web.signed_in(Role.PROGRAMME_MANAGER, portfolio["malawi"])
    client.post("/programmes/MWI-CSP3/budget-lines", data={
        "year": "2022", "planned_amount": "4500000.00",
        "version": str(_line(web, portfolio["malawi"], 2022).version)})
    html = client.get("/programmes/MWI-CSP3").get_data(as_text=True)
    partners = html[html.index('id="partners"'):html.index('id="recent"')]
    assert "Tradeline Corporation Limited" in partners and "€1,600,000.00" in partners
    recent = html[html.index('id="recent"'):]
    assert "Budget line changed" in recent and "5000000.00" in recent and "4500000.00" in recent
    assert recent.index("Budget line changed") < recent.index("Activity created"), "newest first"


def test_programme_page_reads_a_fixed_number_of_queries(web, portfolio, count_queries):
    client = web.signed_in(Role.VIEWER)
    with count_queries() as few:
        client.get("/programmes/MWI-CSP3")
    web.seed(lambda s: _second_activity(s, portfolio["malawi"]))
    web.dispatch()
    with count_queries() as many:
        client.get("/programmes/MWI-CSP3")
    assert many() == few() <= 20


def test_codes_are_shown_with_their_names_and_countries_in_the_readers_language(web):
    def build(session):
        from oda.reference.services import load_curated

        load_curated(session)
        ids = seed_portfolio(session)
        set_budget_line(session, session.get(Programme, ids["malawi"]), 2022, Decimal("250000.00"), "31120")
        return ids

    web.seed(build)
    web.dispatch()
    client = web.signed_in(Role.VIEWER)
    english = client.get("/programmes/MWI-CSP3").get_data(as_text=True)
    assert 'Agriculture <span class="sub">(311)</span>' in english
    assert 'Agricultural development <span class="sub">(31120)</span>' in english, "budget lines name their sector"
    client.post("/language", data={"locale": "nl", "next": "/"})
    overview = client.get("/?year=2021").get_data(as_text=True)
    assert 'Malawi <span class="sub">(253)</span>' in overview
    with web.app.test_request_context():
        from flask_babel import force_locale

        from app.web.place_names import country_name
        with force_locale("nl_BE"):
            assert country_name("South Africa") == "Zuid-Afrika"
            assert country_name("Africa, regional") == "Africa, regional", "names CLDR does not know stay"
