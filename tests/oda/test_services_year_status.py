"""The year's status (``oda.services.year_status``) on a portfolio imported with Dutch
headers and the official reference files: each kind of blocker counts what a user
would fix, and disappears once it is fixed."""
from __future__ import annotations

from decimal import Decimal

import pytest

from app.errors import ValidationError
from oda.services.year_status import year_status
from tests.oda.year_close_data import (ACTIVITY_HEADERS, AGRI, CERF, LIAISON_COMPLETE, MWK_RATE, SHARED,
                                       import_portfolio, import_rows)

pytestmark = pytest.mark.skipif(not SHARED.is_dir(),
                                reason="the official reference files are not beside the repository")


@pytest.fixture
def portfolio(app, session, tmp_path):
    import_portfolio(app, session, tmp_path)
    return tmp_path


def items(session, year=2024) -> dict:
    return {item.kind: item for item in year_status(session, year).items}


def test_the_imported_year_shows_every_blocker_with_what_it_counts(session, portfolio):
    status = year_status(session, 2024)
    found = {item.kind: item for item in status.items}
    assert not status.ready
    review = found["open_review_groups"]
    # the liaison office's two lines (no codes) and the kwacha line (no rate): two groups
    assert (review.count, review.lines, review.blocking) == (2, 3, True)
    assert [e.label for e in review.examples] == ["MWI-2024-AGRI Landbouwvoorlichting in het noorden van Malawi",
                                                  "MWI-2024-LIL Verbindingsbureau Lilongwe: personeelskosten 2024"]
    assert found["lines_without_rate"].count == 1
    assert [e.label for e in found["lines_without_rate"].examples] == ["MWK 2024: 1"]
    assert found["missing_mandatory_items"].count == 1
    assert found["missing_mandatory_items"].examples[0].link.params == {"code": "MWI-2024-LIL", "_anchor": "edit"}
    assert found["commitment_conflicts"].count == 1
    assert found["commitments_missing"].count == 1
    assert found["activities_without_crs_id"].count >= 1 and not found["activities_without_crs_id"].blocking
    assert {item.kind for item in status.blockers} == {
        "open_review_groups", "lines_without_rate", "missing_mandatory_items", "commitment_conflicts",
        "commitments_missing"}


def test_totals_split_the_years_net_disbursements_by_classification(session, portfolio):
    status = year_status(session, 2024)
    # CERF (600.000,00, 100 % ODA) is decided; the liaison office (84.000,00) and MWI-2024-AGRI
    # (its kwacha line has no rate: the activity-year stays open) are not
    assert status.totals.oda == Decimal("600000.00")
    assert status.totals.not_oda == Decimal("0.00")
    assert status.totals.open == Decimal("484000.00")
    assert status.progress.lines == 6
    assert status.progress.lines_decided == 3  # CERF's line, AGRI's EUR commitment and disbursement
    assert status.progress.amount_decided == Decimal("600000.00")


def test_each_blocker_goes_once_fixed_at_its_source(app, session, portfolio):
    import_rows(app, portfolio, "rates", "koersen.xlsx", *MWK_RATE)
    assert items(session)["lines_without_rate"].count == 0
    fixed_agri = AGRI[:10] + ["1.000.000,00", "EUR"]
    import_rows(app, portfolio, "activities", "activiteiten-2.xlsx", ACTIVITY_HEADERS,
                [fixed_agri, LIAISON_COMPLETE, CERF])
    found = items(session)
    assert found["missing_mandatory_items"].count == 0
    assert found["commitment_conflicts"].count == 0
    assert found["commitments_missing"].count == 0
    assert found["open_review_groups"].count == 0
    status = year_status(session, 2024)
    assert status.ready, [item.kind for item in status.blockers]
    assert status.totals.open == Decimal("0.00") and status.progress.lines_decided == status.progress.lines


def test_an_officers_decisions_close_a_review_group(app, session, portfolio):
    from sqlalchemy import select

    from oda.services.overrides import override_classification
    from programmes.models import Transaction

    documents = ["B-2024-0003", "B-2024-0004"]
    lines = session.scalars(select(Transaction.id).where(Transaction.document_number.in_(documents))
                            .order_by(Transaction.id)).all()
    override_classification(session, lines[0], "reject", "Kosten van de eigen administratie: geen ODA")
    assert (items(session)["open_review_groups"].count, items(session)["open_review_groups"].lines) == (2, 2)
    override_classification(session, lines[1], "reject", "Kosten van de eigen administratie: geen ODA")
    assert (items(session)["open_review_groups"].count, items(session)["open_review_groups"].lines) == (1, 1)
    assert year_status(session, 2024).totals.not_oda == Decimal("84000.00")


def test_reference_data_that_does_not_cover_the_year_blocks_it(session, portfolio):
    found = items(session, 1995)
    assert found["dac_list"].blocking and found["annex2"].blocking
    recent = items(session, 2024)
    assert not recent["dac_list"].blocking and not recent["annex2"].blocking


@pytest.mark.parametrize("year", ["abcd", "1989", "2101", "", "2024; DROP TABLE activities"])
def test_a_bad_year_is_refused_clearly(session, year):
    with pytest.raises(ValidationError) as refused:
        year_status(session, year)
    assert "year" in refused.value.message
