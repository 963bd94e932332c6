"""Every grants list page reads a fixed number of SQL statements, however large the ledger
(see tests/programmes/test_views_statements.py): the overview compares payments with the
ledger, so a page that read it line by line would show here."""
from tests.builders.ledger import statement_test
from tests.builders.web import web  # noqa: F401

PAGES = {
    "grants overview": "/grants/",
    "calls": "/grants/calls",
    "applications": "/grants/applications",
}


test_a_grants_page_reads_as_many_statements_on_a_larger_ledger = statement_test(PAGES)
