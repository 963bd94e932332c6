"""/api/v1/activities: list, read, create, change with optimistic locking."""
from datetime import date

import pytest
from sqlalchemy import select, update

from app.auth.roles import Role
from app.events.models import Event
from programmes.models import Activity, Programme
from tests.builders.api import api, assert_error, pagination  # noqa: F401 - fixture
from tests.builders.programmes import (
    cerf_core_contribution, disburse, malawi_agriculture_programme, multilateral_portfolio, tradeline_market_access,
)


@pytest.fixture
def world(api):
    """Malawi with Tradeline, the multilateral portfolio with CERF; returns ids."""
    def build(session):
        malawi, multi = malawi_agriculture_programme(session), multilateral_portfolio(session)
        tradeline, cerf = tradeline_market_access(session, malawi), cerf_core_contribution(session, multi)
        return {"malawi": malawi.id, "multi": multi.id, "tradeline": tradeline.id, "cerf": cerf.id,
                "tradeline_org": tradeline.organisation_id}

    return api.seed(build)


def new_activity(**overrides):
    body = {"code": "MWI-2024-SEED", "title": "Seed systems for smallholders in Dedza",
            "programme_code": "MWI-CSP3", "recipient_code": "253", "purpose_code": "31150", "aid_type": "C01",
            "commitment_date": "2024-02-01", "commitment_amount": "750000.00", "start_date": "2024-03-01",
            "end_date": "2026-12-31", "marker_gender": 2, "marker_climate_adaptation": 1}
    body.update(overrides)
    return body


def _activity(api, activity_id):
    return api.query(lambda s: s.get(Activity, activity_id))


def _events(api, type_):
    return api.query(lambda s: s.scalars(select(Event).where(Event.type == type_).order_by(Event.id)).all())


# --- reading --------------------------------------------------------------------------------

def test_list_and_filters(api, world):
    token = api.token(Role.VIEWER)
    response = api.get("/api/v1/activities", token)
    assert [a["code"] for a in response.get_json()] == ["CERF-CORE", "MWI-2019-TLC"]
    assert pagination(response)["total"] == 2
    assert [a["code"] for a in api.get("/api/v1/activities?programme=MULTI", token).get_json()] == ["CERF-CORE"]
    assert [a["code"] for a in api.get("/api/v1/activities?code=MWI-2019-TLC", token).get_json()] == ["MWI-2019-TLC"]
    assert api.get("/api/v1/activities?status=completed", token).get_json() == []
    assert api.get("/api/v1/activities?programme=' OR 1=1 --", token).get_json() == []


def test_detail_shows_crs_attributes_money_as_text_and_the_version(api, world):
    body = api.get(f"/api/v1/activities/{world['tradeline']}", api.token(Role.VIEWER)).get_json()
    assert body["programme_code"] == "MWI-CSP3"
    assert body["organisation_name"] == "Tradeline Corporation Limited"
    assert body["commitment_amount"] == "1600000.00"
    assert body["commitment_date"] == "2019-03-01"
    assert (body["purpose_code"], body["channel_code"], body["marker_gender"]) == ("31120", "61000", 1)
    assert body["version"] == 1


def test_programme_manager_sees_only_their_activities(api, world):
    token = api.token(Role.PROGRAMME_MANAGER, world["multi"])
    assert [a["code"] for a in api.get("/api/v1/activities", token).get_json()] == ["CERF-CORE"]
    assert_error(api.get(f"/api/v1/activities/{world['tradeline']}", token), 404)  # as if it did not exist


@pytest.mark.parametrize("path", ["-1", "0", "99999", "9" * 30, "abc", "1.5", "1%00"])
def test_missing_or_malformed_ids_are_404(api, world, path):
    assert_error(api.get(f"/api/v1/activities/{path}", api.token(Role.ADMIN)), 404)


# --- creating -------------------------------------------------------------------------------

def test_programme_manager_creates_an_activity_in_their_programme(api, world):
    token = api.token(Role.PROGRAMME_MANAGER, world["malawi"])
    response = api.post("/api/v1/activities", token, new_activity(organisation_id=world["tradeline_org"]))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["code"], body["programme_code"], body["commitment_amount"], body["version"]) == (
        "MWI-2024-SEED", "MWI-CSP3", "750000.00", 1)
    assert body["flow_type"] == "10" and body["status"] == "active"
    created = _events(api, "ActivityCreated")[-1]
    assert created.aggregate_id == str(body["id"]) and created.payload["commitment_amount"] == "750000.00"


@pytest.mark.parametrize("role, scope, status", [
    (Role.VIEWER, None, 403), (Role.FINANCE, None, 403), (Role.ODA_OFFICER, None, 403),
    (Role.PROGRAMME_MANAGER, "multi", 422),  # another programme's code reads as an unknown one
])
def test_others_cannot_create_activities_in_malawi(api, world, role, scope, status):
    token = api.token(role, world[scope] if scope else None)
    before = api.counts(Activity, Event)
    assert_error(api.post("/api/v1/activities", token, new_activity()), status)
    assert api.counts(Activity, Event) == before


