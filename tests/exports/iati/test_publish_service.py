"""publish_iati without HTTP: both files kept with their SHA-256 and the report, one
IatiFilePublished event per file in the same transaction, refused (report kept, nothing
public) on errors; the monthly job."""
from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import func, select

from app.events.models import Event
from app.scheduler.execution import execute_job
from app.scheduler.registry import get_job
from exports.models import IatiContent, IatiFile, IatiPublication
from exports.services import iati_publication as iati
from tests.builders.programmes import malawi_agriculture_programme, tradeline_market_access
from tests.exports.iati.fake_writer import ORGANISATION, activities_xml, organisation_xml, writer  # noqa: F401 - fixture

OFFICER = "oda.officer@vlaanderen.test"


@pytest.fixture
def tradeline(session):
    return tradeline_market_access(session, malawi_agriculture_programme(session))


def _events(session) -> list[Event]:
    return list(session.scalars(select(Event).where(Event.type == iati.IATI_FILE_PUBLISHED).order_by(Event.id)))


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_a_valid_publication_keeps_both_files_with_their_hash_and_announces_them(session, writer, tradeline):
    publication = iati.publish_iati(session, OFFICER, trigger="browser")
    assert publication.published and publication.refusal is None
    row = publication.row
    activities, organisation = row.files
    assert (activities.kind, organisation.kind) == ("activities", "organisation")
    content = iati.file_content(session, activities)
    assert content == activities_xml(["MWI-2019-TLC"])
    assert iati.file_content(session, organisation) == organisation_xml()
    assert activities.sha256 == hashlib.sha256(content).hexdigest() and activities.size_bytes == len(content)
    assert row.organisation_ref == ORGANISATION
    assert (row.activity_count, row.transaction_count, row.error_count, row.warning_count) == (1, 2, 0, 0)
    assert (row.triggered_by, row.trigger) == (OFFICER, "browser")
    events = _events(session)
    assert [(e.payload["kind"], e.payload["sha256"], e.aggregate_id) for e in events] == [
        ("activities", activities.sha256, str(activities.id)),
        ("organisation", organisation.sha256, str(organisation.id))]
    assert events[0].payload["activity_count"] == 1 and events[0].payload["transaction_count"] == 2
    assert events[0].payload["publication_id"] == row.id
    served = iati.latest_published(session, "activities", ORGANISATION)
    assert (served.file.id, served.publication.id) == (activities.id, row.id)


def test_errors_refuse_both_files_keep_the_report_and_leave_the_last_publication_public(session, writer, tradeline):
    first = iati.publish_iati(session, "monthly_iati_publication")
    writer.error("MWI-2019-TLC", "6.2.1", "The activity must have a sector.")
    writer.warning("MWI-2019-TLC")
    refused = iati.publish_iati(session, OFFICER, trigger="browser")
    assert not refused.published
    assert "1 error" in refused.refusal and "not published" in refused.refusal
    row = refused.row
    assert (row.error_count, row.warning_count) == (1, 1) and len(row.files) == 2
    error = row.report["findings"][0]
    assert (error["severity"], error["rule_id"], error["identifier"], error["path"]) == (
        "error", "6.2.1", f"{ORGANISATION}-MWI-2019-TLC", "sector")
    assert len(_events(session)) == 2, "only the first publication was announced"
    assert iati.latest_published(session, "activities", ORGANISATION).publication.id == first.row.id
    assert iati.recent_publications(session)[0].id == row.id


def test_warnings_alone_do_not_block(session, writer, tradeline):
    writer.warning("MWI-2019-TLC")
    publication = iati.publish_iati(session, OFFICER, trigger="api")
    assert publication.published and publication.row.warning_count == 1


def test_files_without_a_validation_report_are_never_published(session, writer, tradeline):
    writer.report = False
    publication = iati.publish_iati(session, OFFICER, trigger="api")
    assert not publication.published and "could not be validated" in publication.refusal
    assert _events(session) == []


