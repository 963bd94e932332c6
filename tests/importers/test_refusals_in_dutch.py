"""A file refused as a whole is explained in the reader's language (issue 19): the refusal is kept
as a message, so a Dutch finance officer reads Dutch and an English one English, whoever uploaded
it and whether the page, the API, the command or the import job read it; the code stays the same."""
from __future__ import annotations

import html
import io
from datetime import timedelta
from pathlib import Path
from typing import Callable, NamedTuple

import pytest

from app.auth.roles import Role
from app.db import utcnow
from importers.jobs import process_queued_imports
from importers.models import ImportBatch
from importers.services.queue import claim_next, mark_interrupted, queue_upload
from tests.builders import importers as build
from tests.builders.api import assert_error
from tests.builders.web import web  # noqa: F401


class Refusal(NamedTuple):
    make: Callable[[Path], Path]
    code: str
    dutch: str
    english: str
    config: dict = {}


def _missing_column(tmp: Path) -> Path:
    headers = [h for h in build.DUTCH_SPENDING_HEADERS if h != "Projectcode"]
    return build.workbook(tmp / "grootboek.xlsx", headers, [row[:2] + row[3:] for row in build.tradeline_ledger_rows()])


def _budgets(tmp: Path) -> Path:
    return build.workbook(tmp / "grootboek.xlsx", ["Programmacode", "Jaar", "Gepland bedrag"],
                          [["MWI-CSP3", 2024, "5.250.000,00"]])


def _many_rows(tmp: Path) -> Path:
    rows = [[f"B-2019-{n:04d}", "02/05/2019", "MWI-2019-TLC", "100,00"] for n in range(1201)]
    return build.csv_file(tmp / "grootboek.csv", [build.DUTCH_SPENDING_HEADERS[:4], *rows], delimiter=";")


def _unknown_encoding(tmp: Path) -> Path:
    path = tmp / "grootboek.csv"
    path.write_bytes(b"Boekstuknummer;Boekingsdatum;Projectcode;Bedrag\r\nB-1;02/05/2019;MWI\x81\x8d;100,00\r\n")
    return path


def _empty(tmp: Path) -> Path:
    path = tmp / "grootboek.csv"
    path.write_bytes(b"")
    return path


REFUSALS = {
    "zip bomb": Refusal(
        lambda tmp: build.zip_bomb(tmp / "grootboek.xlsx", tmp), "zip_bomb",
        "Het onderdeel xl/sharedStrings2.xml is meer dan 200:1 gecomprimeerd, zoals een zipbom; geweigerd.",
        "The part xl/sharedStrings2.xml is compressed more than 200:1, as zip bombs are; refused."),
    "macros": Refusal(
        lambda tmp: build.macro_workbook_renamed(tmp / "grootboek.xlsx", tmp), "macros",
        "De werkmap bevat macro's (VBA), ook al heet ze .xlsx. Sla het werkblad op als een gewone .xlsx-werkmap "
        "zonder macro's.",
        "The workbook contains macros (VBA), even if it is named .xlsx."),
    "unknown encoding": Refusal(
        _unknown_encoding, "encoding",
        "De tekst van het bestand staat in een onbekende codering. Sla het op als CSV UTF-8 (of Windows-1252) en "
        "laad het opnieuw op.",
        "The text of the file is in an unknown encoding."),
    "missing column": Refusal(
        _missing_column, "missing_columns",
        "Rij 1 lijkt de rij met kolomkoppen, maar mist de kolom(men) activity_code. Minstens nodig: "
        "document_number, posting_date, activity_code, amount.",
        "Row 1 looks like the header but lacks the column(s) activity_code."),
    "wrong kind": Refusal(
        _budgets, "wrong_kind",
        "Dit bestand lijkt op “Begrotingslijnen” (soort budgets), niet op “Uitgaven (boekingslijnen)”: kies die "
        "soort of controleer het bestand.",
        "This file looks like “Budget lines” (kind budgets), not “Spending (ledger lines)”"),
    "too many rows": Refusal(
        _many_rows, "too_many_rows",
        "Het bestand bevat meer dan 1.200 gegevensrijen; splits het in kleinere bestanden.",
        "The file has more than 1,200 data rows; split it into smaller files.",
        {"AIDLEDGER_MAX_IMPORT_ROWS": 1200}),
    "empty file": Refusal(_empty, "empty", "Het bestand is leeg.", "The file is empty."),
}