@pytest.mark.parametrize("overrides, field", [
    ({"code": "MWI-2019-TLC"}, "code"),                          # exists already (service rule)
    ({"programme_code": "NOPE"}, "programme_code"),
    ({"organisation_id": 999999}, "organisation_id"),
    ({"organisation_id": -3}, "organisation_id"),
    ({"organisation_id": "1"}, "organisation_id"),
    ({"organisation_id": 2**40}, "organisation_id"),
    ({"end_date": "2023-01-01"}, "end_date"),                     # before the start (service rule)
    ({"start_date": "01/03/2024"}, "start_date"),
    ({"start_date": "0202-03-01"}, "start_date"),
    ({"commitment_amount": 750000.0}, "commitment_amount"),
    ({"commitment_amount": "750.000,00"}, "commitment_amount"),
    ({"commitment_amount": "-750000.00"}, "commitment_amount"),   # refused like a negative planned amount
    ({"marker_gender": 3}, "marker_gender"),
    ({"marker_rmnch": -1}, "marker_rmnch"),
    ({"marker_gender": 1.0}, "marker_gender"),
    ({"flag_ftc": "yes"}, "flag_ftc"),
    ({"flag_pba": 1}, "flag_pba"),
    ({"flag_investment_project": None}, "flag_investment_project"),
    ({"main_objective": "world_peace"}, "main_objective"),
    ({"status": "'; DELETE FROM activities; --"}, "status"),
    ({"currency": "eur"}, "currency"),
    ({"code": "MWI 2024/SEED"}, "code"),
    ({"code": "'; DROP TABLE activities; --"}, "code"),
    ({"code": ""}, "code"),
    ({"title": ""}, "title"),
    ({"title": "x" * 301}, "title"),
    ({"title": "x" * 1_000_000}, "title"),
    ({"title": "Seeds\u0000"}, "title"),
    ({"title": "Seeds\nand tools"}, "title"),
    ({"title": ["a list"]}, "title"),
    ({"title": None}, "title"),
    ({"description": "y" * 10_001}, "description"),
    ({"purpose_code": "31150<script>"}, "purpose_code"),
    ({"programme_id": 1}, "programme_id"),                        # unknown field: use programme_code
    ({"version": 1}, "version"),
])
def test_bad_activities_are_422_naming_the_field_and_change_nothing(api, world, overrides, field):
    token = api.token(Role.ADMIN)
    before = api.counts(Activity, Event)
    error = assert_error(api.post("/api/v1/activities", token, new_activity(**overrides)), 422)
    assert field in error["details"]["json"], error
    assert api.counts(Activity, Event) == before


@pytest.mark.parametrize("body", ["[]", "null", '"text"', "7", ""])
def test_bodies_that_are_not_objects_are_422(api, world, body):
    before = api.counts(Activity)
    assert_error(api.post("/api/v1/activities", api.token(Role.ADMIN), body or None,
                          content_type="application/json"), 422)
    assert api.counts(Activity) == before


def test_crs_flags_are_set_shown_and_changed_with_an_event(api, world):
    token = api.token(Role.ADMIN)
    created = api.post("/api/v1/activities", token, new_activity(flag_ftc=True)).get_json()
    assert (created["flag_ftc"], created["flag_pba"], created["flag_investment_project"],
            created["flag_associated_financing"]) == (True, False, False, False)
    changed = api.patch(f"/api/v1/activities/{created['id']}", token,
                        {"version": created["version"], "flag_ftc": False, "flag_pba": True}).get_json()
    assert (changed["flag_ftc"], changed["flag_pba"]) == (False, True)
    event = _events(api, "ActivityChanged")[-1]
    assert event.payload["changes"]["flag_ftc"] == {"before": True, "after": False}
    assert event.payload["changes"]["flag_pba"] == {"before": False, "after": True}


def test_a_multiline_description_is_kept(api, world):
    response = api.post("/api/v1/activities", api.token(Role.ADMIN),
                        new_activity(description="Phase 1: seed fairs.\nPhase 2:\tvouchers."))
    assert response.get_json()["description"] == "Phase 1: seed fairs.\nPhase 2:\tvouchers."


# --- changing -------------------------------------------------------------------------------

def test_update_with_the_current_version_changes_and_records_before_and_after(api, world):
    token = api.token(Role.PROGRAMME_MANAGER, world["malawi"])
    url = f"/api/v1/activities/{world['tradeline']}"
    response = api.patch(url, token, {"version": 1, "title": "Market access in Kasungu, Mzimba and Dedza",
                                      "commitment_amount": "1750000", "marker_gender": 2})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["version"], body["commitment_amount"], body["marker_gender"]) == (2, "1750000.00", 2)
    changed = _events(api, "ActivityChanged")[-1]
    assert changed.payload["changes"]["commitment_amount"] == {"before": "1600000.00", "after": "1750000.00"}
    assert changed.payload["programme_id"] == world["malawi"]


def test_a_stale_version_is_409_and_nothing_is_written(api, world):
    token = api.token(Role.ADMIN)
    url = f"/api/v1/activities/{world['tradeline']}"
    assert api.patch(url, token, {"version": 1, "title": "First edit"}).status_code == 200
    events = api.count(Event)
    error = assert_error(api.patch(url, token, {"version": 1, "title": "Second edit from an old copy"}), 409)
    assert "version 2" in error["message"]
    assert _activity(api, world["tradeline"]).title == "First edit"
    assert api.count(Event) == events


