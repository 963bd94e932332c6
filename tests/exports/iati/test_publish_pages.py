"""The public IATI URLs (no login, 404 before the first publication, ETag, only what was
published) and the IATI tab of the Exports page (report with fix links, Publish now, Dutch, roles)."""
from __future__ import annotations

import pytest

from app.auth.roles import Role
from exports.services import iati_publication as iati
from programmes.services.programmes import get_programme_by_code
from tests.builders import programmes as b
from tests.builders.web import csrf_token_from, seed_portfolio, web  # noqa: F401
from tests.exports.iati.fake_writer import ORGANISATION, activities_xml, organisation_xml, writer  # noqa: F401 - fixture

ACTIVITIES_URL = f"/iati/{ORGANISATION}-activities.xml"
ORGANISATION_URL = f"/iati/{ORGANISATION}-organisation.xml"
TAB = "/exports/iati"


@pytest.fixture
def portfolio(web):
    return web.seed(seed_portfolio)


def _publish(web, writer, by: str = "oda.officer@vlaanderen.test"):
    return web.seed(lambda s: iati.publish_iati(s, by, trigger="browser"))


# --- the public URLs ----------------------------------------------------------------------------


def test_the_public_urls_answer_404_before_the_first_publication(client, portfolio):
    assert client.get(ACTIVITIES_URL).status_code == 404
    assert client.get(ORGANISATION_URL).status_code == 404


def test_anyone_fetches_the_published_files_without_login(client, web, writer, portfolio):
    publication = _publish(web, writer)
    response = client.get(ACTIVITIES_URL)
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    assert response.data == activities_xml(["MWI-2019-TLC"])
    assert response.headers["ETag"] == f'"{publication.row.files[0].sha256}"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    organisation = client.get(ORGANISATION_URL)
    assert organisation.status_code == 200 and organisation.data == organisation_xml()
    assert organisation.headers["ETag"] == f'"{publication.row.files[1].sha256}"'


def test_a_registry_asking_again_with_the_etag_gets_304_without_the_file(client, web, writer, portfolio):
    publication = _publish(web, writer)
    again = client.get(ACTIVITIES_URL, headers={"If-None-Match": f'"{publication.row.files[0].sha256}"'})
    assert again.status_code == 304 and again.data == b""
    changed = client.get(ACTIVITIES_URL, headers={"If-None-Match": '"0000"'})
    assert changed.status_code == 200 and changed.data


def test_a_refused_publication_is_never_served(client, web, writer, portfolio):
    first = _publish(web, writer)
    web.seed(lambda s: b.cerf_core_contribution(s, get_programme_by_code(s, "MOZ-CSP4")))
    writer.error("CERF-CORE")
    refused = _publish(web, writer)
    assert not refused.published and refused.row.files[0].sha256 != first.row.files[0].sha256
    response = client.get(ACTIVITIES_URL)
    assert response.headers["ETag"] == f'"{first.row.files[0].sha256}"'


def test_only_refused_files_means_nothing_is_served(client, web, writer, portfolio):
    writer.error("MWI-2019-TLC")
    _publish(web, writer)
    assert client.get(ACTIVITIES_URL).status_code == 404


@pytest.mark.parametrize("name", ["XM-DAC-2-71-activities.xml", "XM-DAC-2-70-budget.xml", "XM-DAC-2-70",
                                  "-activities.xml", "XM-DAC-2-70-activities.xml.bak", "%00-activities.xml",
                                  "X" * 100_000 + "-activities.xml"])
def test_other_names_are_404(client, web, writer, portfolio, name):
    _publish(web, writer)
    assert client.get(f"/iati/{name}").status_code == 404


def test_the_public_url_takes_no_writes(client, web, writer, portfolio):
    _publish(web, writer)
    assert client.post(ACTIVITIES_URL).status_code == 405


# --- the IATI tab -------------------------------------------------------------------------------


def test_the_tab_before_any_publication(web, portfolio):
    page = web.signed_in(Role.ODA_OFFICER).get(TAB).get_data(as_text=True)
    assert 'data-state="unpublished"' in page and 'id="publish"' in page


