"""What the programme pages read of the classification: review counts, an activity's results."""
from datetime import date

from oda.services.classify import classify
from tests.builders.oda import MALAWI_MARKET_ACCESS, activity_from, facts, pay


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
