"""The review counts read the evaluations' line counts (``Evaluation.lines``, kept by the
classification run) instead of deriving every line's outcome: they must say exactly what
the lines' derived outcomes say, overrides and corrections included (the review groups'
pages: tests/oda/test_services_review_groups.py)."""
from datetime import date

from sqlalchemy import func, select

from app.events.dispatcher import dispatch
from oda.models import Classification, Evaluation, Status
from oda.services.classify import classify
from oda.services.deadlines import open_reviews
from oda.services.overrides import override_classification
from oda.services.queries import lines_to_review
from programmes.models import Activity
from programmes.services.activities import update_activity
from programmes.services.transactions import correct_transaction
from tests.builders.oda import MALAWI_MARKET_ACCESS, UNESCO_CORE, activity_from, facts, pay


def _ledger(session, programmes) -> dict:
    """Malawi market access (eligible), Lilongwe office staff without a recipient (needs
    review) and the UNESCO core contribution, with lines in 2021 and 2022."""
    malawi = activity_from(session, programmes["MWI"], MALAWI_MARKET_ACCESS)
    staff = activity_from(session, programmes["MWI"], facts(MALAWI_MARKET_ACCESS, code="MWI-2021-STAFF",
                                                            title="Lilongwe office staff", recipient_code=None))
    unesco = activity_from(session, programmes["MULTI"], UNESCO_CORE)
    lines = {}
    for n, (activity, day) in enumerate([(malawi, date(2021, 2, 1)), (staff, date(2021, 3, 1)),
                                         (unesco, date(2021, 4, 1)), (malawi, date(2021, 5, 1)),
                                         (staff, date(2021, 6, 1)), (staff, date(2021, 7, 1)),
                                         (unesco, date(2022, 1, 10)), (staff, date(2022, 2, 10)),
                                         (malawi, date(2022, 3, 10))], start=1):
        lines[n] = pay(session, activity, day, f"{n * 1000}.00", f"B-{day.year}-{n:04d}")
    classify(session)
    return {"malawi": malawi, "staff": staff, "unesco": unesco, "lines": lines}


def _live_counts(session, year: int) -> dict:
    c = Classification
    rows = session.execute(select(Activity.programme_id, func.count()).select_from(c)
                           .join(Activity, Activity.id == c.activity_id)
                           .where(c.year == year, c.status == Status.NEEDS_REVIEW).group_by(Activity.programme_id))
    return dict(rows.all())


def test_each_evaluation_counts_its_lines_as_the_run_found_them(session, reference, programmes):
    ledger = _ledger(session, programmes)
    counted = {(e.activity_id, e.year): e.lines for e in session.scalars(select(Evaluation))}
    staff, malawi = ledger["staff"].id, ledger["malawi"].id
    assert counted[(staff, 2021)] == 3 and counted[(malawi, 2021)] == 2 and counted[(staff, 2022)] == 1
    correct_transaction(session, ledger["lines"][5], date=date(2022, 6, 1))
    pay(session, ledger["staff"], date(2022, 8, 1), "500.00", "B-2022-0010")
    classify(session)
    session.expire_all()
    counted = {(e.activity_id, e.year): e.lines for e in session.scalars(select(Evaluation))}
    assert counted[(staff, 2021)] == 2 and counted[(staff, 2022)] == 3


def test_review_counts_equal_the_lines_outcomes_with_overrides(app, session, reference, programmes):
    ledger = _ledger(session, programmes)
    assert lines_to_review(session, 2021) == _live_counts(session, 2021) == {programmes["MWI"].id: 3}
    # an officer decides one unclear line and one clear line; a decision goes stale
    override_classification(session, ledger["lines"][2].id, "reject", "Consular work, not development")
    override_classification(session, ledger["lines"][1].id, "set_share", "Half of it is trade promotion", "50 %")
    update_activity(session, ledger["malawi"], title="Market access for smallholders, phase 2")
    session.commit()
    dispatch(app.extensions["aidledger.db"].Session)
    assert classify(session)["overrides_flagged"] == 1
    for year in (2021, 2022):
        assert lines_to_review(session, year) == _live_counts(session, year)
    assert lines_to_review(session, 2021) == {programmes["MWI"].id: 3}  # 2 unclear left, 1 flagged
    assert lines_to_review(session, 2021, [programmes["MULTI"].id]) == {}
    assert open_reviews(session, 2021) == 3 and open_reviews(session, 2020) == 0
