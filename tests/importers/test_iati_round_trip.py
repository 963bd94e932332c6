"""Round trip: the demo portfolio's activity file, written by ``flask export iati``, reads back
through the IATI import: into the same ledger every activity is unchanged; into an empty
programme of an empty ledger it creates the same activities' codes."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from lxml import etree
from sqlalchemy import select

from app.db import get_db
from importers.services import import_file
from oda.reference.services import ensure_curated
from programmes.models import Activity
from programmes.services.programmes import create_programme
from tests.builders.demo import acting, load_every_demo, own_connection
from tests.builders.iati import SCHEMAS, codelist_folder
from tests.builders.reference import needs_shared


pytestmark = needs_shared


@pytest.fixture(scope="module")
def demo_file(app, engine, tmp_path_factory):
    """``flask demo load`` and ``flask export iati`` on a connection of their own, rolled back
    before the tests run (so they see an empty ledger); the file, the demo's activity codes and
    what reading the file back into the demo did."""
    path = tmp_path_factory.mktemp("iati") / "flanders-activities.xml"
    settings = {"AIDLEDGER_IATI_SCHEMA_DIR": str(SCHEMAS),
                "AIDLEDGER_IATI_CODELIST_DIR": str(codelist_folder(tmp_path_factory.mktemp("codelists")))}
    before = {name: app.config.get(name) for name in settings}
    app.config.update(settings)
    try:
        with own_connection(app, engine), acting(app, "iati-round-trip"):
            db = get_db(app)
            load_every_demo(db)
            exported = app.test_cli_runner().invoke(args=["export", "iati", "--out", str(path)])
            assert exported.exit_code == 0, exported.output
            session = db.Session()
            codes = set(session.scalars(select(Activity.code)))
            again = import_file(session, "iati", str(path), path.name, uploaded_by="iati-round-trip")
            read_back = SimpleNamespace(status=again.status, counts=again.counts(), message=again.message)
            session.close()
    finally:
        app.config.update(before)
    return SimpleNamespace(path=path, codes=codes, read_back=read_back)


def _published_codes(path) -> set[str]:
    """The codes of the file's activities that are not programmes (parents)."""
    tree = etree.parse(str(path))
    organisation = tree.find("iati-activity/reporting-org").get("ref")
    parents = set(tree.xpath("//related-activity[@type='1']/@ref"))
    return {i.removeprefix(f"{organisation}-") for i in tree.xpath("//iati-identifier/text()") if i not in parents}


def test_the_demo_file_read_back_into_the_demo_changes_nothing(demo_file):
    published = _published_codes(demo_file.path)
    assert len(published) > 10 and published <= demo_file.codes
    assert demo_file.read_back.status == "up_to_date", demo_file.read_back.message
    assert demo_file.read_back.counts["unchanged"] == len(published)
    assert "transactions not imported: the ledger comes from the financial system." in demo_file.read_back.message


def test_the_demo_file_read_into_an_empty_programme_gives_the_same_codes(demo_file, session):
    ensure_curated(session)
    create_programme(session, code="FLA-IATI", name="Flanders portfolio read back from IATI",
                     kind="multilateral_portfolio", partner_country=None, start_year=2019, end_year=2026,
                     focus_sectors=[], policy_area="development_cooperation")
    batch = import_file(session, "iati", str(demo_file.path), demo_file.path.name,
                        uploaded_by="finance@vlaanderen.test", options={"programme": "FLA-IATI"})

    assert batch.status == "imported", batch.message
    assert set(session.scalars(select(Activity.code))) == _published_codes(demo_file.path)
    assert batch.imported_count == len(_published_codes(demo_file.path))
