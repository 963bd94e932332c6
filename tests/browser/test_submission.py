"""The ODA officer's year on the demo, in Chromium: the 2024 final, a change refused on
the submitted year, the reopen with a reason, the change, the revision and its Changes.

The demo's 2024 review is decided in the setup through oda's services (the grouped review
queue is another branch's work); what the scheduler does meanwhile (the export job, the
classification) is run from the test. Screenshots: artifacts/screenshots/submission-*.png.
"""
from __future__ import annotations

import io
import re
from decimal import Decimal

from openpyxl import load_workbook

OFFICER, FINANCE = "oda.officer@aidledger.demo", "finance@aidledger.demo"
SPENDING_HEADERS = ["Boekstuknummer", "Boekingsdatum", "Projectcode", "Bedrag", "Munt", "Omschrijving",
                    "Begrotingsartikel", "Soort"]


def _with_session(app, work):
    from flask import g

    from app.db import unit_of_work
    from app.events.bus import Actor

    with app.app_context():
        g.event_actor = Actor("browser-test-setup", "setup")
        with unit_of_work() as session:
            return work(session)


def decide_open_2024_lines(session) -> int:
    """Reject what the demo leaves open in 2024 (the officer's review, done through the services)."""
    from sqlalchemy import select

    from oda.models import Classification
    from oda.services.classify import classify
    from oda.services.overrides import override_classification

    classify(session)
    open_ids = session.scalars(select(Classification.transaction_id).where(
        Classification.year == 2024, Classification.status == "needs_review")).all()
    for transaction_id in open_ids:
        override_classification(session, transaction_id, "reject", "Reviewed for the 2024 final (test setup)")
    return len(open_ids)


def an_eligible_2024_payment(session):
    """A 2024 disbursement in EUR counted as ODA: the line finance will correct."""
    from sqlalchemy import select

    from oda.models import Classification
    from programmes.models import Activity, Transaction

    row = session.execute(
        select(Transaction, Activity.code).join(Classification, Classification.transaction_id == Transaction.id)
        .join(Activity, Activity.id == Transaction.activity_id)
        .where(Classification.year == 2024, Classification.status == "eligible", Classification.share == 1,
               Classification.override_id.is_(None), Transaction.kind == "disbursement",
               Transaction.currency == "EUR", Transaction.source == "ledger")
        .order_by(Transaction.amount.desc()).limit(1)).one()
    line, code = row
    return {"id": line.id, "document": line.document_number, "date": line.date, "code": code,
            "amount": line.amount, "article": line.budget_article or "", "description": line.description or ""}


def run_jobs(app) -> None:
    """What the scheduler does meanwhile: events, the classification, the export queue."""
    from app.db import get_db
    from app.events.dispatcher import dispatch
    from exports.services.execute import process_queued
    from oda.services.classify import classify

    with app.app_context():
        factory = get_db(app).Session
        dispatch(factory)
        _with_session(app, lambda s: classify(s))
        process_queued(factory)


def spending_file(tmp_path, line, amount: Decimal):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(SPENDING_HEADERS)
    sheet.append([line["document"], line["date"].strftime("%d/%m/%Y"), line["code"],
                  f"{amount:.2f}".replace(".", ","), "EUR", line["description"], line["article"], "betaling"])
    path = tmp_path / "correctie-2024.xlsx"
    book.save(path)
    return path


def make_final(v, app) -> None:
    page = v.go("/exports/reports?to=2024")
    page.fill("#crs-year", "2024")
    page.check("input[name=final]")
    page.click("section[aria-labelledby=crs-heading] button[type=submit]")
    page.wait_for_load_state()
    run_jobs(app)


def import_as_finance(v, path):
    page = v.go("/imports")
    page.select_option("#kind", "spending")
    page.set_input_files("#file", str(path))
    page.click("button[value=import]")
    page.wait_for_url(re.compile(r"/imports/\d+"))  # the upload script follows the server's redirect
    page.wait_for_load_state()
    return page


def test_final_lock_reopen_revision(visit, live_flask_app, tmp_path):
    app = live_flask_app
    _with_session(app, decide_open_2024_lines)
    line = _with_session(app, an_eligible_2024_payment)
    officer = visit()
    officer.sign_in(OFFICER)

    make_final(officer, app)
    page = officer.go("/exports/years/2024")
    assert page.locator("[data-state=submitted]").is_visible()
    officer.screenshot("submission-1-final")

    page = officer.go(f"/oda/transactions/{line['id']}")
    page.check("input[name=action][value=reject]")
    page.fill("#reason", "Trying to change a submitted year")
    officer.expected_statuses.add(422)
    page.click("form[action$=override] button[type=submit]")
    page.wait_for_load_state()
    assert "2024 is submitted: final CRS export" in page.content()
    officer.screenshot("submission-2-override-refused")

    finance = visit()
    finance.sign_in(FINANCE)
    corrected = line["amount"] + Decimal("50000.00")
    page = import_as_finance(finance, spending_file(tmp_path, line, corrected))
    assert "2024 is ingediend: definitieve CRS-export" in page.content()  # the demo's finance officer reads Dutch
    finance.screenshot("submission-3-import-refused")

    page = officer.go("/exports/years/2024")
    page.fill("#reason", "Finance corrected payment " + line["document"])
    page.click("#reopen button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("[data-state=reopened]").is_visible()
    officer.screenshot("submission-4-reopened")

    page = import_as_finance(finance, spending_file(tmp_path, line, corrected))
    assert "2024 is ingediend" not in page.content()
    finance.screenshot("submission-5-import-accepted")
    run_jobs(app)

    make_final(officer, app)
    page = officer.go("/exports/years/2024")
    assert page.locator("[data-state=submitted]").is_visible()
    changes = page.locator("#changes")
    assert line["code"] in changes.inner_text() and "Disbursement_National" in changes.inner_text()
    officer.screenshot("submission-6-revision-changes")

    href = page.locator("table.data a[href$=download]").first.get_attribute("href")
    response = officer.context.request.get(officer.base + href)
    book = load_workbook(io.BytesIO(response.body()), read_only=True)
    rows = list(book["Changes"].iter_rows(values_only=True))
    header = rows[0]
    assert header == ("Change", "CRSid", "ProjectNumber", "Column", "Old", "New")
    ours = [r for r in rows[1:] if r[2] == line["code"]]
    assert ("InitialReport", "2") in {(r[3], r[5]) for r in ours}
    crs = list(book["CRS"].iter_rows(values_only=True))
    nature = crs[0].index("InitialReport")
    assert {r[nature] for r in crs[1:] if r[crs[0].index("ProjectNumber")] == line["code"]} == {2}
    print("\nChanges sheet of the revision:\n" + "\n".join(" | ".join(map(str, r)) for r in rows))
