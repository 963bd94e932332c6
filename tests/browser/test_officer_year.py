"""The ODA officer's year on the demo, in Chromium, as one walk through the pages (issue 17):

1. the 2024 review worked to zero through the grouped queue, one decision per group through
   the queue's own form (the demo's 2024 review is one group of 240 lines: one decision, where
   the issue allows at most 15);
2. one activity's codes fixed at the source from a group page of the queue (2023);
3. the year-close page clear, the final 2024 CRS file made with the button;
4. a change of a 2024 transaction refused, naming the submission: the officer's override and
   finance's corrected ledger row (finance reads Dutch in the demo);
5. the year reopened with a reason, the ledger row corrected, the revision made, and the
   "Changes" sheet of the downloaded revision read with openpyxl: the corrected row with its
   old and new figures.

Nothing is decided through the services. What the scheduler does in the background is run
from the test where the walk would otherwise wait minutes for it (``run_jobs``): delivering
events, the classification (every 5 minutes) and the export job queue. The walk has a demo of
its own: it submits 2024, after which the other browser tests' 2024 changes would rightly be
refused. Each person keeps the locale the demo gives them (the officer reads English, finance
Dutch); on every Dutch page no English sentence of the catalogue may show untranslated.
Screenshots of each step: artifacts/screenshots/officer-year-NN-*.png.
"""
from __future__ import annotations

import io
import re
from decimal import Decimal
from functools import lru_cache

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import served_demo, visits

OFFICER, FINANCE = "oda.officer@aidledger.demo", "finance@aidledger.demo"
#: the demo's 2024 review: the Flanders Trainee Programme's internship grants, one group
DEMO_2024_OPEN_LINES, DEMO_2024_DECISIONS = 240, 1
#: the issue's limit on the decisions the demo's 2024 review may take
MAX_DECISIONS = 15
CORRECTION = Decimal("50000.00")
SPENDING_HEADERS = ["Boekstuknummer", "Boekingsdatum", "Projectcode", "Bedrag", "Munt", "Omschrijving",
                    "Begrotingsartikel", "Soort"]
#: a msgid fragment this long, of at least three words, names a sentence rather than a code or a name
PHRASE_MIN_CHARS, PHRASE_MIN_WORDS = 16, 3


# What the scheduler does meanwhile, and what the walk needs to know of the demo's ledger

def _with_session(app, work):
    from flask import g

    from app.db import unit_of_work
    from app.events.bus import Actor

    with app.app_context():
        g.event_actor = Actor("browser-test-scheduler", "scheduler")
        with unit_of_work() as session:
            return work(session)


def run_jobs(app) -> None:
    """What the scheduler does meanwhile: events, the classification, the export queue."""
    from app.db import get_db
    from app.events.dispatcher import dispatch
    from exports.services.execute import process_queued
    from oda.services.classify import classify

    with app.app_context():
        factory = get_db(app).Session
        dispatch(factory)
        _with_session(app, classify)
        process_queued(factory)


def an_eligible_2024_payment(session) -> dict:
    """A 2024 disbursement in EUR counted as ODA by the rules: the line finance will correct."""
    from sqlalchemy import select

    from oda.models import Classification
    from programmes.models import Activity, Transaction

    line, code = session.execute(
        select(Transaction, Activity.code).join(Classification, Classification.transaction_id == Transaction.id)
        .join(Activity, Activity.id == Transaction.activity_id)
        .where(Classification.year == 2024, Classification.status == "eligible", Classification.share == 1,
               Classification.override_id.is_(None), Transaction.kind == "disbursement",
               Transaction.currency == "EUR", Transaction.source == "ledger")
        .order_by(Transaction.amount.desc()).limit(1)).one()
    return {"id": line.id, "document": line.document_number, "date": line.date, "code": code,
            "amount": line.amount, "article": line.budget_article or "", "description": line.description or ""}


