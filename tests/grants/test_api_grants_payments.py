"""The money end of the API: schedule, reports, payments, decreases, closing, mismatches."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from grants.models import LedgerMismatch
from programmes.models import Activity
from programmes.services.transactions import record_transaction
from tests.builders.grants import committed, vvn_application
from tests.grants.helpers import bearer

API = "/api/v1/grants"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    for target in ("grants.api.payments.today", "grants.services.payments._today", "grants.services.reports._today",
                   "grants.services.changes._today", "grants.services.close._today"):
        monkeypatch.setattr(target, lambda: date(2024, 8, 1))


@pytest.fixture
def grant(session, unp):
    application = committed(session, vvn_application(session, unp.scheme, unp.call), unp.assessor, unp.approver)
    headers = bearer(session, unp.approver)
    session.commit()
    return application, headers, f"{API}/applications/{application.id}"


def test_schedule_report_pay_decrease_and_close(client, grant):
    application, headers, url = grant
    first = client.post(f"{url}/tranches", json={"due_date": "2024-04-01", "amount": "30000.00"}, headers=headers).json
    second = client.post(f"{url}/tranches", json={"due_date": "2024-09-01", "amount": "10000.00",
                                                  "condition": "final_report_received"}, headers=headers).json
    moved = client.patch(f"{API}/tranches/{second['id']}", json={"due_date": "2024-10-01",
                                                                 "version": second["version"]}, headers=headers)
    assert moved.status_code == 200 and moved.json["due_date"] == "2024-10-01"
    stale = client.patch(f"{API}/tranches/{second['id']}", json={"due_date": "2024-11-01",
                                                                 "version": second["version"]}, headers=headers)
    assert stale.status_code == 409

    report = client.post(f"{url}/reports", json={"due_date": "2024-06-30"}, headers=headers).json
    overview = client.get(f"{API}/overview", headers=headers).json
    assert [r["report_id"] for r in overview["overdue_reports"]] == [report["id"]]
    assert {t["tranche_id"] for t in overview["blocked_tranches"]} == {first["id"], second["id"]}
    blocked = client.post(f"{url}/payments", json={"tranche_id": first["id"], "paid_on": "2024-07-30",
                                                   "amount": "30000.00", "document_number": "BK-7"}, headers=headers)
    assert blocked.status_code == 409 and "overdue" in blocked.json["error"]["message"]
    assert client.post(f"{API}/reports/{report['id']}/received", json={"received_on": "2024-07-31"},
                       headers=headers).status_code == 200
    paid = client.post(f"{url}/payments", json={"tranche_id": first["id"], "paid_on": "2024-07-31",
                                                "amount": "30000.00", "document_number": "BK-7"}, headers=headers)
    assert paid.status_code == 201 and paid.json["source"] == "manual"
    lowered = client.patch(f"{API}/tranches/{second['id']}", json={"amount": "6000.00",
                                                                   "version": moved.json["version"]}, headers=headers)
    assert lowered.status_code == 200
    decreased = client.post(f"{url}/decrease", json={"amount": "4000.00", "reason": "Fewer schools"}, headers=headers)
    assert decreased.status_code == 200 and decreased.json["committed_amount"] == "36000.00"
    final = client.post(f"{url}/final-report", json={"due_date": "2024-07-31"}, headers=headers).json
    client.post(f"{API}/reports/{final['id']}/received", json={}, headers=headers)
    refused = client.post(f"{url}/close", json={}, headers=headers)
    assert refused.status_code == 422 and "tranche 2 is still planned" in refused.json["error"]["message"]
    assert client.post(f"{API}/tranches/{second['id']}/cancel", json={"reason": "Not needed"},
                       headers=headers).status_code == 200
    closed = client.post(f"{url}/close", json={}, headers=headers)
    assert closed.status_code == 200 and closed.json["status"] == "closed"
    assert closed.json["committed_amount"] == closed.json["paid_amount"] == "30000.00"
    assert [r["kind"] for r in client.get(f"{url}/reports", headers=headers).json] == ["interim", "final"]
    assert len(client.get(f"{url}/payments", headers=headers).json) == 1


def test_withdraw_over_the_api_needs_a_reason(client, grant):
    application, headers, url = grant
    assert client.post(f"{url}/withdraw", json={}, headers=headers).status_code == 422
    withdrawn = client.post(f"{url}/withdraw", json={"reason": "Campaign cancelled"}, headers=headers)
    assert withdrawn.status_code == 200 and withdrawn.json["committed_amount"] == "0.00"
    assert client.post(f"{url}/withdraw", json={"reason": "again"}, headers=headers).status_code == 409


def test_ledger_mismatches_are_retried_or_set_aside_over_the_api(client, session, grant):
    application, headers, url = grant
    tranche = client.post(f"{url}/tranches", json={"due_date": "2024-04-01", "amount": "10000.00",
                                                   "document_number": "BK2024-0505"}, headers=headers).json
    activity = session.get(Activity, application.activity_id)
    from grants.services.matching import match_transaction

    line = record_transaction(session, activity, "disbursement", date(2024, 4, 3), Decimal("12000.00"),
                              "BK2024-0505", source="ledger")
    assert match_transaction(session, line) == "mismatch"
    session.commit()
    mismatch = session.scalar(select(LedgerMismatch))
    assert client.post(f"{API}/mismatches/{mismatch.id}/retry", headers=headers).json["outcome"] == "mismatch"
    client.patch(f"{API}/tranches/{tranche['id']}", json={"amount": "12000.00", "version": tranche["version"]},
                 headers=headers)
    assert client.post(f"{API}/mismatches/{mismatch.id}/retry", headers=headers).json["outcome"] == "matched"
    assert client.post(f"{API}/mismatches/{mismatch.id}/dismiss", json={"reason": ""},
                       headers=headers).status_code == 422
