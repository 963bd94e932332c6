"""The workspace in a real browser: each role signs in, the overview and a programme,
a budget line edited and found in the audit trail, Dutch with Belgian formats, an
import, the activity form, the job runs, keyboard use. Screenshots of the main pages
go to artifacts/screenshots/."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

DEMO = "aidledger.demo"
ADMIN, MANAGER, FINANCE, ODA, VIEWER = (f"{name}@{DEMO}" for name in (
    "admin", "programme.manager", "finance", "oda.officer", "viewer"))


def _nav(page) -> list[str]:
    return [t.strip() for t in page.locator("nav.mainnav a").all_inner_texts()]


@pytest.mark.parametrize("email, language, sees, does_not_see", [
    (ADMIN, "nl", ["Programma's", "Auditlogboek", "Geplande taken", "Imports"], []),
    (MANAGER, "en", ["Programmes", "Audit trail", "Grants"], ["Imports", "Job runs"]),
    (FINANCE, "nl", ["Programma's", "Imports", "Geplande taken"], ["ODA-nazicht"]),
    (ODA, "en", ["ODA review", "ODA reports", "Job runs"], ["Imports"]),
    (VIEWER, "nl", ["Programma's"], ["Auditlogboek", "Imports", "Geplande taken"]),
])
def test_each_role_signs_in_to_the_overview_in_its_language(visit, email, language, sees, does_not_see):
    v = visit()
    page = v.sign_in(email)
    assert page.locator("html").get_attribute("lang") == ("nl-BE" if language == "nl" else "en")
    nav = _nav(page)
    assert all(item in nav for item in sees), nav
    assert not any(item in nav for item in does_not_see), nav
    assert page.locator("table.portfolio tbody tr").count() >= 2
    if email == ADMIN:
        v.go("/?year=2022")
        v.screenshot("overview-nl")


def test_programme_manager_sees_only_their_programmes_and_the_chart(visit):
    v = visit()
    page = v.sign_in(MANAGER)
    page = v.go("/?year=2022")
    subs = page.locator("table.portfolio tbody th .sub").all_inner_texts()
    codes = [m.group(1) for text in subs if (m := re.match(r"^([A-Z0-9-]+) · \d{4}–\d{4}$", text))]
    assert sorted(codes) == ["MOZ-CSP4", "MWI-CSP3"]
    v.screenshot("overview-programme-manager")
    page.click("text=Malawi country programme 2019–2023")
    page.wait_for_selector("figure.chart-ready canvas")
    assert page.locator(".chart-fallback").is_hidden(), "the chart replaces the HTML bars"
    assert page.locator("#year-totals tbody tr").count() == 5, "the table stays beside the chart"
    v.screenshot("programme")
    v.go("/programmes/ZAF-CSP3", status=404)  # not theirs: as if it did not exist
    assert "Page not found" in v.page.content() and "access" not in v.page.content()


def test_budget_line_edit_then_the_event_in_the_audit_trail(visit):
    v = visit()
    page = v.sign_in(MANAGER)
    v.go("/programmes/MOZ-CSP4")
    row = page.locator("section[aria-labelledby=budget-lines] tbody tr", has_text="2024")
    row.locator("a", has_text="Edit").click()
    page.wait_for_selector("#planned_amount")
    assert page.input_value("#planned_amount") == "5,000,000.00"
    page.fill("#planned_amount", "4875000.25")
    page.click("text=Save budget line")
    page.wait_for_selector(".flash-success")
    assert "The budget line for 2024 is saved" in page.inner_text(".flash-success")
    assert "€4,875,000.25" in page.inner_text("section[aria-labelledby=budget-lines]")

    v.go("/audit?type=BudgetLineChanged")
    first = page.locator("table.audit tbody tr").first
    text = first.inner_text()
    assert "Budget line changed" in text and MANAGER in text
    assert first.locator(".before").inner_text() == "5000000.00"
    assert first.locator(".after").inner_text() == "4875000.25"
    v.screenshot("audit")


def test_a_wrong_amount_is_explained_next_to_the_field(visit):
    v = visit()
    page = v.sign_in(MANAGER)
    v.go("/programmes/MOZ-CSP4")
    v.expected_statuses.add(422)
    page.select_option("#year", "2025")
    page.fill("#planned_amount", "four million")
    page.click("text=Save budget line")
    page.wait_for_selector("#planned_amount-error")
    assert "not an amount: 'four million'" in page.inner_text("#planned_amount-error")
    assert page.get_attribute("#planned_amount", "aria-invalid") == "true"


def test_a_dutch_programme_manager_enters_a_budget_line_as_dutch_notation(visit):
    v = visit()
    page = v.sign_in(MANAGER)
    v.go("/programmes/MOZ-CSP4")
    page.click("button[lang=nl]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nl-BE"
    page.select_option("#year", "2025")
    page.fill("#planned_amount", "5.250.000,00")
    v.screenshot("budget-line-dutch-amount-nl")
    page.click("text=Begrotingslijn bewaren")
    page.wait_for_selector(".flash-success")
    assert "Iemand anders" not in page.content(), "no false conflict for a year the table shows"
    assert re.search(r"€\s5\.250\.000,00", page.inner_text("section[aria-labelledby=budget-lines]"))
    row = page.locator("section[aria-labelledby=budget-lines] tbody tr", has_text="2025")
    row.locator("a").first.click()
    page.wait_for_selector("#planned_amount")
    assert page.input_value("#planned_amount") == "5.250.000,00", "the form shows the amount in Dutch notation"
    v.go("/audit?type=BudgetLineChanged")
    first = page.locator("table.audit tbody tr").first
    assert first.locator(".after").inner_text() == "5250000.00", "stored as 5250000.00"
    v.screenshot("budget-line-dutch-amount-audit-nl")
    page.click("button[lang=en]")
    page.wait_for_load_state()


def test_switching_to_dutch_shows_dutch_words_and_belgian_amounts(visit):
    v = visit()
    page = v.sign_in(ODA)
    v.go("/programmes/MWI-CSP3")
    assert "Budget and spending per year" in page.content()
    page.click("button[lang=nl]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nl-BE"
    assert "Begroting en uitgaven per jaar" in page.content()
    totals = page.inner_text("#year-totals")
    assert re.search(r"€\s5\.000\.000,00", totals), totals
    assert "Bestedingsgraad" in totals
    page.wait_for_selector("figure.chart-ready canvas")
    v.screenshot("programme-nl")
    page.click("button[lang=en]")
    page.wait_for_load_state()
    assert "Budget and spending per year" in page.content()


def test_live_filter_and_sorting_without_reloading(visit):
    v = visit()
    page = v.sign_in(VIEWER)
    v.go("/?year=2022")
    page.evaluate("window.__sameDocument = true")
    page.select_option("#country", "253")
    expect(page.locator("table.portfolio tbody tr")).to_have_count(1)
    assert page.evaluate("window.__sameDocument") is True, "filtered in place, no reload"
    assert "country=253" in page.url
    v.go("/programmes/MWI-CSP3")
    page.evaluate("window.__sameDocument = true")
    page.click("#activities-region th a.sort[href*='sort=disbursed']")
    page.wait_for_selector("#activities-region th[aria-sort]:has(a[href*='sort=disbursed'])")
    amounts = page.locator("#activities-region tbody tr td:last-child").all_inner_texts()
    values = [float(re.sub(r"[^\d,]", "", a).replace(",", ".")) for a in amounts]
    assert values == sorted(values), "sorted by disbursed, ascending"
    page.fill("#q", "markets")
    expect(page.locator("#activities-region tbody tr")).to_have_count(1)
    assert page.evaluate("window.__sameDocument") is True


def test_activity_page_and_its_form(visit):
    v = visit()
    page = v.sign_in(MANAGER)
    v.go("/activities/MWI-2019-TLC")
    assert "253" in page.inner_text("dl.attributes") and "Malawi" in page.inner_text("dl.attributes")
    v.screenshot("activity")
    v.expected_statuses.add(422)
    page.fill("#purpose_code", "3112")
    page.click("text=Save the activity")
    page.wait_for_selector("#purpose_code-error")
    assert "5 digits" in page.inner_text("#purpose_code-error")
    page.fill("#purpose_code", "31120")
    page.fill("#geography", "Kasungu and Mzimba districts")
    page.click("text=Save the activity")
    page.wait_for_selector(".flash-success")
    assert "Kasungu and Mzimba districts" in page.inner_text("dl.attributes")


def _upload_rates(v, tmp_path, year: int):
    page = v.sign_in(FINANCE)
    if page.locator("nav.mainnav a[href='/imports']").count() == 0:
        pytest.skip("the Imports page (importers package) is not registered in this build")
    v.go("/imports")
    rates = tmp_path / f"rates-{year}.csv"
    rates.write_text(f"year,currency,units_per_usd,source\n{year},MWK,1750.25,IMF IFS annual average\n")
    page.select_option("#kind", "rates")
    page.set_input_files("#file", str(rates))
    page.click("button[value=import]")
    page.wait_for_url(re.compile(r"/imports/\d+"))
    return page, rates.name


def test_upload_a_file_on_the_imports_page(browser, live_app, tmp_path):
    """The plain form (as without JavaScript): the file is imported and its result shown."""
    from tests.browser.conftest import Visit

    v = Visit(browser, live_app, javascript=False)
    try:
        page, name = _upload_rates(v, tmp_path, 2027)
        body = page.inner_text("main")
        assert name in body and "2027 MWK" in body
        v.screenshot("import-result")
    finally:
        v.context.close()


def test_upload_with_the_progress_bar(visit, tmp_path):
    page, name = _upload_rates(visit(), tmp_path, 2028)
    assert name in page.inner_text("main")


def test_job_runs_page(visit):
    v = visit()
    page = v.sign_in(ADMIN)
    page.click("nav.mainnav a[href='/jobs']")
    page.wait_for_load_state()
    assert "Geplande taken" in page.inner_text("h1")
    jobs = page.locator("#jobs ~ .table-wrap tbody tr, section[aria-labelledby=jobs] tbody tr").count()
    assert jobs >= 2
    v.screenshot("job-runs")


def test_keyboard_users_skip_to_the_content(visit):
    v = visit()
    page = v.sign_in(VIEWER)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip"
    assert page.locator("a.skip").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_no_clipped_table_at_1366_and_a_compact_filter_form_on_a_phone(visit):
    v = visit()
    page = v.sign_in(ODA)
    v.go("/exports/reports")
    policy = page.locator("#policy-table")
    table, wrap = policy.bounding_box(), policy.locator("..").bounding_box()
    assert table["width"] <= wrap["width"] + 1, f"the ODA-by-policy-area table is clipped: {table} in {wrap}"
    v.screenshot("reports-1366")
    page.set_viewport_size({"width": 375, "height": 800})
    v.go("/")
    country, area = page.locator("#country").bounding_box(), page.locator("#policy_area").bounding_box()
    assert area["y"] - (country["y"] + country["height"]) < 60, "no large gaps between the stacked filters"
    v.screenshot("overview-phone")
