"""/api/v1/transactions: the ledger over the API: list, read, record, correct."""
from datetime import date

import pytest
from sqlalchemy import select

from app.auth.roles import Role
from app.events.dispatcher import dispatch
from app.events.models import Event
from programmes.models import Activity, Transaction
from tests.builders.api import api, assert_error, pagination  # noqa: F401 - fixture
from tests.builders.programmes import (
    cerf_core_contribution, disburse, malawi_agriculture_programme, multilateral_portfolio, tradeline_market_access,
)


@pytest.fixture
def ledger(api):
    """Tradeline (Malawi) with a commitment and two disbursements; CERF (multilateral) with one."""
    def build(session):
        malawi, multi = malawi_agriculture_programme(session), multilateral_portfolio(session)
        tradeline, cerf = tradeline_market_access(session, malawi), cerf_core_contribution(session, multi)
        return {
            "malawi": malawi.id, "multi": multi.id, "tradeline": tradeline.id, "cerf": cerf.id,
            "commitment": disburse(session, tradeline, date(2019, 3, 1), "1600000.00", "C-2019-001",
                                   kind="commitment").id,
            "first": disburse(session, tradeline, date(2019, 5, 2), "400000.10", "B-2019-0101").id,
            "second": disburse(session, tradeline, date(2020, 9, 2), "350000.20", "B-2020-0202").id,
            "cerf_payment": disburse(session, cerf, date(2020, 1, 15), "3000000.00", "B-2020-0001").id,
        }

    return api.seed(build)


def record(**overrides):
    body = {"activity_code": "MWI-2019-TLC", "kind": "disbursement", "date": "2021-04-15",
            "amount": "125000.00", "document_number": "B-2021-0415", "description": "Second tranche 2021",
            "budget_article": "QB0-1QEA2ZZ-WT"}
    body.update(overrides)
    return body


def _documents(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    return [t["document_number"] for t in response.get_json()]


def _transaction(api, transaction_id):
    return api.query(lambda s: s.get(Transaction, transaction_id))


def _last_event(api):
    return api.query(lambda s: s.scalars(select(Event).order_by(Event.id.desc())).first())


# --- reading --------------------------------------------------------------------------------

def test_list_is_newest_first_and_filters(api, ledger):
    token = api.token(Role.FINANCE)
    assert _documents(api.get("/api/v1/transactions", token)) == [
        "B-2020-0202", "B-2020-0001", "B-2019-0101", "C-2019-001"]
    assert _documents(api.get(f"/api/v1/transactions?activity_id={ledger['cerf']}", token)) == ["B-2020-0001"]
    assert _documents(api.get("/api/v1/transactions?activity=MWI-2019-TLC&kind=disbursement", token)) == [
        "B-2020-0202", "B-2019-0101"]
    assert _documents(api.get("/api/v1/transactions?programme=MWI-CSP3&year=2019", token)) == [
        "B-2019-0101", "C-2019-001"]
    assert _documents(api.get("/api/v1/transactions?year=2020&kind=refund", token)) == []
    response = api.get("/api/v1/transactions?page_size=3", token)
    assert pagination(response)["total"] == 4 and len(response.get_json()) == 3


def test_programme_manager_sees_only_their_ledger(api, ledger):
    token = api.token(Role.PROGRAMME_MANAGER, ledger["multi"])
    assert _documents(api.get("/api/v1/transactions", token)) == ["B-2020-0001"]
    assert _documents(api.get("/api/v1/transactions?programme=MWI-CSP3", token)) == []
    assert_error(api.get(f"/api/v1/transactions/{ledger['first']}", token), 404)  # as if it did not exist


def test_detail_has_money_as_text_and_the_version(api, ledger):
    body = api.get(f"/api/v1/transactions/{ledger['first']}", api.token(Role.VIEWER)).get_json()
    assert body | {"id": None, "recorded_at": None} == {
        "id": None, "recorded_at": None, "activity_id": ledger["tradeline"], "activity_code": "MWI-2019-TLC",
        "programme_id": ledger["malawi"], "kind": "disbursement", "date": "2019-05-02", "amount": "400000.10",
        "currency": "EUR", "amount_eur": "400000.10", "source": "ledger", "document_number": "B-2019-0101",
        "description": None, "budget_article": None, "import_batch_id": None, "version": 1}


@pytest.mark.parametrize("query", ["year=1800", "year=twenty", "kind=gift", "activity_id=-1", "activity_id=0",
                                   "activity_id=" + "9" * 30, "programme=" + "P" * 31, "activity=B%00"])
def test_bad_filters_are_422(api, ledger, query):
    assert_error(api.get(f"/api/v1/transactions?{query}", api.token(Role.FINANCE)), 422)


@pytest.mark.parametrize("path", ["-1", "0", "123456789", "9" * 19, "9" * 40])
def test_missing_or_out_of_range_ids_are_404(api, ledger, path):
    assert_error(api.get(f"/api/v1/transactions/{path}", api.token(Role.ADMIN)), 404)


# --- recording ------------------------------------------------------------------------------

def test_finance_records_a_disbursement_and_the_totals_follow(api, app, ledger):
    token = api.token(Role.FINANCE)
    response = api.post("/api/v1/transactions", token, record())
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["amount"], body["amount_eur"], body["version"], body["programme_id"]) == (
        "125000.00", "125000.00", 1, ledger["malawi"])
    event = _last_event(api)
    assert (event.type, event.aggregate_id, event.actor) == ("DisbursementRecorded", str(body["id"]),
                                                            "finance@vlaanderen.test")
    assert event.payload["amount"] == "125000.00" and event.payload["programme_id"] == ledger["malawi"]

    dispatch(app.extensions["aidledger.db"].Session, only=["budget_totals"])
    totals = {t["year"]: t for t in api.get("/api/v1/programmes/MWI-CSP3", token).get_json()["totals"]}
    assert totals[2021]["disbursed"] == "125000.00"


