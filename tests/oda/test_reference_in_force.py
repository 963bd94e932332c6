"""A new user's first run: ``db upgrade``, the README's ``reference load``, the imports with
Dutch headers and Belgian numbers, classification and the CRS export. The reference data
shipped with Aidledger (curated DAC List periods, Annex 2 subset) is in force from the start;
derived CRS items (bi/multi, region, income group, parent channel) are filled in."""
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from app import REPO_ROOT
from oda.models import Evaluation, ReferenceSet
from programmes.models import Activity
from tests.builders.importers import DUTCH_SPENDING_HEADERS, csv_file, workbook
from tests.exports.conftest import read_sheets

SHARED = Path(os.environ.get("AIDLEDGER_REFERENCE_DATA") or REPO_ROOT.parent / "shared" / "reference-data")
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="official reference files not found")

PROGRAMME_HEADERS = ["Programmacode", "Naam", "Soort", "Landcode", "Beginjaar", "Eindjaar", "Beleidsdomein"]
ACTIVITY_HEADERS = ["Activiteitscode", "Titel", "Programmacode", "Ontvanger", "Sectorcode", "Hulptype", "Kanaalcode",
                    "Bi/multi", "Vastleggingsdatum", "Vastgelegd bedrag"]


@pytest.fixture(autouse=True)
def upgrade_in_the_test_transaction(monkeypatch, connection):
    """``db upgrade`` opens its own connection, which would wait for the test's (SQLite
    locks the file); here it runs the same migrations in the test's connection."""
    from app import migrate

    upgrade = migrate.upgrade
    monkeypatch.setattr(migrate, "upgrade", lambda url, revision="head": upgrade(url, revision, connection))


def _cli(app, *args):
    result = app.test_cli_runner().invoke(args=[str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def _portfolio(app, files: Path, activities: list[list], spending: list[list]) -> None:
    """Programmes, activities and spending as finance and programme managers send them."""
    _cli(app, "import", "programmes", workbook(files / "programmas.xlsx", PROGRAMME_HEADERS, [
        ["MWI-CSP4", "Landenprogramma Malawi 2024–2028", "country_programme", "253", 2024, 2028,
         "development_cooperation"],
        ["MULTI-2024", "Multilaterale bijdragen 2024", "multilateral_portfolio", None, 2024, 2024,
         "development_cooperation"]]))
    _cli(app, "import", "activities", workbook(files / "activiteiten.xlsx", ACTIVITY_HEADERS, activities))
    _cli(app, "import", "spending", csv_file(files / "uitgaven.csv", [DUTCH_SPENDING_HEADERS, *spending],
                                             delimiter=";"))


def _evaluation(session, code: str, year: int = 2024) -> Evaluation:
    session.expire_all()
    activity = session.scalar(select(Activity).where(Activity.code == code))
    return session.scalars(select(Evaluation).where(Evaluation.activity_id == activity.id,
                                                    Evaluation.year == year)).one()


def _reasons(evaluation: Evaluation) -> dict:
    return {r["rule"]: r for r in evaluation.reasons}


MALAWI = ["MWI-2024-AGRI", "Klimaatbestendige landbouw in Zomba", "MWI-CSP4", "253", "31120", "C01", "22000", None,
          "01/02/2024", "1.200.000,00"]
MALAWI_SPENDING = ["B-2024-0001", "15/03/2024", "MWI-2024-AGRI", "250.000,00", "EUR", "Eerste schijf", "QB0-1QAD2MZ",
                   "uitbetaling"]


@needs_shared
def test_a_fresh_database_classifies_2024_with_the_official_files_alone(app, session, tmp_path):
    _cli(app, "db", "upgrade")
    _cli(app, "reference", "load", SHARED)
    _portfolio(app, tmp_path, [MALAWI], [MALAWI_SPENDING])
    _cli(app, "oda", "classify", "--year", "2024")
    evaluation = _evaluation(session, "MWI-2024-AGRI")
    assert evaluation.status == "eligible", _reasons(evaluation)
    assert "DAC List 2024-2025" in _reasons(evaluation)["recipient"]["reason"]


@needs_shared
def test_cerf_core_is_multilateral_without_anyone_typing_bi_multi(app, session, tmp_path):
    _cli(app, "reference", "load", SHARED)
    _portfolio(app, tmp_path, [
        MALAWI,
        ["MULTI-2024-CERF", "Kernbijdrage CERF 2024", "MULTI-2024", "998", "72010", "B02", "41147", None, None, None],
        ["MULTI-2024-ICMP", "Kernbijdrage ICMP (niet op Annex 2)", "MULTI-2024", "998", "15220", "B02", "47149",
         None, None, None],
    ], [MALAWI_SPENDING,
        ["B-2024-0002", "02/04/2024", "MULTI-2024-CERF", "500.000,00", "EUR", "Kernbijdrage", "QB0-1QAD2MZ",
         "uitbetaling"],
        ["B-2024-0003", "02/05/2024", "MULTI-2024-ICMP", "100.000,00", "EUR", "Kernbijdrage", "QB0-1QAD2MZ",
         "uitbetaling"]])
    _cli(app, "oda", "classify", "--year", "2024")
    cerf = _evaluation(session, "MULTI-2024-CERF")
    assert cerf.status == "eligible" and cerf.share == 1, _reasons(cerf)
    outside = _evaluation(session, "MULTI-2024-ICMP")
    assert outside.status == "not_eligible"
    assert "not reportable as multilateral ODA" in _reasons(outside)["multilateral"]["reason"]

    out = tmp_path / "crs-2024.xlsx"
    _cli(app, "export", "crs", "--year", "2024", "--out", out)
    sheets = read_sheets(out)
    header, *rows = sheets["CRS"]
    crs = {row[header.index("ProjectNumber")]: dict(zip(header, row)) for row in rows}
    assert crs["MULTI-2024-CERF"]["Bi_Multi"] == 2 and crs["MWI-2024-AGRI"]["Bi_Multi"] == 1
    assert crs["MULTI-2024-CERF"]["ParentChannelCode"] == 41400
    malawi = crs["MWI-2024-AGRI"]
    assert (malawi["RegionCode"], malawi["IncomegroupCode"]) == (1027, "LDC")
    assert header.index("RegionCode") == header.index("RecipientName") + 1
    assert header.index("ParentChannelCode") == header.index("ChannelReportedName") + 1
    metadata = dict(sheets["Metadata"][1:])
    assert metadata["DAC List of ODA Recipients: DAC List 2024-2025 (curated)"] == "1 CRS row: 253 Malawi (LDC)"
    assert metadata["Annex 2 table: 2019 (official)"] == "1 CRS row: 41147 CERF (100 %)"


def test_db_upgrade_puts_the_shipped_reference_data_in_force(app, session):
    result = _cli(app, "db", "upgrade")
    assert "reference data shipped with Aidledger" in result.output
    session.expire_all()
    assert session.scalars(select(ReferenceSet.origin).distinct()).all() == ["curated"]
    again = _cli(app, "db", "upgrade")
    assert "unchanged" in again.output
