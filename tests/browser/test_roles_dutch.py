"""The daily tasks of each role, in Dutch, in a real browser: finance fixes an unknown activity
code of a Dutch ledger with the suggestion; an administrator creates a user with a programme
scope; a grant goes from application to payment with two people, refused for the same person;
axe-core finds no critical or serious accessibility violation on the main pages.
Screenshots go to artifacts/screenshots/ (and, with AIDLEDGER_DOC_SCREENSHOTS=1, to docs/img/)."""
from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path


DEMO = "aidledger.demo"
ADMIN, MANAGER, FINANCE, ODA, VIEWER = (f"{name}@{DEMO}" for name in (
    "admin", "programme.manager", "finance", "oda.officer", "viewer"))
GRANTS_ASSESSOR, GRANTS_APPROVER = f"grants.assessor@{DEMO}", f"grants.approver@{DEMO}"
DOC_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "img"


def _dutch(v, email):
    page = v.sign_in(email)
    if page.locator("html").get_attribute("lang") != "nl-BE":
        page.click("button[lang=nl]")
        page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nl-BE"
    return page


def _doc_screenshot(v, name: str) -> None:
    """A small PNG of the visible part of the page for docs/workspace.md, when asked for."""
    v.screenshot(name)
    if os.environ.get("AIDLEDGER_DOC_SCREENSHOTS") == "1":
        DOC_IMAGES.mkdir(parents=True, exist_ok=True)
        v.page.screenshot(path=str(DOC_IMAGES / f"{name}.png"), full_page=False)


def _ledger(path: Path, code: str) -> Path:
    """A ledger extract as the Flemish accounting system writes it: Dutch headers, semicolons,
    Belgian amounts and dates."""
    path.write_text("Documentnummer;Boekingsdatum;Projectcode;Bedrag;Munt;Omschrijving;Soort\n"
                    f"PW-2024-9001;15/03/2024;{code};12.500,00;EUR;Tweede schijf medicijnen Tete;Betaling\n",
                    encoding="utf-8")
    return path


def _upload(page, path: Path) -> str:
    page.select_option("#kind", "spending")
    page.set_input_files("#file", str(path))
    assert page.locator("[data-upload-progress]").is_hidden(), "no progress bar before anything uploads"
    page.click("button[value=import]")
    page.wait_for_url(re.compile(r"/imports/\d+$"))
    return page.inner_text("main")


def test_finance_fixes_an_unknown_code_of_a_dutch_ledger_with_the_suggestion(visit, tmp_path):
    v = visit()
    page = _dutch(v, FINANCE)
    v.go("/imports")
    assert page.locator("[data-upload-progress]").is_hidden()
    _upload(page, _ledger(tmp_path / "grootboek-maart.csv", "MOZ-2021-CHIA"))
    first_row = page.locator("main table tbody tr").first
    reason = first_row.inner_text()
    assert "MOZ-2021-CHIA" in reason
    suggested = [c for c in re.findall(r"MOZ-\d{4}-[A-Z]+", reason) if c != "MOZ-2021-CHIA"]
    assert suggested and suggested[0] == "MOZ-2021-CHAI", reason
    _doc_screenshot(v, "imports-did-you-mean-nl")
    v.go("/imports")
    body = _upload(page, _ledger(tmp_path / "grootboek-maart-verbeterd.csv", suggested[0]))
    assert "PW-2024-9001" in body and page.locator(".import-status-imported").count() >= 1, body


