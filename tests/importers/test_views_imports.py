"""The Imports page: upload or check a file, see each row, download what needs fixing."""
import io

from openpyxl import load_workbook

from app.auth.roles import Role
from importers.models import ImportBatch
from programmes.models import Transaction
from tests.builders.importers import spending_workbook, tradeline_ledger_rows
from tests.builders.programmes import malawi_agriculture_programme, tradeline_market_access
from tests.builders.web import csrf_token_from, web  # noqa: F401 - fixture


def _form(path, action="import", mode="all_or_nothing", kind="spending", **extra):
    return {"kind": kind, "mode": mode, "action": action, "file": (io.BytesIO(path.read_bytes()), path.name),
            **extra}


def _count(web, model):
    from sqlalchemy import func, select

    return web.query(lambda s: s.scalar(select(func.count()).select_from(model)))


def test_finance_imports_a_ledger_from_the_page(web, tmp_path):
    web.seed(lambda s: tradeline_market_access(s, malawi_agriculture_programme(s)))
    client = web.signed_in(Role.FINANCE)
    page = client.get("/imports")
    assert page.status_code == 200 and "Check only" in page.get_data(as_text=True)

    response = client.post("/imports", data=_form(spending_workbook(tmp_path / "ledger.xlsx")),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Imported 3 rows" in detail and "B-2019-0202" in detail
    assert _count(web, Transaction) == 3
    assert "ledger.xlsx" in client.get("/imports").get_data(as_text=True)


def test_the_same_file_again_says_so_in_dutch_and_is_no_error(web, tmp_path):
    web.seed(lambda s: tradeline_market_access(s, malawi_agriculture_programme(s)))
    client = web.signed_in(Role.FINANCE)
    path = spending_workbook(tmp_path / "ledger.xlsx")
    first = client.post("/imports", data=_form(path), content_type="multipart/form-data")
    client.post("/language", data={"locale": "nl", "next": "/imports"})
    again = client.post("/imports", data=_form(path), content_type="multipart/form-data")
    detail = client.get(again.headers["Location"]).get_data(as_text=True)

    first_id = first.headers["Location"].rsplit("/", 1)[-1]
    assert f"Al geïmporteerd: hetzelfde bestand werd eerder ingelezen, als import {first_id}." in detail
    assert "Already imported" not in detail and "flash-error" not in detail
    assert _count(web, Transaction) == 3


def test_what_an_import_did_is_said_in_the_readers_language(web, tmp_path):
    web.seed(lambda s: tradeline_market_access(s, malawi_agriculture_programme(s)))
    client = web.signed_in(Role.FINANCE)
    rows = tradeline_ledger_rows()
    rows[0][3] = "1,234"
    refused = client.post("/imports", data=_form(spending_workbook(tmp_path / "ledger.xlsx", rows)),
                          content_type="multipart/form-data")
    client.post("/language", data={"locale": "nl", "next": "/imports"})
    detail = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "Er werd niets geïmporteerd: 1 van 3 rijen bevatten fouten." in detail
    assert "Nothing was imported" not in detail
    imported = client.post("/imports", data=_form(spending_workbook(tmp_path / "boekingen.xlsx")),
                           content_type="multipart/form-data")
    assert "3 rijen geïmporteerd: 3 nieuw, 0 bijgewerkt, 0 ongewijzigd." in client.get(
        imported.headers["Location"]).get_data(as_text=True)
    batch_id = imported.headers["Location"].rsplit("/", 1)[-1]
    assert client.get(f"/imports/{batch_id}/progress.json").get_json()["message"].startswith("3 rijen geïmporteerd")


def test_check_only_shows_what_would_happen_and_offers_the_error_rows(web, tmp_path):
    web.seed(lambda s: tradeline_market_access(s, malawi_agriculture_programme(s)))
    client = web.signed_in(Role.FINANCE)
    rows = tradeline_ledger_rows()
    rows[0][3] = "1,234"
    response = client.post("/imports", data=_form(spending_workbook(tmp_path / "ledger.xlsx", rows), action="check"),
                           content_type="multipart/form-data")
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Checked only" in detail and "would be imported" in detail and "ambiguous amount" in detail
    assert _count(web, Transaction) == 0
    batch_id = web.query(lambda s: s.query(ImportBatch.id).order_by(ImportBatch.id.desc()).first()[0])
    download = client.get(f"/imports/{batch_id}/error-rows.xlsx")
    sheet = load_workbook(io.BytesIO(download.data)).active
    assert sheet["A2"].value == "B-2019-0101" and "ambiguous amount" in sheet["I2"].value
    progress = client.get(f"/imports/{batch_id}/progress.json").get_json()
    assert progress["status"] == "checked" and progress["pending"] is False


def test_a_missing_file_or_kind_is_explained(web):
    client = web.signed_in(Role.FINANCE)
    response = client.post("/imports", data={"kind": "spending", "action": "import"}, follow_redirects=True)
    assert "Choose a file to upload." in response.get_data(as_text=True)
    response = client.post("/imports", data={"kind": "payroll"}, follow_redirects=True)
    assert "Choose what the file contains." in response.get_data(as_text=True)


def test_a_refused_file_shows_its_reason(web, tmp_path):
    client = web.signed_in(Role.FINANCE)
    path = tmp_path / "ledger.xlsm"
    path.write_bytes(b"PK\x03\x04whatever")
    response = client.post("/imports", data=_form(path), content_type="multipart/form-data", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "File refused" in text and "Macro-enabled workbooks" in text


def test_templates_download(web):
    client = web.signed_in(Role.FINANCE)
    book = load_workbook(io.BytesIO(client.get("/imports/templates/spending.xlsx").data))
    assert [c.value for c in book["spending"][1]][:3] == ["document_number", "posting_date", "activity_code"]
    assert book["spending"]["A2"].value == "B-2024-000123"
    assert "Notes" in book.sheetnames
    assert client.get("/imports/templates/payroll.xlsx").status_code == 404


def test_a_dutch_reader_gets_the_templates_and_their_notes_in_dutch(web):
    client = web.signed_in(Role.FINANCE, locale="nl")
    page = client.get("/imports").get_data(as_text=True)
    assert '<a href="/imports/templates/spending.xlsx">Uitgaven (boekingslijnen)</a>' in page
    assert ">spending</a>" not in page and ">budgets</a>" not in page
    book = load_workbook(io.BytesIO(client.get("/imports/templates/spending.xlsx").data))
    assert book.sheetnames == ["spending", "Toelichting"], "the data sheet keeps the kind, the notes are Dutch"
    notes = [[c for c in row if c] for row in book["Toelichting"].iter_rows(values_only=True)]
    assert notes[0] == ["Uitgaven (boekingslijnen)"]
    assert notes[1][0].startswith("Grootboeklijnen uit het boekhoudsysteem")
    assert ["Datums: echte Excel-datums, 31/12/2024, 31.12.2024 of 2024-12-31 (altijd de dag eerst)."] in notes
    assert ["kolom", "verplicht", "ook aanvaard", "wat in te vullen"] in notes
    document = next(row for row in notes if row and row[0] == "document_number")
    assert document[1] == "ja" and document[-1] == "Het boekhoudkundige documentnummer; uniek per lijn."


def test_other_roles_cannot_open_the_imports_page(web):
    for role in (Role.VIEWER, Role.PROGRAMME_MANAGER, Role.ODA_OFFICER):
        assert web.signed_in(role).get("/imports").status_code == 403
    assert web.client.get("/imports").status_code == 302  # anonymous: to the login page


def test_uploads_need_the_csrf_token(web, app, tmp_path):
    client = web.signed_in(Role.FINANCE)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = client.post("/imports", data=_form(spending_workbook(tmp_path / "ledger.xlsx")),
                              content_type="multipart/form-data")
        assert refused.status_code == 400
        token = csrf_token_from(client.get("/imports").get_data(as_text=True))
        accepted = client.post("/imports", data=_form(spending_workbook(tmp_path / "ledger2.xlsx"), csrf_token=token),
                               content_type="multipart/form-data")
        assert accepted.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_a_queued_upload_shows_progress(web, app, tmp_path):
    client = web.signed_in(Role.FINANCE)
    app.config["AIDLEDGER_IMPORT_INLINE_BYTES"] = 100
    try:
        response = client.post("/imports", data=_form(spending_workbook(tmp_path / "ledger.xlsx")),
                               content_type="multipart/form-data")
    finally:
        app.config["AIDLEDGER_IMPORT_INLINE_BYTES"] = 1024 * 1024
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Processing in the background" in page and "data-import-progress" in page
    assert client.get("/static/importers/importers.js").status_code == 200


def test_a_file_above_the_upload_limit_is_explained(web, app, tmp_path):
    client = web.signed_in(Role.FINANCE)
    app.config["MAX_CONTENT_LENGTH"] = 2000
    try:
        response = client.post("/imports", data=_form(spending_workbook(tmp_path / "ledger.xlsx")),
                               content_type="multipart/form-data", follow_redirects=True)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 20 * 1024 * 1024
    assert "The file is too large to upload." in response.get_data(as_text=True)
    assert web.query(lambda s: s.query(ImportBatch).count()) == 0


def test_an_unknown_activity_code_gets_the_closest_codes_and_errors_come_first(web, tmp_path):
    web.seed(lambda s: tradeline_market_access(s, malawi_agriculture_programme(s)))
    client = web.signed_in(Role.FINANCE)
    rows = tradeline_ledger_rows()
    rows[2][2] = "MWI-2019-TCL"  # two letters swapped on the last row
    response = client.post("/imports", data=_form(spending_workbook(tmp_path / "ledger.xlsx", rows),
                                                  mode="accept_valid_rows"), content_type="multipart/form-data")
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "no activity with code MWI-2019-TCL; did you mean MWI-2019-TLC?" in detail
    table = detail[detail.index("<tbody>"):]
    assert table.index("MWI-2019-TCL") < table.index("B-2019-0202"), "the row with the error is listed first"
    second_page = client.get(response.headers["Location"] + "?per_page=1&page=2").get_data(as_text=True)
    second_table = second_page[second_page.index("<tbody>"):]
    assert "did you mean" not in second_table and "B-2019-0101" in second_table


def test_nothing_like_the_unknown_code_suggests_nothing(web, tmp_path):
    web.seed(lambda s: tradeline_market_access(s, malawi_agriculture_programme(s)))
    client = web.signed_in(Role.FINANCE)
    rows = tradeline_ledger_rows()
    rows[0][2] = "ZZZZZZZZZZZZZZZZZZZZ"
    response = client.post("/imports", data=_form(spending_workbook(tmp_path / "ledger.xlsx", rows)),
                           content_type="multipart/form-data")
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "no activity with code ZZZZZZZZZZZZZZZZZZZZ" in detail and "did you mean" not in detail


def test_the_upload_bar_is_hidden_until_a_file_travels(web):
    client = web.signed_in(Role.FINANCE)
    html = client.get("/imports").get_data(as_text=True)
    assert "data-upload-progress hidden" in html
    css = client.get("/static/aidledger.css").get_data(as_text=True)
    assert "[hidden] { display: none !important; }" in css