def test_a_foreign_currency_without_a_rate_has_no_eur_value(api, ledger):
    body = api.post("/api/v1/transactions", api.token(Role.ADMIN),
                    record(currency="MWK", amount="1000000", document_number="B-2021-MWK")).get_json()
    assert (body["currency"], body["amount"], body["amount_eur"]) == ("MWK", "1000000.00", None)


def test_a_refund_sent_negative_is_booked_as_money_returned(api, app, ledger):
    token = api.token(Role.FINANCE)
    body = api.post("/api/v1/transactions", token, record(kind="refund", amount="-25000.00",
                                                          document_number="T-2021-0501")).get_json()
    assert (body["kind"], body["amount"], body["amount_eur"]) == ("refund", "25000.00", "25000.00")
    dispatch(app.extensions["aidledger.db"].Session, only=["budget_totals"])
    totals = {t["year"]: t for t in api.get("/api/v1/programmes/MWI-CSP3", token).get_json()["totals"]}
    assert totals[2021]["disbursed"] == "-25000.00"


def test_a_document_is_booked_once_per_source(api, ledger):
    token = api.token(Role.FINANCE)
    before = api.counts(Transaction, Event)
    error = assert_error(api.post("/api/v1/transactions", token, record(document_number="B-2019-0101")), 422)
    assert "document_number" in error["details"]["json"]
    assert api.counts(Transaction, Event) == before
    other_source = api.post("/api/v1/transactions", token, record(document_number="B-2019-0101", source="sap_fi"))
    assert other_source.status_code == 201


@pytest.mark.parametrize("role, scope", [
    (Role.VIEWER, None), (Role.ODA_OFFICER, None), (Role.PROGRAMME_MANAGER, "malawi"),
])
def test_only_finance_and_admins_record(api, ledger, role, scope):
    token = api.token(role, ledger[scope] if scope else None)
    before = api.counts(Transaction, Event)
    assert_error(api.post("/api/v1/transactions", token, record()), 403)
    assert api.counts(Transaction, Event) == before


@pytest.mark.parametrize("overrides, field", [
    ({"amount": 125000.5}, "amount"),
    ({"amount": 0.1}, "amount"),
    ({"amount": "125000.005"}, "amount"),
    ({"amount": "1e5"}, "amount"),
    ({"amount": "Infinity"}, "amount"),
    ({"amount": " 12.00"}, "amount"),
    ({"amount": "€ 12,00"}, "amount"),
    ({"amount": 10**15}, "amount"),
    ({"amount": 125000}, "amount"),                              # the spec says string: no JSON integers
    ({"amount": "\u0661\u0662\u0663"}, "amount"),                # Arabic-Indic digits
    ({"amount": "\uff11\uff12.00"}, "amount"),                   # full-width digits
    ({"amount": "12.00\n"}, "amount"),                           # a trailing newline
    ({"amount": "9" * 16 + ".00"}, "amount"),
    ({"amount": None}, "amount"),
    ({"amount": {"value": "1.00"}}, "amount"),
    ({"kind": "gift"}, "kind"),
    ({"date": "15/04/2021"}, "date"),
    ({"date": "2021-02-30"}, "date"),
    ({"date": "1900-01-01"}, "date"),
    ({"date": 20210415}, "date"),
    ({"activity_code": "NOPE"}, "activity_code"),
    ({"activity_code": "x" * 41}, "activity_code"),
    ({"document_number": ""}, "document_number"),
    ({"document_number": "B\u0000-1"}, "document_number"),
    ({"document_number": "B" * 61}, "document_number"),
    ({"document_number": "' OR '1'='1"}, None),                   # accepted as text: see below
    ({"currency": "usd"}, "currency"),
    ({"currency": "US$"}, "currency"),
    ({"source": "SAP; DROP"}, "source"),
    ({"description": "d" * 501}, "description"),
    ({"amount_eur": "1.00"}, "amount_eur"),
    ({"version": 1}, "version"),
    ({"activity_id": 1}, "activity_id"),
])
def test_bad_transactions_are_422_and_change_nothing(api, ledger, overrides, field):
    token = api.token(Role.FINANCE)
    before = api.counts(Transaction, Event, Activity)
    response = api.post("/api/v1/transactions", token, record(**overrides))
    if field is None:
        # SQL-looking text is stored as the text it is, and nothing else happens
        assert response.status_code == 201
        assert api.counts(Transaction, Event, Activity) == {
            "Transaction": before["Transaction"] + 1, "Event": before["Event"] + 1, "Activity": before["Activity"]}
        return
    error = assert_error(response, 422)
    assert field in error["details"]["json"], error
    assert api.counts(Transaction, Event, Activity) == before


