"""The validation's own findings in the reader's language: stored with the publication as a msgid
and its parameters, said in Dutch on the IATI tab and by the API to a Dutch user, in English to
an English one; the ruleset's own messages stay as IATI publishes them (English), and a report
stored before findings were messages still shows its text.

The situation is the real one: the ODA officer accepted a Malawian line whose purpose code 74010
the DAC withdrew, and the installation names no IATI code-list folder; the monthly publication
runs through the service with the real writer and validation."""
from __future__ import annotations

import html as html_lib

import pytest
from sqlalchemy import update

from app.auth.roles import Role
from exports.models import IatiPublication
from exports.services import iati_publication as iati
from oda.services.overrides import override_classification
from tests.builders.oda import seed_classified
from tests.builders.reference import needs_shared
from tests.builders.web import csrf_token_from, web  # noqa: F401

pytestmark = needs_shared
TAB = "/exports/iati"
API = "/api/v1/exports/iati"
WITHDRAWN_EN = "74010 is a withdrawn code of Sector"
WITHDRAWN_NL = "74010 is een ingetrokken code van Sector"
#: the ruleset's message (IATI publishes it in English only) inside our "not checked" wrapper
RULE_1_14_8 = "The reporting organisation id must start with an approved agency code."
NOT_CHECKED_EN = ("not checked (the list of OrganisationRegistrationAgency prefixes is not in "
                  f"AIDLEDGER_IATI_CODELIST_DIR): {RULE_1_14_8}")
NOT_CHECKED_NL = ("niet gecontroleerd (de lijst met de prefixen van OrganisationRegistrationAgency staat niet in "
                  f"AIDLEDGER_IATI_CODELIST_DIR): {RULE_1_14_8}")
UNSET_EN = "AIDLEDGER_IATI_CODELIST_DIR is not set: codes of the IATI lists Aidledger does not load ("
UNSET_NL = "AIDLEDGER_IATI_CODELIST_DIR is niet ingesteld: de codes van de IATI-lijsten die Aidledger niet laadt ("


@pytest.fixture
def published(app, web, monkeypatch):
    """The monthly publication of a ledger with an accepted line on a withdrawn purpose code,
    on an installation without the IATI code lists: warnings only, so it is published."""
    monkeypatch.setitem(app.config, "AIDLEDGER_IATI_CODELIST_DIR", "")
    ids = web.seed(seed_classified)
    web.seed(lambda s: override_classification(
        s, ids["review"], "accept", "Still disaster prevention in 2023: agreed with the DAC secretariat."))
    publication = web.seed(lambda s: iati.publish_iati(s, "monthly_iati_publication", trigger="schedule"))
    assert publication.published and publication.row.warning_count > 0
    return publication.row.id


def _page(client) -> str:
    response = client.get(TAB)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _report_section(page: str) -> str:
    return page[page.index('id="report"'):page.index('id="history-head"')]


def test_a_dutch_reader_reads_the_findings_in_dutch(web, published):
    report = _report_section(_page(web.signed_in(Role.ODA_OFFICER, locale="nl")))
    for dutch in (WITHDRAWN_NL, NOT_CHECKED_NL, UNSET_NL):
        assert dutch in report, dutch
    for english in ("withdrawn code", "not checked", "is not set", "were not checked"):
        assert english not in report, english


def test_an_english_reader_reads_them_as_before(web, published):
    report = _report_section(_page(web.signed_in(Role.ODA_OFFICER)))
    for english in (WITHDRAWN_EN, NOT_CHECKED_EN, UNSET_EN):
        assert english in report, english
    assert "ingetrokken" not in report and "niet gecontroleerd" not in report


def test_the_api_says_them_in_the_users_language(web, published):
    dutch = web.token(web.user(Role.VIEWER, locale="nl"))
    english = web.token(web.user(Role.VIEWER))
    said = {}
    for language, token in (("nl", dutch), ("en", english)):
        response = web.client.get(API, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
        said[language] = {f["message"] for f in response.get_json()["latest"]["report"]["findings"]}
    assert {WITHDRAWN_NL, NOT_CHECKED_NL} <= said["nl"] and WITHDRAWN_EN not in said["nl"]
    assert {WITHDRAWN_EN, NOT_CHECKED_EN} <= said["en"] and WITHDRAWN_NL not in said["en"]


def test_the_stored_report_keeps_each_message_with_its_parameters(web, published):
    findings = web.query(lambda s: s.get(IatiPublication, published).report["findings"])
    withdrawn = next(f for f in findings if f["rule_id"] == "codelist" and f["path"] == "sector/@code")
    assert withdrawn["message"] == {"id": "%(code)s is a withdrawn code of %(list)s",
                                    "params": {"code": "74010", "list": "Sector"}}
    not_checked = next(f for f in findings if f["rule_id"] == "1.14.8")
    assert not_checked["message"]["id"] == "not checked (the list of %(list)s prefixes is not in %(setting)s): " \
                                           "%(message)s"
    assert not_checked["message"]["params"] == {"list": "OrganisationRegistrationAgency",
                                                "setting": "AIDLEDGER_IATI_CODELIST_DIR", "message": RULE_1_14_8}


def test_a_report_stored_as_text_still_shows_its_text(web, published):
    """A publication kept before findings were messages: each message is the sentence itself."""
    def as_text(session):
        row = session.get(IatiPublication, published)
        report = dict(row.report, findings=[dict(f, message=WITHDRAWN_EN) for f in row.report["findings"]])
        session.execute(update(IatiPublication).where(IatiPublication.id == published).values(report=report))

    web.seed(as_text)
    assert WITHDRAWN_EN in _report_section(_page(web.signed_in(Role.ODA_OFFICER, locale="nl")))
    token = web.token(web.user(Role.VIEWER, locale="nl"))
    body = web.client.get(API, headers={"Authorization": f"Bearer {token}"}).get_json()
    assert {f["message"] for f in body["latest"]["report"]["findings"]} == {WITHDRAWN_EN}


def test_an_installation_without_the_schemas_says_so_in_dutch(app, web, monkeypatch):
    monkeypatch.setitem(app.config, "AIDLEDGER_IATI_SCHEMA_DIR", "")
    officer = web.signed_in(Role.ODA_OFFICER, locale="nl")
    page = _page(officer)
    html = html_lib.unescape(officer.post(TAB, data={"csrf_token": csrf_token_from(page)},
                                          follow_redirects=True).get_data(as_text=True))
    assert ("AIDLEDGER_IATI_SCHEMA_DIR moet de map met de officiële IATI 2.03-schema's en -regelset noemen "
            "(iati-activities-schema.xsd, ") in html
    assert "ruleset-standard.json); ze is niet ingesteld" in html and "must name the folder" not in html