def spending_file(tmp_path, line: dict, amount: Decimal):
    """The ledger row of ``line`` as the Flemish accounting system exports it, with ``amount``."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(SPENDING_HEADERS)
    sheet.append([line["document"], line["date"].strftime("%d/%m/%Y"), line["code"],
                  f"{amount:.2f}".replace(".", ","), "EUR", line["description"], line["article"], "betaling"])
    path = tmp_path / "correctie-2024.xlsx"
    book.save(path)
    return path


# Reading the pages: each in its reader's language

@lru_cache(maxsize=1)
def english_phrases() -> frozenset[str]:
    """The English sentences of the catalogue that Dutch says otherwise: the literal pieces of
    every translated msgid between its placeholders, long enough not to be a code or a name."""
    from babel.messages.pofile import read_po

    from app.web.i18n import SOURCE_DIR

    with (SOURCE_DIR / "nl" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalogue = read_po(f)
    phrases = set()
    for message in catalogue:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        dutch = " ".join(message.string) if isinstance(message.string, tuple) else message.string
        for text in ids:
            for piece in re.split(r"%\(\w+\)\w|%%|%\w", text):
                piece = " ".join(piece.split()).strip(" .,:;·—()")
                if len(piece) >= PHRASE_MIN_CHARS and len(piece.split()) >= PHRASE_MIN_WORDS and piece not in dutch:
                    phrases.add(piece)
    return frozenset(phrases)


def untranslated_english(page) -> list[str]:
    """The catalogue's English sentences shown on a Dutch page (visible text only). Text that
    never went through the catalogue (data, or a message stored in English) is not seen."""
    text = " ".join(page.inner_text("body").split())
    return sorted(p for p in english_phrases() if p in text)


def step(v, name: str) -> None:
    """Keep a screenshot of a step, after checking a Dutch page shows no English of the catalogue."""
    if v.page.locator("html").get_attribute("lang").startswith("nl"):
        found = untranslated_english(v.page)
        assert not found, f"{v.page.url} shows English to a Dutch reader: {found}"
    v.screenshot(f"officer-year-{name}")


def sign_in_with_demo_locale(v, email: str):
    """Sign in; the pages come in the language the demo gave this person."""
    from programmes.demo.users import DEMO_USERS

    page = v.sign_in(email)
    locale = next(u.locale for u in DEMO_USERS if u.email == email)
    assert page.locator("html").get_attribute("lang").split("-")[0] == locale
    return page


# The walk's steps

def _groups(page):
    return page.locator("ol.review-groups li.review-group")


def work_the_2024_review_to_zero(v) -> int:
    """Decide every open group of 2024 with the queue's own form; returns the decisions taken."""
    page = v.go("/oda/reviews?year=2024")
    expect(page.locator("#queue-summary")).to_contain_text(f"{DEMO_2024_OPEN_LINES} lines of 2024 need review.")
    expect(page.locator("p.notice", has_text="Waiting for classification")).to_have_count(0)
    expect(_groups(page).first.locator(".group-reasons")).to_contain_text("No recipient")  # reasons inline
    step(v, "01-queue-2024")
    decisions = 0
    while _groups(page).count() and decisions < MAX_DECISIONS:
        group = _groups(page).first
        group.locator("summary", has_text="Decide").click()
        group.locator("input[name=action][value=reject]").check()
        group.locator("textarea[name=reason]").fill("Internships in Flanders: not reportable as ODA")
        if not decisions:
            step(v, "02-group-decision-form")
        group.locator("button", has_text="Record the group decision").click()
        page.wait_for_load_state()
        expect(page.locator("#decision-state")).to_have_text("active")
        if not decisions:
            step(v, "03-group-decided")
        decisions += 1
        v.go("/oda/reviews?year=2024")
    expect(page.locator("ol.review-groups")).to_contain_text("Nothing to review.")
    expect(page.locator("#queue-summary")).to_contain_text("0 lines of 2024 need review.")
    step(v, "04-review-2024-done")
    return decisions


def fix_codes_at_the_source(v) -> None:
    """The 2023 group's cause is a missing main objective: set it on the group's page."""
    page = v.go("/oda/reviews?year=2023")
    _groups(page).first.locator("a", has_text="Show the lines").click()
    page.wait_for_load_state()
    fix = page.locator("section[aria-labelledby=fix]")
    fix.locator("select[name=main_objective]").select_option("donor_interest")
    step(v, "05-fix-codes-on-the-group-page")
    fix.locator("button", has_text="Save the codes and classify again").click()
    page.wait_for_load_state()
    expect(page.locator(".flash-success")).to_contain_text("classified again")
    expect(page.locator("ol.review-groups")).to_contain_text("Nothing to review.")
    step(v, "06-fixed-at-the-source")
    v.go("/oda/reviews?year=2024")
    expect(page.locator("ol.review-groups")).to_contain_text("Nothing to review.")


def make_final(v, app):
    """Press the final CRS button for 2024, let the export job run, open the year's submission page."""
    page = v.go("/exports/reports?to=2024")
    page.fill("#crs-year", "2024")
    page.check("input[name=final]")
    page.click("section[aria-labelledby=crs-heading] button[type=submit]")
    page.wait_for_load_state()
    run_jobs(app)
    page = v.go("/exports/years/2024")
    expect(page.locator("[data-state=submitted]")).to_be_visible()
    return page


def newest_final(page) -> tuple[str, str]:
    """The newest final's export id and SHA-256, from the submission page."""
    row = page.locator("table.data tr[id^=final-]").first
    return row.locator("th").inner_text().strip(), row.locator("code.hash").inner_text().split()[-1]


def import_as_finance(v, path):
    page = v.go("/imports")
    page.select_option("#kind", "spending")
    page.set_input_files("#file", str(path))
    page.click("button[value=import]")
    page.wait_for_url(re.compile(r"/imports/\d+"))  # the upload script follows the server's redirect
    page.wait_for_load_state()
    return page


def download(v, link) -> bytes:
    with v.page.expect_download() as started:
        link.click()
    return started.value.path().read_bytes()


