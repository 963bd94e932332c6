"""The review queue: needs review first, then what changed since the year's last export."""
from datetime import date, datetime, timedelta, timezone

from oda.services.classify import classify
from oda.services.deadlines import record_export
from oda.services.queries import review_queue
from tests.builders.oda import MALAWI_MARKET_ACCESS, UNESCO_CORE, activity_from, facts, pay


def queue(session, year):
    return [(c.status, t.document_number) for c, t, _ in session.execute(review_queue(year))]


def test_needs_review_comes_first_then_lines_changed_since_the_last_export(session, reference, programmes):
    malawi = activity_from(session, programmes["MWI"], MALAWI_MARKET_ACCESS)
    unclear = activity_from(session, programmes["MWI"], facts(MALAWI_MARKET_ACCESS, code="MWI-X", recipient_code=None))
    unesco = activity_from(session, programmes["MULTI"], UNESCO_CORE)
    pay(session, malawi, date(2021, 2, 1), "10.00", "B-2021-1")
    pay(session, unclear, date(2021, 3, 1), "10.00", "B-2021-2")
    classify(session)
    assert queue(session, 2021) == [("needs_review", "B-2021-2"), ("eligible", "B-2021-1")]

    record_export(session, 2021, datetime.now(timezone.utc) + timedelta(seconds=1))
    assert queue(session, 2021) == [("needs_review", "B-2021-2")]

    pay(session, unesco, date(2021, 5, 1), "10.00", "B-2021-3")
    record_export(session, 2021, datetime.now(timezone.utc) - timedelta(seconds=1))
    classify(session)
    assert queue(session, 2021)[-1] == ("eligible", "B-2021-3")
    assert queue(session, 2020) == []


def test_counts_and_an_activitys_classification_for_the_programme_pages(session, reference, programmes):
    from oda.services.queries import activity_classification, needs_review_by_programme

    unclear = activity_from(session, programmes["MWI"], facts(MALAWI_MARKET_ACCESS, recipient_code=None))
    txn = pay(session, unclear, date(2021, 3, 1), "10.00", "B-2021-2")
    classify(session)
    assert needs_review_by_programme(session, 2021, {programmes["MWI"].id, programmes["MULTI"].id}) == {
        programmes["MWI"].id: 1}
    assert needs_review_by_programme(session, 2021, set()) == {}
    found = activity_classification(session, unclear.id)
    assert list(found.results) == [txn.id]
    assert found.evaluations[0].reasons[3]["rule"] == "recipient"
