"""Bi/multi derived from the aid type, one definition for the rules and the CRS export's SQL."""
import pytest
from sqlalchemy import literal, select

from oda.rules.bi_multi import bi_multi_sql, derive

CASES = [
    ("B02", None, "2", False), ("B021", "", "2", False), ("B022", "2", "2", False), ("b02", None, "2", False),
    ("B01", None, "3", False), ("B01", "1", "3", True), ("B02", "1", "2", True), ("B02", "4", "2", True),
    ("C01", None, "1", False), ("B033", "1", "1", False), ("C01", "8", "8", False), ("D02", "7", "7", False),
    ("C01", "2", "1", True), ("C01", "3", "1", True), ("C01", "9", "1", True), (None, None, "1", False),
]


@pytest.mark.parametrize(("aid_type", "stated", "value", "conflict"), CASES)
def test_derivation_follows_the_directives(aid_type, stated, value, conflict):
    derived = derive(aid_type, stated)
    assert (derived.value, derived.conflict) == (value, conflict)


def test_the_sql_case_gives_what_the_function_gives(session):
    rows = [select(literal(i).label("i"), bi_multi_sql(literal(aid, type_=None) if aid else literal(None),
                                                       literal(stated) if stated is not None else literal(None)))
            for i, (aid, stated, _value, _conflict) in enumerate(CASES)]
    from sqlalchemy import union_all

    got = dict(session.execute(union_all(*rows)).all())
    assert [got[i] for i in range(len(CASES))] == [derive(a, s).value for a, s, _v, _c in CASES]
