"""The IATI files of the whole Flemish demo, built once per module, and the official schemas."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from lxml import etree

from app.db import get_db
from exports.iati.validation import validate_iati_file
from tests.builders.demo import acting, load_every_demo, own_connection, session_on
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
    with own_connection(app, engine) as conn:
        with acting(app, "iati-tests"):
            load_every_demo(get_db(app))
        yield SimpleNamespace(conn=conn)


@pytest.fixture
def demo_session(app, demo):
    with session_on(app, demo.conn, "iati-tests") as session:
        yield session


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
