"""Every ODA page reads a fixed number of SQL statements, however large the ledger (see
tests/programmes/test_views_statements.py): the review queue, one line's classification and
the Year close page."""
from tests.builders.ledger import statement_test
from tests.builders.web import web  # noqa: F401

PAGES = {
    "review queue": "/oda/reviews",
    "review queue of a year": "/oda/reviews?year=2023",
    "review queue, second page": "/oda/reviews?page=2",
    "a line's classification": "/oda/transactions/{line}",
    "year close": "/oda/year-close?year=2023",
    "year close, current year": "/oda/year-close",
    "reference data": "/oda/reference",
}


test_an_oda_page_reads_as_many_statements_on_a_larger_ledger = statement_test(PAGES)
