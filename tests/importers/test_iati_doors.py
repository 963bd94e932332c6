"""The IATI import through every door the other kinds have: the CLI, the Imports page (in Dutch),
the imports API and the background job for large files."""
import io
import json

from sqlalchemy import func, select

from app.auth.roles import Role
from importers.jobs import process_queued_imports
from importers.services.queue import queue_upload
from oda.reference.services import ensure_curated
from programmes.models import Activity
from tests.builders import iati_partner as build
from tests.builders.api import api, assert_error  # noqa: F401 - fixture
from tests.builders.programmes import mozambique_health_programme
from tests.builders.web import web  # noqa: F401 - fixture


def _seed(session):
    ensure_curated(session)
    mozambique_health_programme(session)


def _activities(query) -> list[str]:
    return query(lambda s: list(s.scalars(select(Activity.code).order_by(Activity.code))))


def test_the_cli_imports_an_iati_file_into_a_programme(app, session, files):
    _seed(session)
    session.commit()
    path = build.enabel_file(files / "enabel-mz.xml")
    runner = app.test_cli_runner()

    unknown = runner.invoke(args=["import", "iati", str(path)])
    assert unknown.exit_code == 2 and unknown.stdout.startswith("rejected: Nothing was imported")
    assert "row 1: iati-identifier activity MOZ1903311 is not in Aidledger yet" in unknown.stderr

    result = runner.invoke(args=["import", "iati", str(path), "--programme", "MOZ-CSP4", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert (body["status"], body["counts"]["imported"]) == ("imported", 1)
    assert body["message"].endswith("2 transactions not imported: the ledger comes from the financial system.")
    assert session.scalar(select(func.count()).select_from(Activity).where(Activity.code == "MOZ1903311")) == 1


def test_the_cli_refuses_iati_options_for_other_kinds(app, files):
    path = build.enabel_file(files / "enabel-mz.xml")
    result = app.test_cli_runner().invoke(args=["import", "activities", str(path), "--programme", "MOZ-CSP4"])
    assert result.exit_code == 2 and "--programme only applies to the kind iati" in result.output


def test_the_imports_page_reads_an_iati_file_and_answers_in_dutch(web, tmp_path):
    web.seed(_seed)
    client = web.signed_in(Role.FINANCE)
    client.post("/language", data={"locale": "nl", "next": "/imports"})
    page = client.get("/imports").get_data(as_text=True)
    assert "IATI-activiteiten (XML)" in page and 'accept=".xlsx,.csv,.txt,.xml"' in page
    assert "/imports/templates/iati.xlsx" not in page

    path = build.enabel_file(tmp_path / "enabel-mz.xml")
    response = client.post("/imports", data={
        "kind": "iati", "mode": "all_or_nothing", "action": "import", "programme": "MOZ-CSP4",
        "file": (io.BytesIO(path.read_bytes()), path.name)}, content_type="multipart/form-data")
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "MOZ1903311" in detail and "MOZ-CSP4" in detail
    assert "2 transacties niet geïmporteerd: het grootboek komt uit het financiële systeem." in detail
    assert _activities(web.query) == ["MOZ1903311"]

    hostile = build.xxe_file(tmp_path / "xxe.xml")
    refused = client.post("/imports", data={"kind": "iati", "action": "import", "programme": "MOZ-CSP4",
                                            "file": (io.BytesIO(hostile.read_bytes()), hostile.name)},
                          content_type="multipart/form-data")
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "documenttypedeclaratie" in page and "root:" not in page


def test_the_imports_api_takes_an_iati_file_with_its_programme(api, tmp_path):
    api.seed(_seed)
    token = api.token(Role.FINANCE)
    path = build.enabel_file(tmp_path / "enabel-mz.xml")
    response = api.call("POST", "/api/v1/imports", token, data={
        "kind": "iati", "programme": "MOZ-CSP4", "file": (io.BytesIO(path.read_bytes()), path.name)},
        content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["counts"]["imported"] == 1
    rows = api.get(f"/api/v1/imports/{response.get_json()['id']}/rows", token).get_json()
    assert [(r["key"], r["outcome"]) for r in rows] == [("MOZ1903311", "imported")]

    organisations = build.organisation_file(tmp_path / "enabel-org.xml")
    refused = api.call("POST", "/api/v1/imports", token, data={
        "kind": "iati", "file": (io.BytesIO(organisations.read_bytes()), organisations.name)},
        content_type="multipart/form-data")
    body = assert_error(refused, 422)
    assert "IATI organisation file" in body["message"]
    assert_error(api.get("/api/v1/imports/templates/iati.xlsx", token), 404)


def test_a_queued_iati_file_keeps_its_programme_for_the_job(session, files):
    _seed(session)
    path = build.enabel_file(files / "enabel-mz.xml")
    batch = queue_upload(session, "iati", path.read_bytes(), path.name, "1" * 64,
                         options={"programme": "MOZ-CSP4", "ignored": "x"})
    session.commit()
    assert batch.options == {"programme": "MOZ-CSP4"}

    assert process_queued_imports(session)["processed"] == 1
    session.refresh(batch)
    assert (batch.status, batch.imported_count) == ("imported", 1)
