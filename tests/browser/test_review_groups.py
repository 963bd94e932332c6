"""The ODA officer's review in a real browser, on the demo: the 2024 review worked to zero
through the grouped queue (one decision per group), then one activity's codes fixed from the
queue. Screenshots of each step go to artifacts/screenshots/."""
from __future__ import annotations

from playwright.sync_api import expect

ODA = "oda.officer@aidledger.demo"


def _groups(page):
    return page.locator("ol.review-groups li.review-group")


def test_the_officer_works_the_2024_review_to_zero_and_fixes_codes_at_the_source(visit):
    v = visit()
    page = v.sign_in(ODA)
    v.go("/oda/reviews?year=2024")
    groups = _groups(page)
    count = groups.count()
    assert 1 <= count <= 15, f"{count} groups to decide in 2024"
    expect(groups.first.locator(".group-reasons")).to_contain_text("No recipient")  # reasons inline
    v.screenshot("review-01-queue-2024")
    for step in range(count):
        group = _groups(page).first
        group.locator("summary", has_text="Decide").click()
        group.locator("input[name=action][value=reject]").check()
        group.locator("textarea[name=reason]").fill("Internships in Flanders: not reportable as ODA")
        if step == 0:
            v.screenshot("review-02-group-decision-form")
        group.locator("button", has_text="Record the group decision").click()
        page.wait_for_load_state()
        expect(page.locator("#decision-state")).to_have_text("active")
        if step == 0:
            v.screenshot("review-03-group-decision")
        v.go("/oda/reviews?year=2024")
    expect(page.locator("ol.review-groups")).to_contain_text("Nothing to review.")
    expect(page.locator("#queue-summary")).to_contain_text("0 lines of 2024 need review.")
    v.screenshot("review-04-2024-done")

    v.go("/oda/reviews?year=2023")
    group = _groups(page).first
    group.locator("summary", has_text="Fix the activity's codes").click()
    group.locator("select[name=main_objective]").select_option("donor_interest")
    v.screenshot("review-05-fix-codes-form")
    group.locator("button", has_text="Save the codes and classify again").click()
    page.wait_for_load_state()
    expect(page.locator("ol.review-groups")).to_contain_text("Nothing to review.")
    v.screenshot("review-06-fixed-at-the-source")
    v.go("/oda/reviews?year=2024")
    expect(page.locator("ol.review-groups")).to_contain_text("Nothing to review.")