def test_an_unchanged_month_stores_the_bytes_once(session, writer, tradeline):
    first, second = iati.publish_iati(session, "a"), iati.publish_iati(session, "b")
    assert first.row.files[0].sha256 == second.row.files[0].sha256
    assert _count(session, IatiContent) == 2
    assert (_count(session, IatiFile), _count(session, IatiPublication)) == (4, 2)


def test_the_service_does_not_commit(session, writer, tradeline):
    iati.publish_iati(session, "a")
    session.rollback()
    assert _count(session, IatiPublication) == _count(session, IatiContent) == 0
    assert _events(session) == []


def test_findings_beyond_the_limit_are_counted_not_kept(session, writer, tradeline, monkeypatch):
    monkeypatch.setattr(iati, "MAX_FINDINGS", 3)
    for n in range(5):
        writer.error("MWI-2019-TLC", f"6.{n}.1")
    row = iati.publish_iati(session, "a").row
    assert row.error_count == 5 and len(row.report["findings"]) == 3 and row.report["truncated"]


@pytest.mark.parametrize("content", [b"", b"<not-xml", b"<iati-activities version='2.03'/>",
                                     b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'])
def test_a_file_naming_no_organisation_is_refused_before_anything_is_stored(session, writer, tradeline, content,
                                                                           monkeypatch):
    monkeypatch.setattr("tests.exports.iati.fake_writer.organisation_xml", lambda: content)
    monkeypatch.setattr("tests.exports.iati.fake_writer.activities_xml", lambda codes: content)
    with pytest.raises(iati.ValidationError, match="no reporting organisation"):
        iati.publish_iati(session, "a")
    assert _count(session, IatiPublication) == _count(session, IatiContent) == 0


def test_public_names_round_trip_and_refuse_anything_else():
    assert iati.parse_public_name(iati.public_name("XM-DAC-2-70", "activities")) == ("XM-DAC-2-70", "activities")
    assert iati.parse_public_name("XM-DAC-2-70-organisation.xml") == ("XM-DAC-2-70", "organisation")
    for name in ("activities.xml", "-activities.xml", "XM-DAC-2-70-budget.xml", "XM-DAC-2-70", "", "../x.xml",
                 "X" * 121 + "-activities.xml", "\x00-activities.xml", "XM DAC-activities.xml", "é-activities.xml"):
        assert iati.parse_public_name(name) is None, name


def test_an_unknown_trigger_is_refused(session, writer):
    with pytest.raises(iati.ValidationError):
        iati.publish_iati(session, "a", trigger="cron")


# --- the monthly job ---------------------------------------------------------------------------


def test_the_monthly_job_is_registered_for_the_first_of_the_month(session):
    spec = get_job("monthly_iati_publication")
    assert re.fullmatch(r"on day 1 of every month at \d\d:45", spec.schedule_in_words())  # the reader's time zone
    assert spec.description.startswith("On the first of each month")


def test_the_monthly_job_publishes_and_records_its_counts(app, session, writer, tradeline):
    session.commit()
    result = execute_job(app, get_job("monthly_iati_publication"))
    assert result.ok, result.error
    assert result.counts == {"published": 1, "refused": 0, "activities": 1, "transactions": 2, "errors": 0,
                             "warnings": 0}
    session.expire_all()
    row = iati.recent_publications(session)[0]
    assert (row.trigger, row.triggered_by, row.published) == ("schedule", "monthly_iati_publication", True)
    assert {e.actor for e in _events(session)} == {"scheduler:monthly_iati_publication"}


def test_a_refused_month_is_a_successful_run_that_says_so(app, session, writer, tradeline):
    session.commit()
    writer.error("MWI-2019-TLC")
    result = execute_job(app, get_job("monthly_iati_publication"))
    assert result.ok and result.counts["refused"] == 1 and result.counts["errors"] == 1
    session.expire_all()
    assert not iati.recent_publications(session)[0].published
    assert _events(session) == []
