"""The demo portfolio's review load: a few groups, and its whole 2024 review finished in at most
15 group decisions, after which the final CRS file of 2024 is no longer refused."""
from sqlalchemy import func, select

from exports.services.crs import check_final
from oda.demo import load as load_oda_demo
from oda.models import Classification, Status
from oda.services.deadlines import open_reviews
from oda.services.group_decisions import decide_group
from oda.services.overrides import MissingCrsItems
from oda.services.review_groups import GroupFilter, group_page
from programmes.demo import load as load_programmes_demo

MAX_DECISIONS = 15


def test_the_demo_2024_review_is_done_in_at_most_15_group_decisions(session):
    load_programmes_demo(session)
    load_oda_demo(session)
    groups = group_page(session, GroupFilter(year=2024), 1, 100)
    assert 1 <= groups.total <= MAX_DECISIONS
    assert sum(g.lines for g in groups.items) == open_reviews(session, 2024) > 100  # many lines, few causes
    for group in groups.items:
        try:
            decide_group(session, group.activity_id, 2024, group.explanation_id, "accept", "Checked with the desk")
        except MissingCrsItems:
            decide_group(session, group.activity_id, 2024, group.explanation_id, "reject",
                         "Internships in Flanders: not reportable as ODA")
    assert open_reviews(session, 2024) == 0
    assert session.scalar(select(func.count()).select_from(Classification).where(
        Classification.year == 2024, Classification.status == Status.NEEDS_REVIEW)) == 0
    check_final(session, 2024)
