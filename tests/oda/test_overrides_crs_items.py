"""Issue 16, defect 6: an override that makes a line (partly) ODA needs the activity's CRS
mandatory items. Reproduced as a user gets there: the activity imported with Dutch
headers and without codes, its spending imported the Belgian way, classified."""
from datetime import date

import pytest
from sqlalchemy import func, select

from app.auth.roles import Role
from app.events.models import Event
from exports.crs.columns import CRS_HEADERS
from oda.mandatory import CRS_MANDATORY_ITEMS
from oda.models import Classification, Override
from oda.services import overrides
from oda.services.classify import classify
from oda.services.overrides import MissingCrsItems, override_classification, reconfirm
from programmes.models import Activity
from programmes.services.activities import update_activity
from tests.builders.api import api, assert_error  # noqa: F401
from tests.builders.oda import (LIAISON_OFFICE as OFFICE, UNESCO_CORE, activity_from, facts, imported_liaison_office,
                                oda_programmes, pay)
from tests.builders.web import web  # noqa: F401

FOUR_MISSING = ["recipient", "channel", "aid_type", "purpose_code"]


@pytest.fixture
def office(session, tmp_path) -> int:
    return imported_liaison_office(session, tmp_path)


def overridden(session) -> tuple[int, int]:
    return (session.scalar(select(func.count()).select_from(Override)),
            session.scalar(select(func.count()).select_from(Event).where(Event.type == "ClassificationOverridden")))


def test_the_mandatory_items_are_crs_columns():
    assert {item.crs_column for item in CRS_MANDATORY_ITEMS} <= set(CRS_HEADERS)
    assert "Bi_Multi" not in {item.crs_column for item in CRS_MANDATORY_ITEMS}, "derived, never asked for"


@pytest.mark.parametrize("action, share", [("set_share", "60 %"), ("accept", None)])
def test_making_a_line_of_an_incomplete_activity_oda_is_refused(session, office, action, share):
    assert session.get(Classification, office).status == "needs_review"
    with pytest.raises(MissingCrsItems) as refused:
        override_classification(session, office, action, "Staff work on the programme", share)
    assert [item.key for item in refused.value.items] == FOUR_MISSING
    assert refused.value.activity_code == OFFICE and refused.value.field == "action"
    assert "recipient, channel of delivery" in refused.value.message
    assert overridden(session) == (0, 0)
    assert session.get(Classification, office).status == "needs_review"


def test_rejecting_stays_possible_and_completing_the_activity_lifts_the_refusal(session, office):
    override_classification(session, office, "reject", "Liaison office costs are paid from the general budget")
    assert session.get(Classification, office).status == "not_eligible"
    activity = session.scalar(select(Activity).where(Activity.code == OFFICE))
    update_activity(session, activity, recipient_code="253", purpose_code="74010", aid_type="C01",
                    channel_code="11000")
    classify(session)
    override_classification(session, office, "set_share", "60 % of staff time is programme work", "60 %")
    result = session.get(Classification, office)
    assert (result.status, str(result.oda_amount_eur)) == ("eligible", "50400.00")


def test_the_organisations_channel_counts_for_the_activity(session, reference):
    """A core contribution coded without channel: its organisation's channel (41304) is used."""
    unesco = activity_from(session, oda_programmes(session)["MULTI"], facts(UNESCO_CORE, purpose_code="74010"))
    update_activity(session, unesco, channel_code=None)
    txn = pay(session, unesco, date(2023, 5, 2), "100000.00", "B-2023-U")
    classify(session)
    assert overrides.missing_crs_items(session, txn.id) == ()
    override_classification(session, txn.id, "accept", "Core contribution: 99810 applies from 2024")


def test_an_override_made_before_the_rule_is_flagged_and_cannot_be_reconfirmed(session, office, monkeypatch):
    with monkeypatch.context() as before_the_rule:
        before_the_rule.setattr(overrides, "require_crs_items", lambda *_args: None)
        override = override_classification(session, office, "set_share", "Staff work", "60 %")
    assert session.get(Classification, office).status == "eligible"
    assert classify(session)["overrides_flagged"] == 1
    session.expire_all()
    assert session.get(Override, override.id).state == "needs_reconfirmation"
    assert session.get(Classification, office).status == "needs_review"
    flag = session.scalars(select(Event).where(Event.type == "ClassificationOverrideFlagged")).one()
    assert flag.payload["changed"] == ["crs_mandatory_items"]
    with pytest.raises(MissingCrsItems):
        reconfirm(session, override.id, "Still 60 %")
    assert classify(session)["overrides_flagged"] == 0, "flagged once"


def test_the_api_answers_409_listing_the_missing_items(api, tmp_path):
    transaction_id = api.seed(lambda session: imported_liaison_office(session, tmp_path))
    response = api.post(f"/api/v1/classifications/{transaction_id}/override", api.token(Role.ODA_OFFICER),
                        {"action": "set_share", "share": "60 %", "reason": "Staff work on the programme"})
    error = assert_error(response, 409)
    details = error["details"]
    assert [item["item"] for item in details["missing_items"]] == FOUR_MISSING
    assert [item["crs_column"] for item in details["missing_items"]] == ["RecipientCode", "ChannelCode", "Aid_t",
                                                                          "PurposeCode"]
    assert details["activity_form"] == f"/activities/{OFFICE}#edit"
    assert "lacks CRS mandatory items" in error["message"]
    assert api.query(lambda s: s.get(Classification, transaction_id).status) == "needs_review"
    assert api.query(overridden) == (0, 0)


def test_the_page_says_in_dutch_what_is_missing_and_links_to_the_activity_form(web, tmp_path):
    transaction_id = web.seed(lambda session: imported_liaison_office(session, tmp_path))
    client = web.signed_in(Role.ODA_OFFICER)
    client.post("/language", data={"locale": "nl", "next": "/"})
    page = client.get(f"/oda/transactions/{transaction_id}").get_data(as_text=True)
    assert "ontvanger, kanaal" in page and f'href="/activities/{OFFICE}#edit"' in page
    response = client.post(f"/oda/transactions/{transaction_id}/override",
                           data={"action": "set_share", "share": "60", "reason": "Personeelswerk voor het programma"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f"Activiteit {OFFICE} mist deze verplichte CRS-gegevens: ontvanger" in html
    assert web.query(overridden) == (0, 0)
