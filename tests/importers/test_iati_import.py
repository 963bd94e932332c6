"""A partner organisation's IATI activity file seeds a project: each activity created or updated
through the programme services, with a result for every activity; transactions stay out."""
from datetime import date

import pytest
from sqlalchemy import select

from app.events.models import Event
from importers.services.record import ACCEPT_VALID_ROWS
from oda.reference.services import ensure_curated
from programmes.models import Activity
from tests.builders import iati_partner as build
from tests.builders.programmes import mozambique_health_programme, organisation
from tests.importers.conftest import database_counts, rows_of

TETE_HEALTH = "Direcção Provincial de Saúde de Tete"


@pytest.fixture
def moz(session):
    """The Mozambique programme, its health partner in Tete, and the curated DAC recipients."""
    ensure_curated(session)
    organisation(session, TETE_HEALTH, "government", short_name="DPS Tete", country="259")
    return mozambique_health_programme(session)


def _activity(session, code=build.ENABEL_HEALTH_CODE) -> Activity | None:
    return session.scalar(select(Activity).where(Activity.code == code))


def test_a_partners_activity_creates_an_activity_in_the_chosen_programme(session, moz, files, run_import):
    batch = run_import("iati", build.enabel_file(files / "enabel-mz.xml"), options={"programme": "MOZ-CSP4"})

    assert batch.status == "imported", [r.reason for r in rows_of(session, batch)]
    assert [(r.row_number, r.key, r.outcome) for r in rows_of(session, batch)] == [
        (1, build.ENABEL_HEALTH_CODE, "imported")]
    activity = _activity(session)
    assert activity.programme.code == "MOZ-CSP4"
    assert activity.title == build.ENABEL_TITLE_NL
    assert activity.description.startswith("Basisgezondheidszorg in zes districten van Tete")
    assert (activity.recipient_code, activity.purpose_code, activity.aid_type) == ("259", "12220", "C01")
    # untied (5) is the installation's default: left empty, as the CRS and IATI writers read it
    assert (activity.flow_type, activity.finance_type, activity.tied_status, activity.bi_multi) == (
        "10", "110", None, "1")
    assert (activity.channel_code, activity.organisation.name) == ("12000", TETE_HEALTH)
    assert (activity.marker_gender, activity.marker_rmnch, activity.marker_environment) == (1, 2, None)
    assert (activity.flag_pba, activity.flag_ftc) == (True, False)
    assert (activity.start_date, activity.end_date, activity.status) == (date(2024, 1, 1), date(2028, 12, 31),
                                                                          "active")
    assert "2 transactions not imported: the ledger comes from the financial system." in batch.message
    created = session.scalar(select(Event).where(Event.type == "ActivityCreated"))
    assert created.correlation_id == f"import-{batch.id}"


def test_the_same_activities_again_are_unchanged_and_an_edited_title_updates(session, moz, files, run_import):
    run_import("iati", build.enabel_file(files / "november.xml"), options={"programme": "MOZ-CSP4"})
    same_file = run_import("iati", files / "november.xml", options={"programme": "MOZ-CSP4"})
    assert same_file.status == "already_imported"

    regenerated = run_import("iati", build.enabel_file(files / "december.xml", generated="2027-01-01T06:00:00Z"))
    assert regenerated.status == "up_to_date"
    assert regenerated.unchanged_count == 1 and regenerated.imported_count == regenerated.updated_count == 0

    edited = run_import("iati", build.enabel_file(
        files / "january.xml", title_nl="Basisgezondheidszorg en vaccinatie in Tete", generated="2027-02-01T06:00:00Z"))
    assert [(r.key, r.outcome) for r in rows_of(session, edited)] == [(build.ENABEL_HEALTH_CODE, "updated")]
    assert _activity(session).title == "Basisgezondheidszorg en vaccinatie in Tete"
    changed = session.scalar(select(Event).where(Event.type == "ActivityChanged"))
    assert changed.payload["changes"]["title"] == {"before": build.ENABEL_TITLE_NL,
                                                   "after": "Basisgezondheidszorg en vaccinatie in Tete"}


def test_an_unknown_activity_without_a_programme_is_explained_with_the_closest_codes(session, moz, files,
                                                                                     run_import):
    run_import("iati", build.enabel_file(files / "first.xml"), options={"programme": "MOZ-CSP4"})
    other = build.enabel_activity(identifier=f"{build.ENABEL}-MOZ1903312")
    before = database_counts(session)
    batch = run_import("iati", build.iati_file(files / "second.xml", other, build.enabel_activity()))

    assert batch.status == "rejected"
    first, second = rows_of(session, batch)
    assert (first.key, first.outcome, first.column) == ("MOZ1903312", "error", "iati-identifier")
    assert first.reason == ("activity MOZ1903312 is not in Aidledger yet: choose the programme that receives new "
                            "activities; did you mean MOZ1903311?")
    assert second.outcome == "unchanged"
    assert _activity(session, "MOZ1903312") is None
    assert database_counts(session)["events"] == before["events"] + 1  # ImportBatchRejected only


def test_valid_activities_go_in_and_the_others_say_why(session, moz, files, run_import):
    no_identifier = build.enabel_activity(identifier="")
    twice = build.enabel_activity()
    batch = run_import("iati", build.iati_file(files / "mixed.xml", build.enabel_activity(), no_identifier, twice),
                       options={"programme": "MOZ-CSP4"}, mode=ACCEPT_VALID_ROWS)

    assert batch.status == "partially_imported"
    assert [(r.row_number, r.outcome, r.reason) for r in rows_of(session, batch)] == [
        (1, "imported", None),
        (2, "error", "the activity has no iati-identifier; it cannot be matched or created"),
        (3, "error", "activity MOZ1903311 appears already as activity 1 of the file")]


