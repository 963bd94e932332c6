"""The workspace's own pages read a fixed number of SQL statements, however large the ledger
(see tests/programmes/test_views_statements.py): the audit trail and the job runs."""
from tests.builders.ledger import statement_test
from tests.builders.web import web  # noqa: F401

PAGES = {
    "audit trail": "/audit",
    "job runs": "/jobs",
}


test_a_workspace_page_reads_as_many_statements_on_a_larger_ledger = statement_test(PAGES)
