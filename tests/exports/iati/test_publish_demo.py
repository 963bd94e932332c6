"""Publishing the Flemish demo end to end, with the real IATI writer and validation: both files
pass the official schemas and ruleset, are kept with their SHA-256 and announced, served at the
public URLs without login; the monthly job does the same."""
from __future__ import annotations

import hashlib
import uuid

import pytest
from flask import g
from sqlalchemy import select

from app.db import get_db
from app.events.bus import Actor
from app.events.models import Event
from app.scheduler.execution import execute_job
from app.scheduler.registry import get_job
from exports.services import iati_publication as iati
from tests.builders.reference import needs_shared
from tests.exports.iati.conftest import SCHEMAS, schema_errors

pytestmark = needs_shared
ORGANISATION = "XM-DAC-2-70"


@pytest.fixture
def installed(app, demo, monkeypatch):
    """The demo with the official IATI schemas installed (AIDLEDGER_IATI_SCHEMA_DIR); the
    test's publications are undone at the end (a savepoint on the demo's connection)."""
    monkeypatch.setitem(app.config, "AIDLEDGER_IATI_SCHEMA_DIR", str(SCHEMAS))
    get_db(app).bind_to(demo.conn)
    savepoint = demo.conn.begin_nested()
    yield app
    savepoint.rollback()


def _publish(app):
    with app.app_context():
        g.event_actor = Actor("oda.officer@vlaanderen.test", uuid.uuid4().hex)
        session = get_db(app).Session()
        try:
            publication = iati.publish_iati(session, "oda.officer@vlaanderen.test", trigger="browser")
            files = {f.kind: (f.sha256, iati.file_content(session, f)) for f in publication.row.files}
            result = (publication.published, publication.refusal, publication.row.error_count,
                      publication.row.activity_count, publication.row.organisation_ref, files)
            session.commit()
            return result
        finally:
            session.close()


def test_the_demo_is_published_valid_kept_announced_and_served(installed, tmp_path):
    published, refusal, errors, activities, organisation_ref, files = _publish(installed)
    assert (published, refusal, errors) == (True, None, 0)
    assert activities > 10 and organisation_ref == ORGANISATION
    for kind, schema_kind in (("activities", "activities"), ("organisation", "organisations")):
        sha256, content = files[kind]
        assert hashlib.sha256(content).hexdigest() == sha256
        path = tmp_path / f"{kind}.xml"
        path.write_bytes(content)
        assert schema_errors(path, schema_kind) == []
    client = installed.test_client()
    response = client.get(f"/iati/{ORGANISATION}-activities.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    assert response.data == files["activities"][1]
    assert response.headers["ETag"] == f'"{files["activities"][0]}"'
    assert client.get(f"/iati/{ORGANISATION}-organisation.xml").data == files["organisation"][1]
    with installed.app_context():
        session = get_db(installed).Session()
        events = session.scalars(select(Event).where(Event.type == iati.IATI_FILE_PUBLISHED)).all()
        assert sorted((e.payload["kind"], e.payload["sha256"]) for e in events) == sorted(
            (kind, sha) for kind, (sha, _content) in files.items())
        session.close()


def test_the_monthly_job_publishes_the_demo(installed):
    result = execute_job(installed, get_job("monthly_iati_publication"))
    assert result.ok, result.error
    assert result.counts["published"] == 1 and result.counts["errors"] == 0
    assert result.counts["activities"] > 10 and result.counts["transactions"] > 500
    client = installed.test_client()
    assert client.get(f"/iati/{ORGANISATION}-activities.xml").status_code == 200