def sheet_rows(content: bytes, sheet: str) -> tuple[tuple, list[tuple]]:
    rows = list(load_workbook(io.BytesIO(content), read_only=True)[sheet].iter_rows(values_only=True))
    return rows[0], rows[1:]


def natures(content: bytes) -> dict[str, object]:
    """CRSid -> nature of submission (InitialReport) of a CRS workbook."""
    header, rows = sheet_rows(content, "CRS")
    crs_id, nature = header.index("CRSid"), header.index("InitialReport")
    return {r[crs_id]: r[nature] for r in rows}


def refuse_changes_to_the_submitted_year(officer, finance, tmp_path, line: dict, final: tuple[str, str]) -> None:
    """The officer's override and finance's corrected ledger row, each refused naming the final."""
    run, sha = final
    page = officer.go(f"/oda/transactions/{line['id']}")
    page.check("input[name=action][value=reject]")
    page.fill("#reason", "Trying to change a submitted year")
    officer.expected_statuses.add(422)
    page.click("form[action$=override] button[type=submit]")
    page.wait_for_load_state()
    refusal = page.inner_text("main")
    assert f"2024 is submitted: final CRS export {run} of" in refusal and sha[:8] in refusal, refusal
    step(officer, "09-override-refused")

    page = import_as_finance(finance, spending_file(tmp_path, line, line["amount"] + CORRECTION))
    assert f"2024 is ingediend: definitieve CRS-export {run} van" in page.inner_text("main")
    step(finance, "10-import-refused")


def reopen_and_correct(officer, finance, tmp_path, line: dict) -> None:
    page = officer.go("/exports/years/2024")
    page.fill("#reason", "Finance corrected payment " + line["document"])
    page.click("#reopen button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("[data-state=reopened]")).to_contain_text("Finance corrected payment " + line["document"])
    step(officer, "11-reopened")

    page = import_as_finance(finance, spending_file(tmp_path, line, line["amount"] + CORRECTION))
    expect(page.locator("main table tbody tr", has_text=line["document"])).to_contain_text("bijgewerkt")
    step(finance, "12-import-accepted")


def check_the_changes_sheet(revision: bytes, first: bytes, line: dict) -> None:
    """The revision's Changes sheet lists the corrected row with old and new figures; that row
    alone is a revision (nature of submission 2), every other row keeps its nature."""
    header, rows = sheet_rows(revision, "Changes")
    assert header == ("Change", "CRSid", "ProjectNumber", "Column", "Old", "New")
    ours = {r[3]: r for r in rows if r[2] == line["code"]}
    change, crs_id, _, _, old, new = ours["Disbursement_National"]
    assert change == "changed" and Decimal(new) - Decimal(old) == CORRECTION, ours["Disbursement_National"]
    assert ours["InitialReport"][5] == "2" != ours["InitialReport"][4]
    assert {r[1] for r in rows} == {crs_id}, "only the corrected payment's CRS row changed"
    before, after = natures(first), natures(revision)
    assert after[crs_id] == 2
    assert all(after[key] == nature for key, nature in before.items() if key != crs_id)


@pytest.fixture(scope="module")
def own_demo(tmp_path_factory):
    with served_demo(tmp_path_factory.mktemp("officer-year")) as demo:
        yield demo


@pytest.fixture
def visit_own_demo(browser, own_demo):
    with visits(browser, own_demo.base) as open_visit:
        yield open_visit


def test_the_oda_officer_s_year(visit_own_demo, own_demo, tmp_path):
    app = own_demo.app
    run_jobs(app)  # the scheduler's classification of the freshly loaded demo
    officer, finance = visit_own_demo(), visit_own_demo()
    sign_in_with_demo_locale(officer, OFFICER)
    sign_in_with_demo_locale(finance, FINANCE)

    decisions = work_the_2024_review_to_zero(officer)
    assert decisions == DEMO_2024_DECISIONS <= MAX_DECISIONS, f"the 2024 review took {decisions} decisions"
    fix_codes_at_the_source(officer)

    page = officer.go("/oda/year-close?year=2024")
    expect(page.locator(".flash-success")).to_contain_text("Nothing blocks the final CRS file of 2024.")
    step(officer, "07-year-close-2024")
    final = newest_final(make_final(officer, app))
    step(officer, "08-final-submitted")

    line = _with_session(app, an_eligible_2024_payment)
    refuse_changes_to_the_submitted_year(officer, finance, tmp_path, line, final)
    reopen_and_correct(officer, finance, tmp_path, line)
    run_jobs(app)

    page = make_final(officer, app)
    assert newest_final(page)[0] != final[0]
    expect(page.locator("section[aria-labelledby=changes-head]")).to_contain_text("0 added, 0 removed, 1 changed.")
    changes = page.locator("#changes").inner_text()
    assert line["code"] in changes and "Disbursement_National" in changes
    step(officer, "13-revision-submitted")

    finals = page.locator("table.data tr[id^=final-] a[href$=download]")
    check_the_changes_sheet(download(officer, finals.nth(0)), download(officer, finals.nth(1)), line)
