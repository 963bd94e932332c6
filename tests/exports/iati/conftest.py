"""The IATI files of the whole Flemish demo, built once per module, and the official schemas."""
from __future__ import annotations

import importlib
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import g
from lxml import etree

from app.db import get_db
from app.events.bus import Actor
from app.events.dispatcher import dispatch
from app.packages import DOMAIN_PACKAGES
from exports.iati.validation import validate_iati_file
from tests.builders.iati import SCHEMAS, codelist_folder
from tests.builders.oda import load_reference

SCHEMA_FILES = {"activities": "iati-activities-schema.xsd", "organisations": "iati-organisations-schema.xsd"}


def schema_errors(path: Path, kind: str) -> list[str]:
    """The official IATI 2.03 schema's complaints about the file at ``path``."""
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / SCHEMA_FILES[kind])))
    schema.validate(etree.parse(str(path)))
    return [f"{e.line}: {e.message}" for e in schema.error_log]


@pytest.fixture(scope="module")
def demo(app, engine):
    """``flask demo load`` (every package's demo, events dispatched), on its own connection,
    rolled back at the end of the module."""
    conn = engine.connect()
    outer = conn.begin()
    db = get_db(app)
    db.bind_to(conn)
    try:
        with app.app_context():
            g.event_actor = Actor("iati-tests", "iati-" + uuid.uuid4().hex[:8])
            for name in DOMAIN_PACKAGES:
                loader = getattr(importlib.import_module(name), "load_demo", None)
                if loader is not None:
                    session = db.Session()
                    loader(session)
                    session.commit()
                    session.close()
            dispatch(db.Session)
        yield SimpleNamespace(conn=conn)
    finally:
        db.Session.configure(bind=engine, join_transaction_mode="conservative_savepoint")
        outer.rollback()
        conn.close()


@pytest.fixture
def demo_session(app, demo):
    get_db(app).bind_to(demo.conn)
    with app.app_context():
        g.event_actor = Actor("iati-tests", "iati-" + uuid.uuid4().hex[:8])
        session = get_db(app).Session()
        yield session
        session.close()


@pytest.fixture
def codelists(tmp_path):
    """The official IATI code lists (shared folder) with the lists it lacks."""
    return codelist_folder(tmp_path / "codelists")


@pytest.fixture
def validate(session, tmp_path, codelists):
    """``validate(content, kind="activities")``: write the bytes to a file and validate it
    with the official schemas, the curated reference data and the code-list folder."""
    load_reference(session)

    def run(content: bytes, kind: str = "activities", codelist_dir=codelists):
        path = tmp_path / f"{kind}.xml"
        path.write_bytes(content)
        return validate_iati_file(session, path, kind, SCHEMAS, codelist_dir=codelist_dir)

    return run



@pytest.fixture(autouse=True)
def installed_iati(app, monkeypatch, tmp_path_factory):
    """The installation's IATI settings: the official schemas and the code lists (a test of an
    installation without them passes its own settings)."""
    monkeypatch.setitem(app.config, "AIDLEDGER_IATI_SCHEMA_DIR", str(SCHEMAS))
    monkeypatch.setitem(app.config, "AIDLEDGER_IATI_CODELIST_DIR",
                        str(codelist_folder(tmp_path_factory.mktemp("codelists"))))