def _text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def _upload(client, path: Path, kind: str = "spending"):
    data = {"kind": kind, "mode": "all_or_nothing", "action": "import",
            "file": (io.BytesIO(path.read_bytes()), path.name)}
    return client.post("/imports", data=data, content_type="multipart/form-data")


def _batch(web, batch_id: int) -> ImportBatch:
    return web.query(lambda s: s.get(ImportBatch, batch_id))


@pytest.fixture
def refusal(request, app, monkeypatch, tmp_path):
    case = REFUSALS[request.param]
    for name, value in case.config.items():
        monkeypatch.setitem(app.config, name, value)
    return case, case.make(tmp_path)


@pytest.mark.parametrize("refusal", REFUSALS, ids=list(REFUSALS), indirect=True)
def test_a_dutch_officer_reads_why_the_file_was_refused_in_dutch_and_an_english_one_in_english(web, refusal):
    case, path = refusal
    dutch = web.signed_in(Role.FINANCE, locale="nl")
    response = _upload(dutch, path)
    assert response.status_code == 302
    batch_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    page = _text(dutch.get(f"/imports/{batch_id}"))
    assert case.dutch in page
    assert case.english not in page
    assert case.dutch in dutch.get(f"/imports/{batch_id}/progress.json").get_json()["message"]

    english = _text(web.signed_in(Role.FINANCE).get(f"/imports/{batch_id}"))
    assert case.english in english and case.dutch not in english
    batch = _batch(web, batch_id)
    assert (batch.status, batch.error_code) == ("refused", case.code)
    assert case.english in batch.message, "the stored text stays English, for logs and searches"


@pytest.mark.parametrize("refusal", REFUSALS, ids=list(REFUSALS), indirect=True)
def test_a_queued_upload_refused_by_the_job_is_read_in_each_readers_language(web, refusal):
    case, path = refusal
    uploader = web.user(Role.FINANCE, locale="nl")

    def queue(session):
        from app.auth.services import get_user_by_email

        return queue_upload(session, "spending", path.read_bytes(), path.name, "0" * 64,
                            uploader=get_user_by_email(session, uploader)).id

    batch_id = web.seed(queue)
    assert web.seed(process_queued_imports)["processed"] == 1
    dutch = _text(web.sign_in(uploader, web.app.test_client()).get(f"/imports/{batch_id}"))
    assert case.dutch in dutch and case.english not in dutch
    english = _text(web.signed_in(Role.FINANCE).get(f"/imports/{batch_id}"))
    assert case.english in english and case.dutch not in english
    assert _batch(web, batch_id).error_code == case.code


@pytest.mark.parametrize("refusal", REFUSALS, ids=list(REFUSALS), indirect=True)
def test_the_api_answers_422_in_the_language_of_the_token_user(web, refusal):
    case, path = refusal

    def post(token):
        data = {"kind": "spending", "file": (io.BytesIO(path.read_bytes()), path.name)}
        return web.app.test_client().post("/api/v1/imports", data=data, content_type="multipart/form-data",
                                          headers={"Authorization": f"Bearer {token}"})

    dutch_token = web.token(web.user(Role.FINANCE, locale="nl"))
    error = assert_error(post(dutch_token), 422)
    assert case.dutch in error["message"] and error["details"]["file"] == [error["message"]]
    assert error["details"]["code"] == case.code
    batch = web.app.test_client().get(f"/api/v1/imports/{error['details']['batch_id']}",
                                      headers={"Authorization": f"Bearer {dutch_token}"}).get_json()
    assert case.dutch in batch["message"] and batch["error_code"] == case.code

    english = assert_error(post(web.token(web.user(Role.FINANCE))), 422)
    assert case.english in english["message"] and english["details"]["code"] == case.code


