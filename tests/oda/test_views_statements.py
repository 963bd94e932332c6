"""Every ODA page reads a fixed number of SQL statements, however large the ledger (see
tests/programmes/test_views_statements.py): the review queue and one line's classification."""
import pytest

from app.auth.roles import Role
from tests.builders.ledger import statements_at_two_sizes
from tests.builders.web import web  # noqa: F401

PAGES = {
    "review queue": "/oda/reviews",
    "review queue of a year": "/oda/reviews?year=2023",
    "review queue, second page": "/oda/reviews?page=2",
    "a line's classification": "/oda/transactions/{line}",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_an_oda_page_reads_as_many_statements_on_a_larger_ledger(web, count_queries, path):
    small, large = statements_at_two_sizes(web, count_queries, path, Role.ADMIN)
    assert large == small