# --- correcting -----------------------------------------------------------------------------

def test_correcting_keeps_old_and_new_values_in_the_event(api, ledger):
    token = api.token(Role.FINANCE)
    response = api.patch(f"/api/v1/transactions/{ledger['first']}", token,
                         {"version": 1, "amount": "400000.00", "date": "2019-05-03"})
    assert response.status_code == 200, response.get_json()
    assert (response.get_json()["amount"], response.get_json()["version"]) == ("400000.00", 2)
    event = _last_event(api)
    assert event.type == "TransactionCorrected"
    assert event.payload["changes"]["amount"] == {"before": "400000.10", "after": "400000.00"}
    assert event.payload["before"]["amount_eur"] == "400000.10"
    assert event.payload["after"]["amount_eur"] == "400000.00"


def test_a_stale_correction_is_409_and_nothing_is_written(api, ledger):
    token = api.token(Role.FINANCE)
    url = f"/api/v1/transactions/{ledger['second']}"
    assert api.patch(url, token, {"version": 1, "description": "Tranche 2"}).status_code == 200
    events = api.count(Event)
    assert_error(api.patch(url, token, {"version": 1, "amount": "1.00"}), 409)
    assert str(_transaction(api, ledger["second"]).amount) == "350000.20"
    assert api.count(Event) == events


def test_moving_a_transaction_to_another_activity(api, ledger):
    response = api.patch(f"/api/v1/transactions/{ledger['second']}", api.token(Role.ADMIN),
                         {"version": 1, "activity_code": "CERF-CORE"})
    body = response.get_json()
    assert (body["activity_code"], body["programme_id"]) == ("CERF-CORE", ledger["multi"])
    assert _last_event(api).payload["after"]["programme_id"] == ledger["multi"]


def test_a_correction_without_changes_records_nothing(api, ledger):
    token = api.token(Role.FINANCE)
    events = api.count(Event)
    response = api.patch(f"/api/v1/transactions/{ledger['first']}", token, {"version": 1, "amount": "400000.10"})
    assert response.get_json()["version"] == 1
    assert api.count(Event) == events


@pytest.mark.parametrize("body, field", [
    ({"amount": "1.00"}, "version"),
    ({"version": 1, "document_number": "B-NEW"}, "document_number"),   # identity of the booking: not correctable
    ({"version": 1, "source": "other"}, "source"),
    ({"version": 1, "amount": 1.5}, "amount"),
    ({"version": 1, "kind": "loan"}, "kind"),
    ({"version": 1, "activity_code": "NOPE"}, "activity_code"),
    ({"version": 1, "currency": None}, "currency"),
    ({"version": -1, "amount": "1.00"}, "version"),
])
def test_bad_corrections_are_422_and_change_nothing(api, ledger, body, field):
    token = api.token(Role.FINANCE)
    before = api.counts(Transaction, Event)
    error = assert_error(api.patch(f"/api/v1/transactions/{ledger['first']}", token, body), 422)
    assert field in error["details"]["json"]
    assert api.counts(Transaction, Event) == before
    assert _transaction(api, ledger["first"]).version == 1


def test_others_cannot_correct(api, ledger):
    url = f"/api/v1/transactions/{ledger['first']}"
    for token in (api.token(Role.VIEWER), api.token(Role.PROGRAMME_MANAGER, ledger["malawi"]),
                  api.token(Role.ODA_OFFICER)):
        assert_error(api.patch(url, token, {"version": 1, "amount": "1.00"}), 403)
    assert _transaction(api, ledger["first"]).version == 1


def test_correcting_a_missing_transaction_is_404(api, ledger):
    assert_error(api.patch("/api/v1/transactions/424242", api.token(Role.FINANCE),
                           {"version": 1, "amount": "1.00"}), 404)


def test_a_longer_page_costs_no_more_queries(api, ledger, count_queries):
    """Activity and programme come with each transaction in the same query (no N+1)."""
    token = api.token(Role.FINANCE)
    api.get("/api/v1/transactions", token)                      # stamps the token once
    with count_queries() as short:
        assert len(api.get("/api/v1/transactions?page_size=1", token).get_json()) == 1
    with count_queries() as long:
        assert len(api.get("/api/v1/transactions?page_size=4", token).get_json()) == 4
    assert long() == short()
