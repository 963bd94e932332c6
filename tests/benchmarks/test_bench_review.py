"""The review benchmark's data: its largest group is one review group of all its lines, and a
group decision over it covers them all (what the benchmark times against one UPDATE)."""
from decimal import Decimal

from benchmarks.bench_review import BIG_CODE, BIG_YEAR, _big_group
from oda.services.classify import classify
from oda.services.group_decisions import decide_group
from oda.services.review_groups import GroupFilter, group_page
from tests.builders.oda import load_reference, oda_programmes


def test_the_big_group_is_one_review_group_decided_at_once(session):
    load_reference(session)
    oda_programmes(session)
    _big_group(session, 120)
    classify(session)
    [group] = group_page(session, GroupFilter(year=BIG_YEAR), 1, 10).items
    assert (group.activity.code, group.lines, group.amount_eur) == (BIG_CODE, 120, Decimal("120000.00"))
    decide_group(session, group.activity_id, BIG_YEAR, group.explanation_id, "reject", "Benchmark: not ODA")
    assert group_page(session, GroupFilter(year=BIG_YEAR), 1, 10).items == []
