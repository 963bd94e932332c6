"""Every exports page reads a fixed number of SQL statements, however large the ledger (see
tests/programmes/test_views_statements.py): the ODA reports, budget execution and the queue."""
from tests.builders.ledger import statement_test
from tests.builders.web import web  # noqa: F401

PAGES = {
    "ODA reports": "/exports/reports",
    "ODA reports, one year": "/exports/reports?from=2023&to=2023",
    "budget execution": "/exports/budget",
    "budget execution, five years": "/exports/budget?from=2019&to=2023",
    "exports queue": "/exports/",
}


test_an_exports_page_reads_as_many_statements_on_a_larger_ledger = statement_test(PAGES)
