"""/api/v1/programmes: the portfolio, one programme with budget and totals, budget lines."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.auth.roles import Role
from app.events.dispatcher import dispatch
from app.events.models import Event
from programmes.models import BudgetLine, Programme, ProgrammeYearTotal
from tests.builders.api import api, assert_error  # noqa: F401 - fixture
from tests.builders.programmes import (
    disburse, malawi_agriculture_programme, mozambique_health_programme, multilateral_portfolio,
    tradeline_market_access,
)

BUDGET = "/api/v1/programmes/MWI-CSP3/budget-lines"


@pytest.fixture
def portfolio(api):
    """Malawi (with budget), Mozambique and the multilateral portfolio; returns their ids."""
    return api.seed(lambda s: {p.code: p.id for p in (
        malawi_agriculture_programme(s), mozambique_health_programme(s), multilateral_portfolio(s))})


def _codes(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    return [p["code"] for p in response.get_json()]


def _budget_events(api):
    return api.query(lambda s: s.scalars(select(Event).where(Event.type == "BudgetLineChanged")
                                         .order_by(Event.id)).all())


# --- reading --------------------------------------------------------------------------------

def test_list_filters_by_kind_country_and_policy_area(api, portfolio):
    token = api.token(Role.VIEWER)
    assert _codes(api.get("/api/v1/programmes", token)) == ["MOZ-CSP4", "MULTI", "MWI-CSP3"]
    assert _codes(api.get("/api/v1/programmes?kind=country_programme", token)) == ["MOZ-CSP4", "MWI-CSP3"]
    assert _codes(api.get("/api/v1/programmes?country=253", token)) == ["MWI-CSP3"]
    assert _codes(api.get("/api/v1/programmes?policy_area=development_cooperation&kind=multilateral_portfolio",
                          token)) == ["MULTI"]
    assert _codes(api.get("/api/v1/programmes?policy_area=culture", token)) == []


def test_programme_manager_lists_only_their_programmes(api, portfolio):
    token = api.token(Role.PROGRAMME_MANAGER, portfolio["MOZ-CSP4"])
    assert _codes(api.get("/api/v1/programmes", token)) == ["MOZ-CSP4"]


def test_detail_has_budget_lines_and_totals_from_the_projection(api, app, portfolio):
    def book(session):
        programme = session.get(Programme, portfolio["MWI-CSP3"])
        activity = tradeline_market_access(session, programme)
        disburse(session, activity, date(2019, 3, 1), "1600000.00", "C-2019-001", kind="commitment")
        disburse(session, activity, date(2019, 5, 2), "400000.10", "B-2019-0101")
        disburse(session, activity, date(2024, 2, 1), "1000.00", "B-2024-0001")

    api.seed(book)
    token = api.token(Role.VIEWER)
    before = api.get("/api/v1/programmes/MWI-CSP3", token).get_json()
    assert before["totals_pending_events"] > 0

    dispatch(app.extensions["aidledger.db"].Session, only=["budget_totals"])
    body = api.get("/api/v1/programmes/MWI-CSP3", token).get_json()
    assert body["code"] == "MWI-CSP3" and body["kind"] == "country_programme"
    assert [(line["year"], line["sector"], line["planned_amount"]) for line in body["budget_lines"]] == [
        (year, "", "5000000.00") for year in range(2019, 2024)]
    totals = {row["year"]: row for row in body["totals"]}
    assert totals[2019] == {"year": 2019, "in_period": True, "planned": "5000000.00",
                            "committed": "1600000.00", "disbursed": "400000.10"}
    assert totals[2021]["disbursed"] == "0.00"
    assert totals[2024] == {"year": 2024, "in_period": False, "planned": "0.00", "committed": "0.00",
                            "disbursed": "1000.00"}
    assert body["totals_pending_events"] == 0


def test_detail_of_an_unknown_programme_is_404(api, portfolio):
    token = api.token(Role.ADMIN)
    for code in ("NOPE", "x" * 31, "%00MWI", "MWI-CSP3'--", "..%2F..%2Fetc"):
        assert_error(api.get(f"/api/v1/programmes/{code}", token), 404)


def test_programme_manager_cannot_read_another_programme(api, portfolio):
    token = api.token(Role.PROGRAMME_MANAGER, portfolio["MOZ-CSP4"])
    assert api.get("/api/v1/programmes/MOZ-CSP4", token).status_code == 200
    assert_error(api.get("/api/v1/programmes/MWI-CSP3", token), 404)  # as if it did not exist
    assert_error(api.get(BUDGET, token), 404)


@pytest.mark.parametrize("query", [
    "kind=bogus", "policy_area=x'%20OR%201=1--", "country=" + "9" * 6, "country=25%003", "country=" + "x" * 100_000,
])
def test_bad_list_filters_are_422(api, portfolio, query):
    error = assert_error(api.get(f"/api/v1/programmes?{query}", api.token(Role.VIEWER)), 422)
    assert error["details"]["query"]


def test_sql_in_a_filter_is_just_text(api, portfolio):
    assert _codes(api.get("/api/v1/programmes?country='--", api.token(Role.VIEWER))) == []


# --- budget lines ---------------------------------------------------------------------------

def test_programme_manager_sets_a_budget_line_and_an_event_records_it(api, portfolio):
    token = api.token(Role.PROGRAMME_MANAGER, portfolio["MWI-CSP3"])
    response = api.put(BUDGET, token, {"year": 2020, "planned_amount": "4750000.50"})
    assert response.status_code == 200
    assert response.get_json() | {"id": None} == {"id": None, "year": 2020, "sector": "", "currency": "EUR",
                                                  "planned_amount": "4750000.50", "version": 2}
    event = _budget_events(api)[-1]
    assert event.payload["planned_amount"] == {"before": "5000000.00", "after": "4750000.50"}
    assert event.actor == "programme_manager-%d@vlaanderen.test" % portfolio["MWI-CSP3"]


def test_a_sector_line_is_created_and_listed(api, portfolio):
    token = api.token(Role.ADMIN)
    response = api.put(BUDGET, token, {"year": 2021, "sector": "31120", "planned_amount": "250000"})
    assert response.status_code == 200 and response.get_json()["planned_amount"] == "250000.00"
    lines = api.get(BUDGET, token).get_json()
    assert ("31120", "250000.00") in [(line["sector"], line["planned_amount"])
                                      for line in lines if line["year"] == 2021]


def test_setting_the_same_amount_changes_nothing(api, portfolio):
    token = api.token(Role.ADMIN)
    events = len(_budget_events(api))
    response = api.put(BUDGET, token, {"year": 2020, "planned_amount": "5000000.00", "version": 1})
    assert response.status_code == 200 and response.get_json()["version"] == 1
    assert len(_budget_events(api)) == events


def test_a_stale_version_is_409_and_writes_nothing(api, portfolio):
    token = api.token(Role.ADMIN)
    assert api.put(BUDGET, token, {"year": 2020, "planned_amount": "1.00", "version": 1}).status_code == 200
    error = assert_error(api.put(BUDGET, token, {"year": 2020, "planned_amount": "2.00", "version": 1}), 409,
                         "conflict")
    assert "version 2" in error["message"]
    assert "version" in error["details"]["json"]
    assert_error(api.put(BUDGET, token, {"year": 2020, "sector": "121", "planned_amount": "2.00", "version": 1}),
                 409)
    amount = api.query(lambda s: s.scalar(select(BudgetLine.planned_amount).where(BudgetLine.year == 2020,
                                                                                  BudgetLine.sector == "")))
    assert str(amount) == "1.00"


@pytest.mark.parametrize("role, scoped", [
    (Role.VIEWER, False), (Role.FINANCE, False), (Role.ODA_OFFICER, False), (Role.PROGRAMME_MANAGER, True),
])
def test_only_budget_holders_of_the_programme_may_set_lines(api, portfolio, role, scoped):
    token = api.token(role, portfolio["MOZ-CSP4"] if scoped else None)
    assert_error(api.put(BUDGET, token, {"year": 2020, "planned_amount": "1.00"}), 404 if scoped else 403)
    assert api.query(lambda s: s.scalar(select(BudgetLine.planned_amount).where(BudgetLine.year == 2020))) \
        == Decimal("5000000.00")


@pytest.mark.parametrize("body, field", [
    ({"year": 2018, "planned_amount": "1.00"}, "year"),              # outside 2019–2023 (service rule)
    ({"year": 2020, "planned_amount": "-5.00"}, "planned_amount"),   # negative (service rule)
    ({"year": 2020, "planned_amount": 1.5}, "planned_amount"),       # float
    ({"year": 2020, "planned_amount": "1.005"}, "planned_amount"),
    ({"year": 2020, "planned_amount": "1e6"}, "planned_amount"),
    ({"year": 2020, "planned_amount": "NaN"}, "planned_amount"),
    ({"year": 2020, "planned_amount": "1,000.00"}, "planned_amount"),
    ({"year": 2020, "planned_amount": "1" * 16}, "planned_amount"),
    ({"year": 2020, "planned_amount": True}, "planned_amount"),
    ({"year": 2020, "planned_amount": 10**15}, "planned_amount"),
    ({"year": "2020", "planned_amount": "1.00"}, "year"),
    ({"year": 2020.0, "planned_amount": "1.00"}, "year"),
    ({"year": 2020, "planned_amount": "1.00", "sector": "abc"}, "sector"),
    ({"year": 2020, "planned_amount": "1.00", "sector": "'; DROP TABLE budget_lines; --"}, "sector"),
    ({"year": 2020, "planned_amount": "1.00", "currency": "USD"}, "currency"),
    ({"year": 2020, "planned_amount": "1.00", "version": -1}, "version"),
    ({"year": 2020}, "planned_amount"),
])
def test_bad_budget_lines_are_422_naming_the_field_and_change_nothing(api, portfolio, body, field):
    token = api.token(Role.ADMIN)
    before = api.counts(BudgetLine, Event, ProgrammeYearTotal)
    error = assert_error(api.put(BUDGET, token, body), 422)
    assert field in error["details"]["json"]
    assert api.counts(BudgetLine, Event, ProgrammeYearTotal) == before


def test_budget_of_an_unknown_programme_is_404(api, portfolio):
    assert_error(api.put("/api/v1/programmes/NOPE/budget-lines", api.token(Role.ADMIN),
                         {"year": 2020, "planned_amount": "1.00"}), 404)
