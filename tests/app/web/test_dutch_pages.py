"""Every page in Dutch: no English word a Dutch reader would stumble on.

The catalogue test (test_i18n.py) proves every msgid has Dutch; this one renders the pages
and looks for words that reach the page without the catalogue: statuses, event names, job
descriptions, chart axes, export progress, code names.
"""
import html as html_lib
import re
from decimal import Decimal

import pytest
from babel.messages.pofile import read_po

from app.auth.roles import Role
from app.web import i18n
from tests.builders.web import seed_portfolio, web  # noqa: F401

PAGES = ("/", "/programmes/MWI-CSP3", "/activities/MWI-2019-TLC", "/audit", "/jobs", "/imports", "/exports/",
         "/exports/budget", "/exports/reports", "/exports/iati", "/oda/reference", "/grants/", "/grants/applications",
         "/grants/calls")
#: words seen on Dutch pages before the catalogue reached them (issue 19); data (titles, names) is not listed
ENGLISH_ONLY = ("queued", "running", "Succeeded", "never loaded", "When (UTC)", "submitted", "in assessment",
                "committed", "approved", "rejected", "final report due", "BudgetLineChanged", "ProgrammeCreated",
                "Deliver new events", "Classify transactions", "South Africa", "aid_type", "purpose_code",
                "digits, a point", "Enter an amount", "Not a valid", "Overrun", "Underspending", "ready",
                "year 2.025")


def _visible_text(page: str) -> str:
    # code names in a form's list of codes come from the (English) reference data, like titles
    page = re.sub(r"<(script|style|datalist)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'\s(title|href|value|data-[\w-]+|placeholder)="[^"]*"', " ", page)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture
def dutch_admin(web):
    def build(session):
        from app.rates.services import set_rate
        from oda.reference.services import load_curated

        load_curated(session)
        ids = seed_portfolio(session)
        set_rate(session, 2020, "MWK", Decimal("749.5277000000"), "DAC annual average")
        return ids

    web.seed(build)
    web.dispatch()
    client = web.signed_in(Role.ADMIN)
    client.post("/language", data={"locale": "nl", "next": "/"})
    return client


@pytest.mark.parametrize("url", PAGES)
def test_every_page_reads_in_dutch(dutch_admin, url):
    response = dutch_admin.get(url)
    assert response.status_code == 200, url
    page = response.get_data(as_text=True)
    assert '<html lang="nl-BE">' in page
    text = _visible_text(page)
    found = [w for w in ENGLISH_ONLY if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]
    assert not found, f"{url} shows English to a Dutch reader: {found}"


def test_every_scheduled_job_says_in_dutch_what_it_does(app):
    from app.scheduler import registry

    registry.load_jobs()
    with (i18n.SOURCE_DIR / "nl" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        translated = {m.id for m in read_po(f) if m.id and m.string}
    missing = sorted(spec.description for spec in registry.jobs.values() if spec.description not in translated)
    assert not missing, ("list the first line of these jobs' docstrings in app/translations/dynamic_messages.py "
                         "and translate it:\n" + "\n".join(missing))