def test_the_officer_publishes_from_the_tab_and_sees_the_files(web, writer, portfolio):
    officer = web.signed_in(Role.ODA_OFFICER)
    page = officer.get(TAB).get_data(as_text=True)
    done = officer.post(TAB, data={"csrf_token": csrf_token_from(page)}, follow_redirects=True)
    html = done.get_data(as_text=True)
    assert "IATI files published: 1 activities, 2 transactions." in html
    latest = web.query(lambda s: [(p.triggered_by, [f.id for f in p.files], p.files[0].sha256)
                                  for p in iati.recent_publications(s)])
    assert len(latest) == 1
    by, file_ids, sha256 = latest[0]
    assert by == officer.user_email
    assert 'data-state="published"' in html
    assert f"http://aidledger.test{ACTIVITIES_URL}" in html and sha256 in html
    assert f'/exports/iati/files/{file_ids[0]}' in html and f'/exports/iati/files/{file_ids[1]}' in html
    download = officer.get(f"/exports/iati/files/{file_ids[0]}")
    assert download.status_code == 200 and download.data == activities_xml(["MWI-2019-TLC"])


def test_a_refused_publication_shows_each_error_with_its_rule_and_a_link_to_the_activity(web, writer, portfolio):
    writer.error("MWI-2019-TLC", "6.2.1", "The activity must have a sector.")
    writer.warning("MWI-2019-TLC", "6.11.1", "The activity should have a budget.")
    officer = web.signed_in(Role.ODA_OFFICER)
    page = officer.get(TAB).get_data(as_text=True)
    html = officer.post(TAB, data={"csrf_token": csrf_token_from(page)}, follow_redirects=True).get_data(as_text=True)
    assert "not published: the validation found 1 error" in html.replace("The IATI files were ", "")
    assert 'data-state="refused"' in html
    errors = html[html.index('data-severity="error"'):html.index('data-severity="warning"')]
    assert 'href="/activities/MWI-2019-TLC"' in errors and "<code>6.2.1</code>" in errors
    assert "The activity must have a sector." in errors
    warnings = html[html.index('data-severity="warning"'):]
    assert "The activity should have a budget." in warnings
    assert 'href="https://iatistandard.org/en/guidance/standard-guidance/activity-budgets/"' in warnings


def test_the_tab_in_dutch(web, writer, portfolio):
    writer.error("MWI-2019-TLC")
    _publish(web, writer)
    page = web.signed_in(Role.ODA_OFFICER, locale="nl").get(TAB).get_data(as_text=True)
    for dutch in ("Publiceer nu", "Validatierapport van de laatste publicatie", "Activiteitenbestand",
                  "niet gepubliceerd", "1 fout", "Fouten: ze houden de publicatie tegen"):
        assert dutch in page, dutch
    for english in ("Publish now", "Validation report", "not published", "Errors:", "Published files"):
        assert english not in page, english


def test_a_viewer_reads_the_tab_but_cannot_publish(web, writer, portfolio):
    viewer = web.signed_in(Role.VIEWER)
    page = viewer.get(TAB)
    assert page.status_code == 200 and 'id="publish"' not in page.get_data(as_text=True)
    assert viewer.post(TAB, data={}).status_code == 403
    assert web.query(iati.recent_publications) == []


def test_a_programme_manager_sees_no_tab(web, writer, portfolio):
    manager = web.signed_in(Role.PROGRAMME_MANAGER, portfolio["malawi"])
    assert manager.get(TAB).status_code == 403
    assert 'href="/exports/iati"' not in manager.get("/exports/").get_data(as_text=True)
    assert manager.post(TAB, data={}).status_code == 403


def test_the_exports_page_links_to_the_tab(web, portfolio):
    assert 'href="/exports/iati"' in web.signed_in(Role.VIEWER).get("/exports/").get_data(as_text=True)


def test_downloads_need_a_login(client, web, writer, portfolio):
    file_id = web.query(lambda s: iati.recent_publications(s)[0].files[0].id) if _publish(web, writer) else None
    assert client.get(f"/exports/iati/files/{file_id}").status_code == 302


def test_an_installation_without_the_iati_schemas_says_so_on_the_tab(web, writer, portfolio):
    writer.setup_error = "AIDLEDGER_IATI_SCHEMA_DIR must name the folder of the official IATI 2.03 schemas"
    officer = web.signed_in(Role.ODA_OFFICER)
    page = officer.get(TAB).get_data(as_text=True)
    html = officer.post(TAB, data={"csrf_token": csrf_token_from(page)}, follow_redirects=True).get_data(as_text=True)
    assert "AIDLEDGER_IATI_SCHEMA_DIR must name the folder" in html and 'data-state="unpublished"' in html
    assert web.query(iati.recent_publications) == []
