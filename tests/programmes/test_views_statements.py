"""Every programme page reads a fixed number of SQL statements, however large the ledger:
measured on a classified ledger of 1,200 lines over 40 activities and again with 40 more
activities in the same programmes and 2,400 more lines over all of them, a page that read
a statement per line or per activity would read more."""
from tests.builders.ledger import statement_test
from tests.builders.web import web  # noqa: F401

PAGES = {
    "overview": "/",
    "overview by year": "/?year=2023",
    "overview filtered": "/?year=2023&kind=country_programme",
    "programme page": "/programmes/{programme}",
    "programme page by sector, sorted": "/programmes/{programme}?stack=sector&sort=disbursed&dir=desc",
    "programme page, activities searched": "/programmes/{programme}?q=activity&page=2&per_page=5",
    "activity page": "/activities/{activity}",
    "activity page, disbursements, second page": "/activities/{activity}?kind=disbursement&page=2",
}


test_a_page_reads_as_many_statements_on_a_larger_ledger = statement_test(PAGES)
