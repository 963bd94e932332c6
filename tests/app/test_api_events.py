"""/api/v1/events: the audit trail over the API, limited to what the caller may audit."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.auth.roles import Role
from app.auth.services import create_user
from app.db import utcnow
from app.events import publish
from app.events.models import Event
from programmes.models import Transaction
from programmes.services.transactions import correct_transaction
from tests.builders.api import api, assert_error, pagination  # noqa: F401 - fixture
from tests.builders.programmes import (
    cerf_core_contribution, disburse, malawi_agriculture_programme, mozambique_health_programme,
    multilateral_portfolio, tradeline_market_access,
)
from tests.builders.users import PASSWORD


@pytest.fixture
def history(api):
    """Malawi (budget, Tradeline, a disbursement later moved to CERF), Mozambique, the multilateral portfolio."""
    def build(session):
        malawi, mozambique = malawi_agriculture_programme(session), mozambique_health_programme(session)
        multi = multilateral_portfolio(session)
        tradeline, cerf = tradeline_market_access(session, malawi), cerf_core_contribution(session, multi)
        moved = disburse(session, tradeline, date(2020, 2, 3), "1000.00", "B-2020-0203")
        session.flush()
        correct_transaction(session, moved, activity_id=cerf.id)
        return {"malawi": malawi.id, "mozambique": mozambique.id, "multi": multi.id, "moved": moved.id}

    return api.seed(build)


def _types(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    return [(e["type"], e["aggregate_type"]) for e in response.get_json()]


def test_auditors_see_every_event_newest_first(api, history):
    token = api.token(Role.ODA_OFFICER)
    response = api.get("/api/v1/events?page_size=200", token)
    events = response.get_json()
    assert [e["id"] for e in events] == sorted((e["id"] for e in events), reverse=True)
    assert pagination(response)["total"] == api.count(Event)
    assert {"ProgrammeCreated", "BudgetLineChanged", "ActivityCreated", "DisbursementRecorded",
            "TransactionCorrected", "UserCreated"} <= {e["type"] for e in events}


def test_filters(api, history):
    token = api.token(Role.ADMIN)
    assert _types(api.get("/api/v1/events?type=TransactionCorrected", token)) == [
        ("TransactionCorrected", "Transaction")]
    by_aggregate = api.get(f"/api/v1/events?aggregate_type=Transaction&aggregate_id={history['moved']}", token)
    assert [e["type"] for e in by_aggregate.get_json()] == ["TransactionCorrected", "DisbursementRecorded"]
    assert _types(api.get("/api/v1/events?actor=nobody@vlaanderen.test", token)) == []
    last = api.query(lambda s: s.scalar(select(Event.id).order_by(Event.id.desc())))
    assert _types(api.get(f"/api/v1/events?after_id={last - 1}", token)) == [("UserCreated", "User")]
    future = (utcnow() + timedelta(days=1)).replace(tzinfo=None).isoformat(timespec="seconds")
    assert _types(api.get(f"/api/v1/events?since={future}", token)) == []   # no offset: read as UTC
    assert len(api.get(f"/api/v1/events?until={future}%2B00:00&page_size=200", token).get_json()) == \
        api.count(Event)


def test_programme_manager_sees_the_events_of_their_programme_only(api, history):
    token = api.token(Role.PROGRAMME_MANAGER, history["mozambique"])
    assert _types(api.get("/api/v1/events", token)) == [("ProgrammeCreated", "Programme")]

    malawi = api.get("/api/v1/events?page_size=200", api.token(Role.PROGRAMME_MANAGER, history["malawi"]))
    events = malawi.get_json()
    assert {e["type"] for e in events} == {"ProgrammeCreated", "BudgetLineChanged", "ActivityCreated",
                                           "DisbursementRecorded", "TransactionCorrected"}
    assert all(e["payload"].get("programme_id", history["malawi"]) == history["malawi"] for e in events
               if e["type"] != "TransactionCorrected")
    assert not any(e["payload"].get("code") == "CERF-CORE" for e in events)


def test_a_transaction_moved_away_stays_visible_to_both_programmes(api, history):
    for programme in ("malawi", "multi"):
        token = api.token(Role.PROGRAMME_MANAGER, history[programme])
        assert ("TransactionCorrected", "Transaction") in _types(api.get("/api/v1/events?type=TransactionCorrected",
                                                                         token))


def test_a_viewer_who_also_manages_a_programme_audits_only_that_programme(api, history):
    def build(session):
        create_user(session, "an.peeters@vlaanderen.test", "An Peeters", PASSWORD,
                    [(Role.VIEWER, None), (Role.PROGRAMME_MANAGER, history["mozambique"])])

    api.seed(build)
    token = api.seed(lambda s: _issue(s, "an.peeters@vlaanderen.test"))
    assert _types(api.get("/api/v1/events", token)) == [("ProgrammeCreated", "Programme")]


def _issue(session, email):
    from app.auth.models import ApiToken, User

    token, secret = ApiToken.issue(session.scalar(select(User).where(User.email == email)), "tests")
    session.add(token)
    return secret


def test_odd_payloads_do_not_break_the_scoped_query(api, history):
    api.seed(lambda s: publish(s, "GrantNoted", "Grant", "G-1", {"programme_id": "MWI-CSP3", "before": None}))
    token = api.token(Role.PROGRAMME_MANAGER, history["malawi"])
    assert api.get("/api/v1/events", token).status_code == 200


def test_viewers_cannot_read_the_audit_trail(api, history):
    assert_error(api.get("/api/v1/events", api.token(Role.VIEWER)), 403)


@pytest.mark.parametrize("query", [
    "since=yesterday", "until=2024-13-01", "after_id=-1", "after_id=" + "9" * 25, "type=" + "T" * 81,
    "actor=a%00b", "aggregate_id=" + "1" * 65, "page_size=500",
])
def test_bad_filters_are_422(api, history, query):
    error = assert_error(api.get(f"/api/v1/events?{query}", api.token(Role.ADMIN)), 422)
    assert error["details"]["query"]


def test_the_ledger_is_read_only(api, history):
    token = api.token(Role.ADMIN)
    before = api.count(Event)
    assert_error(api.post("/api/v1/events", token, {"type": "Forged"}), 405)
    assert_error(api.delete("/api/v1/events", token), 405)
    assert api.count(Event) == before
    assert api.count(Transaction) == 1
