"""POST /api/v1/imports and following the batch through GET /api/v1/imports/<id>."""
import io
from datetime import datetime

from openpyxl import load_workbook

from app.auth.roles import Role
from programmes.models import Transaction
from tests.builders.api import api, assert_error, pagination  # noqa: F401 - fixture
from tests.builders.importers import (SPENDING_HEADERS, csv_file, encrypted_workbook, spending_workbook,
                                      tradeline_ledger_rows)
from tests.builders.programmes import malawi_agriculture_programme, tradeline_market_access


def _seed_tradeline(api):
    api.seed(lambda s: tradeline_market_access(s, malawi_agriculture_programme(s)))


def _upload(api, token, path, kind="spending", mode=None):
    data = {"kind": kind, "file": (io.BytesIO(path.read_bytes()), path.name)}
    if mode:
        data["mode"] = mode
    return api.call("POST", "/api/v1/imports", token, data=data, content_type="multipart/form-data")


def test_finance_uploads_a_ledger_and_reads_every_row(api, tmp_path):
    _seed_tradeline(api)
    token = api.token(Role.FINANCE)
    response = _upload(api, token, spending_workbook(tmp_path / "ledger.xlsx"))

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["status"], body["written"], body["counts"]["imported"]) == ("imported", True, 3)
    assert api.count(Transaction) == 3
    detail = api.get(f"/api/v1/imports/{body['id']}?page_size=2", token).get_json()
    assert [r["row"] for r in detail["rows"]] == [2, 3]
    assert detail["rows_page"] == {"page": 1, "page_size": 2, "total": 3, "total_pages": 2}
    rows = api.get(f"/api/v1/imports/{body['id']}/rows", token)
    assert pagination(rows)["total"] == 3 and rows.get_json()[0]["outcome"] == "imported"
    listed = api.get("/api/v1/imports?kind=spending", token).get_json()
    assert listed[0]["id"] == body["id"]


def test_the_same_file_again_is_200_already_imported_and_names_the_first_import(api, tmp_path):
    _seed_tradeline(api)
    token = api.token(Role.FINANCE)
    path = spending_workbook(tmp_path / "ledger.xlsx")
    first = _upload(api, token, path).get_json()
    again = _upload(api, token, path)

    assert again.status_code == 200, again.get_json()
    body = again.get_json()
    assert (body["status"], body["written"], body["duplicate_of"]) == ("already_imported", False, first["id"])
    assert body["message"].startswith("Already imported") and api.count(Transaction) == 3


def test_check_mode_writes_nothing_and_errors_are_paged_and_downloadable(api, tmp_path):
    _seed_tradeline(api)
    token = api.token(Role.FINANCE)
    rows = [[str(c) for c in row] for row in tradeline_ledger_rows()]
    rows[1][3] = "three"
    rows[1][5] = '=HYPERLINK("http://evil.example","click")'
    path = csv_file(tmp_path / "ledger.csv", [SPENDING_HEADERS] + rows)
    body = _upload(api, token, path, mode="check").get_json()

    assert (body["status"], body["dry_run"], body["counts"]["errors"]) == ("checked", True, 1)
    assert api.count(Transaction) == 0
    errors = api.get(f"/api/v1/imports/{body['id']}?outcome=error", token).get_json()
    assert [(r["row"], r["column"]) for r in errors["rows"]] == [(3, "amount")]
    download = api.get(f"/api/v1/imports/{body['id']}/error-rows.xlsx", token)
    sheet = load_workbook(io.BytesIO(download.data)).active
    assert [c.value for c in sheet[1]][-1] == "error"
    assert [c.value for c in sheet[2]][:4] == ["B-2019-0202", datetime(2019, 9, 2), "MWI-2019-TLC", "three"]
    assert sheet["F2"].data_type == "s" and sheet["F2"].value.startswith("=HYPERLINK")  # text, not a formula


def test_a_refused_file_answers_422_with_the_reason(api, tmp_path):
    token = api.token(Role.FINANCE)
    error = assert_error(_upload(api, token, encrypted_workbook(tmp_path / "ledger.xlsx")), 422)
    assert "password-protected" in error["message"]
    assert error["details"]["code"] == "encrypted"


def test_the_form_is_validated(api, tmp_path):
    token = api.token(Role.FINANCE)
    path = spending_workbook(tmp_path / "ledger.xlsx")
    assert_error(_upload(api, token, path, kind="salaries"), 422)
    assert_error(_upload(api, token, path, mode="maybe"), 422)
    assert_error(api.call("POST", "/api/v1/imports", token, data={"kind": "spending"},
                          content_type="multipart/form-data"), 422)


def test_a_large_upload_is_queued_for_the_job(api, app, tmp_path):
    token = api.token(Role.FINANCE)
    app.config["AIDLEDGER_IMPORT_INLINE_BYTES"] = 100
    try:
        response = _upload(api, token, spending_workbook(tmp_path / "ledger.xlsx"))
    finally:
        app.config["AIDLEDGER_IMPORT_INLINE_BYTES"] = 1024 * 1024
    assert response.status_code == 202
    assert response.get_json()["status"] == "queued"


def test_only_finance_and_admins_may_import(api, tmp_path):
    path = spending_workbook(tmp_path / "ledger.xlsx")
    for role in (Role.VIEWER, Role.PROGRAMME_MANAGER, Role.ODA_OFFICER):
        assert_error(_upload(api, api.token(role), path), 403)
        assert_error(api.get("/api/v1/imports", api.token(role, email=f"{role.value}-2@vlaanderen.test")), 403)
    assert api.count(Transaction) == 0


def test_templates_and_unknown_batches(api):
    token = api.token(Role.FINANCE)
    template = api.get("/api/v1/imports/templates/budgets.xlsx", token)
    assert load_workbook(io.BytesIO(template.data)).sheetnames == ["budgets", "Notes"]
    assert_error(api.get("/api/v1/imports/templates/salaries.xlsx", token), 404)
    assert_error(api.get("/api/v1/imports/999999", token), 404)