def test_a_concurrent_writer_between_read_and_write_is_409(api, world, monkeypatch):
    """The version column also guards the gap between our check and our UPDATE."""
    from programmes.api import activities as module

    real = module.update_activity

    def racing(session, activity, **fields):
        session.execute(update(Activity).where(Activity.id == activity.id).values(version=Activity.version + 1),
                        execution_options={"synchronize_session": False})
        return real(session, activity, **fields)

    monkeypatch.setattr(module, "update_activity", racing)
    response = api.patch(f"/api/v1/activities/{world['tradeline']}", api.token(Role.ADMIN),
                         {"version": 1, "title": "Lost update?"})
    assert_error(response, 409, "conflict")
    assert _activity(api, world["tradeline"]).title.startswith("Market access")


def test_version_is_required_and_only_version_changes_nothing(api, world):
    token = api.token(Role.ADMIN)
    url = f"/api/v1/activities/{world['tradeline']}"
    error = assert_error(api.patch(url, token, {"title": "No version"}), 422)
    assert "version" in error["details"]["json"]
    events = api.count(Event)
    assert api.patch(url, token, {"version": 1}).get_json()["version"] == 1
    assert api.count(Event) == events


def test_moving_an_activity_needs_rights_in_both_programmes(api, world):
    url = f"/api/v1/activities/{world['cerf']}"
    manager = api.token(Role.PROGRAMME_MANAGER, world["multi"])
    error = assert_error(api.patch(url, manager, {"version": 1, "programme_code": "MWI-CSP3"}), 422)
    assert error["details"]["json"] == {"programme_code": ["There is no programme MWI-CSP3."]}
    moved = api.patch(url, api.token(Role.ADMIN), {"version": 1, "programme_code": "MWI-CSP3"})
    assert moved.status_code == 200 and moved.get_json()["programme_code"] == "MWI-CSP3"


def test_an_activity_with_transactions_cannot_move(api, world):
    api.seed(lambda s: disburse(s, s.get(Activity, world["tradeline"]), date(2019, 5, 2), "10.00", "B-1"))
    error = assert_error(api.patch(f"/api/v1/activities/{world['tradeline']}", api.token(Role.ADMIN),
                                   {"version": 1, "programme_code": "MULTI"}), 422)
    assert "programme_code" in error["details"]["json"]
    assert _activity(api, world["tradeline"]).programme_id == world["malawi"]


def test_renaming_to_an_existing_code_is_422(api, world):
    error = assert_error(api.patch(f"/api/v1/activities/{world['tradeline']}", api.token(Role.ADMIN),
                                   {"version": 1, "code": "CERF-CORE"}), 422)
    assert "code" in error["details"]["json"]


def test_clearing_an_optional_attribute(api, world):
    response = api.patch(f"/api/v1/activities/{world['tradeline']}", api.token(Role.ADMIN),
                         {"version": 1, "marker_gender": None, "commitment_amount": None})
    assert (response.get_json()["marker_gender"], response.get_json()["commitment_amount"]) == (None, None)


@pytest.mark.parametrize("body, field", [
    ({"version": 1, "title": None}, "title"),
    ({"version": 1, "status": "deleted"}, "status"),
    ({"version": "1", "title": "x"}, "version"),
    ({"version": 1.0, "title": "x"}, "version"),
    ({"version": 1, "id": 5}, "id"),
    ({"version": 1, "programme_code": "NOPE"}, "programme_code"),
    ({"version": 1, "commitment_amount": 1e308}, "commitment_amount"),
])
def test_bad_updates_are_422_and_change_nothing(api, world, body, field):
    token = api.token(Role.ADMIN)
    before = api.counts(Activity, Event, Programme)
    error = assert_error(api.patch(f"/api/v1/activities/{world['tradeline']}", token, body), 422)
    assert field in error["details"]["json"]
    assert api.counts(Activity, Event, Programme) == before
    assert _activity(api, world["tradeline"]).version == 1


def test_others_cannot_update(api, world):
    url = f"/api/v1/activities/{world['tradeline']}"
    for token in (api.token(Role.VIEWER), api.token(Role.FINANCE)):
        assert_error(api.patch(url, token, {"version": 1, "title": "Not mine"}), 403)
    assert_error(api.patch(url, api.token(Role.PROGRAMME_MANAGER, world["multi"]), {"version": 1, "title": "Not mine"}),
                 404)
    assert _activity(api, world["tradeline"]).version == 1


def test_a_longer_page_costs_no_more_queries(api, world, count_queries):
    token = api.token(Role.VIEWER)
    api.get("/api/v1/activities", token)                        # stamps the token once
    with count_queries() as short:
        assert len(api.get("/api/v1/activities?page_size=1", token).get_json()) == 1
    with count_queries() as long:
        assert len(api.get("/api/v1/activities?page_size=2", token).get_json()) == 2
    assert long() == short()
