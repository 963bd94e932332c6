"""A queued import (the scheduler's job, no reader yet) keeps its row reasons as messages, so
each reader sees them in their own language (issue 19): a Dutch finance officer reads Dutch
reasons, with the "did you mean" suggestion, an English one English."""
from datetime import date

import pytest

from app.auth.roles import Role
from importers.jobs import process_queued_imports
from importers.services.queue import queue_upload
from tests.builders.importers import DUTCH_SPENDING_HEADERS, spending_workbook
from tests.builders.programmes import malawi_agriculture_programme, tradeline_market_access
from tests.builders.web import web  # noqa: F401

ROWS = [
    ["B-2019-0101", date(2019, 5, 2), "MWI-2019-TLX", "400.000,10", "EUR", "Eerste schijf Tradeline", "QB0-1QAD2MZ",
     "uitbetaling"],
    ["B-2019-0102", "31/02/2019", "MWI-2019-TLC", "1.250,00", "EUR", "Tweede schijf", "QB0-1QAD2MZ", "uitbetaling"],
    ["B-2019-0103", date(2019, 6, 3), "MWI-2019-TLC", "", "EUR", "Zonder bedrag", "QB0-1QAD2MZ", "uitbetaling"],
]


@pytest.fixture
def processed(web, tmp_path):
    path = spending_workbook(tmp_path / "grootboek.xlsx", ROWS, headers=DUTCH_SPENDING_HEADERS)

    def build(session):
        tradeline_market_access(session, malawi_agriculture_programme(session))
        return queue_upload(session, "spending", path.read_bytes(), path.name, "0" * 64).id

    batch_id = web.seed(build)
    assert web.seed(process_queued_imports)["processed"] == 1
    return batch_id


def _page(client, batch_id: int) -> str:
    response = client.get(f"/imports/{batch_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_queued_imports_reasons_are_said_in_dutch_to_a_dutch_reader(web, processed):
    page = _page(web.signed_in(Role.FINANCE, locale="nl"), processed)
    assert "geen activiteit met code MWI-2019-TLX; bedoelt u MWI-2019-TLC?" in page
    assert "die dag bestaat niet: &#39;31/02/2019&#39; (datums worden gelezen met de dag eerst" in page
    assert "is leeg; een waarde is verplicht" in page
    for english in ("no activity with code", "did you mean", "is empty; a value is required", "no such day"):
        assert english not in page


def test_the_same_rows_are_said_in_english_to_an_english_reader(web, processed):
    page = _page(web.signed_in(Role.FINANCE), processed)
    assert "no activity with code MWI-2019-TLX; did you mean MWI-2019-TLC?" in page
    assert "no such day: &#39;31/02/2019&#39;" in page and "is empty; a value is required" in page


def test_the_error_rows_workbook_says_the_reasons_in_the_readers_language(web, processed):
    import io

    from openpyxl import load_workbook

    client = web.signed_in(Role.FINANCE, locale="nl")
    response = client.get(f"/imports/{processed}/error-rows.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    reasons = [row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert any("geen activiteit met code MWI-2019-TLX" in r for r in reasons)
    assert not any("no activity with code" in r for r in reasons)