def test_an_administrator_creates_a_user_with_a_programme_scope(visit, browser, live_app):
    v = visit()
    page = _dutch(v, ADMIN)
    page.click("nav.mainnav a[href='/users']")
    page.wait_for_load_state()
    assert "Gebruikers en rollen" in page.inner_text("h1")
    _doc_screenshot(v, "users-nl")
    page.click("text=Nieuwe gebruiker")
    page.fill("#name", "Els Vermeulen")
    page.fill("#email", "els.vermeulen@aidledger.demo")
    page.check("input[name=role][value=programme_manager]")
    page.select_option("#programme", page.locator("#programme option", has_text="MOZ-CSP4").get_attribute("value"))
    page.check("input[name=access][value=password]")
    page.fill("#password", "een-sterk-wachtwoord")
    _doc_screenshot(v, "user-new-nl")
    page.click("text=Gebruiker aanmaken")
    page.wait_for_selector(".flash-success")
    assert "Els Vermeulen" in page.inner_text("h1")
    assert page.is_checked("input[name=role][value=programme_manager]")

    from tests.browser.conftest import Visit

    els = Visit(browser, live_app)
    try:
        els.sign_in("els.vermeulen@aidledger.demo", "een-sterk-wachtwoord")
        els.go("/?year=2022")
        subs = " ".join(els.page.locator("table.portfolio tbody th .sub").all_inner_texts())
        assert "MOZ-CSP4" in subs and "MWI-CSP3" not in subs
        els.go("/programmes/MWI-CSP3", status=404)
    finally:
        els.context.close()


def _register_fast_track_application(v, page) -> str:
    v.go("/grants/applications")
    page.click("a.button:has-text('Humanitarian')")
    page.fill("#organisation_name", "Caritas International België")
    page.fill("#title", "Cholera-respons in Beira")
    page.fill("#recipient_code", "259")
    today = date.today()
    page.fill("#start_date", today.isoformat())
    page.fill("#end_date", date(today.year + 1, today.month, min(today.day, 28)).isoformat())
    page.fill("#amount_requested", "250000.00")
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r"/grants/applications/\d+$"))
    return page.url


def test_a_grant_from_application_to_payment_with_two_people(visit):
    v = visit()
    page = _dutch(v, GRANTS_ASSESSOR)
    url = _register_fast_track_application(v, page)
    assert "Caritas International België" in page.inner_text("main")
    page.click("form[action$='/submit'] button")
    page.wait_for_selector(".flash-success")
    v.expected_statuses.add(403)
    page.click("a[href$='/decide']")
    page.click("form.grants-form button[type=submit]")
    page.wait_for_selector("#form-error")
    refusal = page.inner_text("#form-error")
    assert "vier-ogenprincipe" in refusal and "Bart Willems" in refusal, refusal
    v.screenshot("grant-four-eyes-refused-nl")

    w = visit()
    other = _dutch(w, GRANTS_APPROVER)
    w.go(url.removeprefix(w.base))
    other.click("a[href$='/decide']")
    other.click("form.grants-form button[type=submit]")
    other.wait_for_selector(".flash-success")
    other.click("form[action$='/commit'] button")
    other.wait_for_selector(".flash-success")
    _doc_screenshot(w, "grant-application-nl")
    other.click("a[href$='/schedule']")
    other.fill("#due_date", date.today().isoformat())
    other.fill("#amount", "250000.00")
    other.click("form[action$='/tranches'] button")
    other.wait_for_selector(".flash-success")
    other.fill("#pay_amount", "250000.00")
    other.fill("#pay_document", "BK-2024-7781")
    other.click("form[action$='/payments'] button")
    other.wait_for_selector(".flash-success")
    payments = other.inner_text("section[aria-labelledby=payments]")
    assert "BK-2024-7781" in payments and "250.000,00" in payments, payments
    _doc_screenshot(w, "grant-schedule-nl")


MAIN_PAGES = [
    ("/?year=2022", "overview-nl"), ("/programmes/MOZ-CSP4", "programme-nl"), ("/activities/MOZ-2021-CHAI", None),
    ("/imports", "imports-nl"), ("/jobs", "job-runs-nl"), ("/audit", "audit-nl"), ("/grants/", "grants-nl"),
    ("/grants/applications", "grant-applications-nl"), ("/grants/calls", None), ("/users", None),
    ("/users/new", None), ("/oda/reviews", None), ("/exports/reports", None),
]


def test_the_main_pages_have_no_serious_accessibility_violation(visit):
    v = visit()
    _dutch(v, ADMIN)
    found = {}
    for path, shot in MAIN_PAGES:
        page = v.go(path)
        page.wait_for_load_state("networkidle")
        if shot:
            _doc_screenshot(v, shot)
        violations = v.accessibility_violations()
        if violations:
            found[path] = violations
    assert not found, "\n".join(f"{path}: {v}" for path, vs in found.items() for v in vs)