def test_an_unknown_programme_rejects_the_file(session, moz, files, run_import):
    batch = run_import("iati", build.enabel_file(files / "enabel.xml"), options={"programme": "MOZ-CSP9"})
    assert batch.status == "rejected"
    assert [(r.column, r.reason) for r in rows_of(session, batch)] == [("programme", "no programme with code MOZ-CSP9")]
    assert _activity(session) is None


def test_an_activity_of_another_programme_is_not_moved(session, moz, files, run_import, tradeline):
    run_import("iati", build.enabel_file(files / "enabel.xml"), options={"programme": "MOZ-CSP4"})
    batch = run_import("iati", build.enabel_file(files / "again.xml", generated="2027-01-01T00:00:00Z"),
                       options={"programme": "MWI-CSP3"})
    assert batch.status == "rejected"
    assert rows_of(session, batch)[0].reason.startswith("activity MOZ1903311 belongs to another programme")
    assert _activity(session).programme.code == "MOZ-CSP4"


def test_an_unknown_partner_and_several_sectors_are_warnings(session, moz, files, run_import):
    activity = build.enabel_activity(partner="Associação Moçambicana de Saúde Pública").replace(
        '<sector vocabulary="1" code="12220" percentage="100"/>',
        '<sector vocabulary="1" code="12220" percentage="70"/><sector vocabulary="1" code="12261" percentage="30"/>')
    batch = run_import("iati", build.iati_file(files / "warn.xml", activity), options={"programme": "MOZ-CSP4"})

    assert batch.status == "imported" and batch.warning_count == 1
    row = rows_of(session, batch)[0]
    reasons = [f["reason"] for f in row.findings]
    assert "the activity names 2: 12220 (70 %), 12261 (30 %); Aidledger keeps one, the largest: 12220" in reasons
    assert any("Associação Moçambicana de Saúde Pública is not a known partner" in r for r in reasons)
    assert _activity(session).purpose_code == "12220" and _activity(session).organisation_id is None


def test_a_code_prefix_places_the_activities_in_the_programmes_scheme(session, moz, files, run_import):
    batch = run_import("iati", build.enabel_file(files / "enabel.xml"),
                       options={"programme": "MOZ-CSP4", "code_prefix": "MOZ-ENABEL-"})
    assert batch.status == "imported"
    assert _activity(session, "MOZ-ENABEL-MOZ1903311") is not None


def test_a_parent_activity_is_not_imported_its_children_are(session, moz, files, run_import):
    parent_id = f"{build.ENABEL}-MOZ-PORTFOLIO"
    parent = build.enabel_activity(identifier=parent_id, transactions=0).replace(
        'humanitarian="0"', 'humanitarian="0" hierarchy="1"')
    child = build.enabel_activity().replace(
        "<crs-add>", f'<related-activity ref="{parent_id}" type="1"/><crs-add>')
    batch = run_import("iati", build.iati_file(files / "portfolio.xml", parent, child),
                       options={"programme": "MOZ-CSP4"})

    assert [(r.row_number, r.key, r.outcome) for r in rows_of(session, batch)] == [
        (2, build.ENABEL_HEALTH_CODE, "imported")]
    assert _activity(session, "MOZ-PORTFOLIO") is None
    assert batch.message == ("Imported 1 rows: 1 new, 0 updated, 0 unchanged. 1 parent activity not imported: in "
                             "Aidledger the programme is the parent. 2 transactions not imported: the ledger comes "
                             "from the financial system.")


def test_a_regional_activity_with_only_a_title_and_a_tied_status(session, moz, files, run_import):
    activity = (build.enabel_activity()
                .replace('<recipient-country code="MZ" percentage="100"/>',
                         '<recipient-region code="289" vocabulary="1" percentage="100"/>')
                .replace('<default-tied-status code="5"/>', '<default-tied-status code="4"/>'))
    start = activity.index('<description type="1">')
    activity = (activity[:start] + '<description type="1"><narrative>Strengthening primary health care in Tete '
                'province</narrative></description>' + activity[activity.index("</description>", start) + 14:])
    batch = run_import("iati", build.iati_file(files / "regional.xml", activity), options={"programme": "MOZ-CSP4"})

    assert batch.status == "imported", [r.reason for r in rows_of(session, batch)]
    imported = _activity(session)
    assert (imported.recipient_code, imported.tied_status, imported.description) == ("289", "4", None)


def test_a_rule_of_the_activity_service_rejects_the_file_and_nothing_is_half_imported(session, moz, files,
                                                                                       run_import):
    wrong_marker = build.enabel_activity(identifier=f"{build.ENABEL}-MOZ1903312").replace(
        '<policy-marker vocabulary="1" code="1" significance="1"/>',
        '<policy-marker vocabulary="1" code="1" significance="3"/>')
    before = database_counts(session)
    batch = run_import("iati", build.iati_file(files / "enabel.xml", build.enabel_activity(), wrong_marker),
                       options={"programme": "MOZ-CSP4"})

    assert batch.status == "rejected"
    assert [(r.outcome, r.column, r.reason) for r in rows_of(session, batch)] == [
        ("imported", None, None), ("error", "policy-marker", "the gender marker takes 0–2 or blank")]
    assert _activity(session) is None and _activity(session, "MOZ1903312") is None
    assert session.scalar(select(Event).where(Event.type == "ActivityCreated")) is None
    assert database_counts(session)["events"] == before["events"] + 1  # ImportBatchRejected only