#: the shell's language comes from LANG when LC_ALL and LC_MESSAGES do not say otherwise
LOCALE_UNSET = {"LC_ALL": None, "LC_MESSAGES": None}


def test_the_command_says_the_refusal_in_the_language_asked_or_the_shells(app, session, tmp_path):
    path = _missing_column(tmp_path)
    command = ["import", "spending", str(path)]
    dutch = app.test_cli_runner().invoke(args=[*command, "--lang", "nl"])
    assert dutch.exit_code == 2 and dutch.stdout.startswith("refused: ")
    assert REFUSALS["missing column"].dutch in dutch.stdout
    shell = app.test_cli_runner().invoke(args=command, env={**LOCALE_UNSET, "LANG": "nl_BE.UTF-8"})
    assert REFUSALS["missing column"].dutch in shell.stdout
    english = app.test_cli_runner().invoke(args=command, env={**LOCALE_UNSET, "LANG": "C.UTF-8"})
    assert REFUSALS["missing column"].english in english.stdout


def test_an_interrupted_import_and_one_being_read_are_said_in_dutch(web, tmp_path):
    path = build.spending_workbook(tmp_path / "grootboek.xlsx")

    def queue_two(session):
        first = queue_upload(session, "spending", path.read_bytes(), path.name, "1" * 64).id
        second = queue_upload(session, "spending", path.read_bytes(), path.name, "2" * 64).id
        assert claim_next(session) == first
        session.get(ImportBatch, first).started_at = utcnow() - timedelta(hours=1)
        session.flush()
        assert mark_interrupted(session) == 1
        assert claim_next(session) == second
        return first, second

    interrupted, reading = web.seed(queue_two)
    client = web.signed_in(Role.FINANCE, locale="nl")
    assert ("De import werd onderbroken (de taak stopte); er werd niets geïmporteerd. Laad het bestand opnieuw op."
            in _text(client.get(f"/imports/{interrupted}")))
    assert "Het bestand wordt gelezen…" in client.get(f"/imports/{reading}/progress.json").get_json()["message"]
    english = web.signed_in(Role.FINANCE).get(f"/imports/{interrupted}/progress.json").get_json()["message"]
    assert english.startswith("The import was interrupted (the job stopped)")


def test_an_unexpected_failure_is_said_in_dutch(web, tmp_path, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("importers.services.run._apply", crash)
    client = web.signed_in(Role.FINANCE, locale="nl")
    response = _upload(client, build.spending_workbook(tmp_path / "grootboek.xlsx"))
    page = _text(client.get(response.headers["Location"]))
    assert "Een onverwachte fout heeft de import gestopt; er werd niets geïmporteerd." in page
    assert "disk on fire" not in page


def test_a_batch_refused_before_refusals_were_messages_still_shows_its_text(web):
    def old(session):
        batch = ImportBatch(kind="spending", filename="oud.xlsx", sha256="3" * 64, status="refused",
                            uploaded_by="finance@vlaanderen.test", error_code="corrupt",
                            message="The workbook is damaged and cannot be read (Bad magic number).")
        session.add(batch)
        session.flush()
        return batch.id

    batch_id = web.seed(old)
    page = _text(web.signed_in(Role.FINANCE, locale="nl").get(f"/imports/{batch_id}"))
    assert "The workbook is damaged and cannot be read (Bad magic number)." in page


def test_every_refusal_in_the_code_is_a_message_not_text():
    """A refusal written as text (an f-string) reaches a Dutch reader in English, and one translated
    when it is raised (gettext) stays in the language of whoever raised it (the job: English)."""
    import ast

    import importers

    written = []
    for path in Path(importers.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ImportRefused"
                    and len(node.args) > 1):
                continue
            message = node.args[1]
            if isinstance(message, (ast.Constant, ast.JoinedStr, ast.BinOp)) or (
                    isinstance(message, ast.Call) and getattr(message.func, "id", None) in ("_", "gettext")):
                written.append(f"{path.name}:{node.lineno}")
    assert not written, f"refusals written as text, not said(…): {written}"
