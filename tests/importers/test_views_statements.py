"""The imports page reads a fixed number of SQL statements, however large the ledger (see
tests/programmes/test_views_statements.py)."""
from tests.builders.ledger import statement_test
from tests.builders.web import web  # noqa: F401

PAGES = {
    "imports": "/imports",
    "imports, rates chosen": "/imports?kind=rates",
}


test_an_imports_page_reads_as_many_statements_on_a_larger_ledger = statement_test(PAGES)
