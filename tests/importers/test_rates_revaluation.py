"""A rate that arrives after the spending (annual averages are published after the year)
revalues the ledger: ledger, budget projections, classification and CRS agree to the cent.

Everything is entered as finance and the ODA officer enter it: programmes, activities and
spending through the imports (Dutch headers, Belgian numbers and dates), the DAC rates
through the rates import, the IMF file of shared/reference-data through ``reference load``.
"""
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.events.models import Event
from app.rates.models import ExchangeRate
from oda.models import Classification
from programmes.models import ActivityYearTotal, Programme, ProgrammeYearTotal, Transaction
from tests.builders.importers import DUTCH_SPENDING_HEADERS, workbook
from tests.builders.oda import load_reference
from tests.exports.conftest import read_sheets
from tests.builders.reference import SHARED

REFERENCE_DATA = SHARED
PROGRAMME_HEADERS = ["Programmacode", "Naam", "Soort", "Landcode", "Beginjaar", "Eindjaar", "Beleidsdomein"]
ACTIVITY_HEADERS = ["Activiteitscode", "Titel", "Programmacode", "Ontvanger", "Sectorcode", "Hulptype",
                    "Kanaalcode"]
RATE_HEADERS = ["Jaar", "Munt", "Eenheden per USD", "Bron"]
PROGRAMMES = [
    ["MWI-CSP4", "Malawi landenprogramma 2024–2028", "landenprogramma", 253, 2024, 2028, "Ontwikkelingssamenwerking"],
    ["ZAF-CLIMATE", "Zuid-Afrika klimaatadaptatie", "landenprogramma", 218, 2022, 2026,
     "Ontwikkelingssamenwerking"],
]
ACTIVITIES = [
    ["MWI-2024-ACE", "Marktontwikkeling voor kleine boeren", "MWI-CSP4", 253, 31120, "C01", 23000],
    ["ZAF-2024-WAT", "Waterbeheer in de Limpopo-vallei", "ZAF-CLIMATE", 218, 41010, "C01", 23000],
]
SPENDING = [  # Boekstuknummer, Boekingsdatum, Projectcode, Bedrag, Munt, Omschrijving, Begrotingsartikel, Soort
    ["V-2024-0001", "01/02/2024", "MWI-2024-ACE", "1.500.000.000,00", "MWK", "Overeenkomst ACE", "QB0-1QAD2MZ",
     "vastlegging"],
    ["B-2024-0101", "15/03/2024", "MWI-2024-ACE", "693.800.000,00", "MWK", "Eerste schijf", "QB0-1QAD2MZ",
     "uitbetaling"],
    ["B-2024-0102", "02/09/2024", "MWI-2024-ACE", "520.350.000,55", "MWK", "Tweede schijf", "QB0-1QAD2MZ",
     "betaling"],
    ["V-2024-0002", "12/02/2024", "ZAF-2024-WAT", "12.000.000,00", "ZAR", "Overeenkomst Limpopo", "QB0-1QAD2ZA",
     "vastlegging"],
    ["B-2024-0201", "20/03/2024", "ZAF-2024-WAT", "4.583.333,33", "ZAR", "Eerste schijf", "QB0-1QAD2ZA",
     "uitbetaling"],
    ["B-2024-0202", "20/03/2024", "ZAF-2024-WAT", "250.000,00", "EUR", "Studie in Vlaanderen", "QB0-1QAD2ZA",
     "uitbetaling"],
]
#: the DAC's 2024 rates as the ODA officer enters them (Belgian decimal comma)
DAC_RATES = [[2024, "MWK", "1734,5000", "DAC annual average 2024"], [2024, "ZAR", "18,3300", "DAC annual average 2024"]]


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=[*map(str, args)])


def _import(app, kind, path):
    result = _cli(app, "import", kind, path)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def spent_before_the_rates(app, session, tmp_path):
    """The curated reference data (EUR rates only), then the 2024 portfolio and its spending
    imported before any MWK or ZAR rate of 2024 exists."""
    load_reference(session)
    session.commit()
    _import(app, "programmes", workbook(tmp_path / "programmas.xlsx", PROGRAMME_HEADERS, PROGRAMMES))
    _import(app, "activities", workbook(tmp_path / "activiteiten.xlsx", ACTIVITY_HEADERS, ACTIVITIES))
    _import(app, "spending", workbook(tmp_path / "boekingen-2024.xlsx", DUTCH_SPENDING_HEADERS, SPENDING))
    return tmp_path


def _expected_eur(session, line: Transaction) -> Decimal | None:
    """The EUR value worked out by hand: units per EUR from the USD rates (10 decimals),
    then the amount divided by it, half to even to the cent."""
    if line.currency == "EUR":
        return line.amount
    rates = {r.currency: r.units_per_usd
             for r in session.scalars(select(ExchangeRate).where(ExchangeRate.year == 2024))}
    if line.currency not in rates:
        return None
    per_eur = (rates[line.currency] / rates["EUR"]).quantize(Decimal("1e-10"), rounding=ROUND_HALF_EVEN)
    return (line.amount / per_eur).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


def _lines(session) -> list[Transaction]:
    session.expire_all()
    return session.scalars(select(Transaction).order_by(Transaction.document_number)).all()


def _assert_everything_agrees(app, session, tmp_path) -> Path:
    """Ledger = hand-computed EUR; projections = ledger; classification = ledger; the final
    CRS export reconciles. Returns the CRS workbook."""
    lines = _lines(session)
    assert [(l.document_number, l.amount_eur) for l in lines] == [
        (l.document_number, _expected_eur(session, l)) for l in lines]
    assert _cli(app, "events", "dispatch").exit_code == 0
    session.expire_all()
    for programme in session.scalars(select(Programme)):
        mine = [l for l in lines if l.activity.programme_id == programme.id]
        total = session.get(ProgrammeYearTotal, (programme.id, 2024))
        assert (total.committed, total.disbursed) == (
            sum(l.amount_eur for l in mine if l.kind == "commitment"),
            sum(l.amount_eur for l in mine if l.kind == "disbursement")), programme.code
    assert session.scalar(select(func.sum(ActivityYearTotal.unconverted))) == 0
    classified = _cli(app, "oda", "classify", "--year", 2024)
    assert classified.exit_code == 0, classified.output
    session.expire_all()
    by_line = {c.transaction_id: c.amount_eur for c in session.scalars(select(Classification))}
    assert by_line == {l.id: l.amount_eur for l in lines}
    out = tmp_path / "crs-2024.xlsx"
    final = _cli(app, "export", "crs", "--year", 2024, "--out", out, "--final")
    assert final.exit_code == 0, final.output
    assert "CRS + Not ODA = total spending (and commitments), to the cent" in final.output
    return out


def test_a_dac_rate_imported_after_the_spending_revalues_every_line_and_the_crs_reconciles(
        app, session, spent_before_the_rates):
    tmp_path = spent_before_the_rates
    waiting = _lines(session)
    assert [l.amount_eur for l in waiting if l.currency != "EUR"] == [None] * 5, "no rate yet: no EUR value, not 0"
    before = session.scalar(select(func.max(Event.id)))

    _import(app, "rates", workbook(tmp_path / "koersen-2024.xlsx", RATE_HEADERS, DAC_RATES))

    revalued = session.scalars(select(Event).where(Event.id > before, Event.type == "TransactionsRevalued")).all()
    assert len(revalued) == 1, "one event for the rates file, not one per line or per rate"
    payload = revalued[0].payload
    assert (payload["year"], payload["currencies"], payload["lines"], payload["revalued"]) == (
        2024, ["MWK", "ZAR"], 5, 5)
    lines = _lines(session)
    assert payload["totals_cents"]["disbursement"] == {
        "before": 0, "after": int(sum(l.amount_eur for l in lines if l.kind == "disbursement" and l.currency != "EUR")
                                  * 100), "unconverted_before": 3, "unconverted_after": 0}
    assert session.scalar(select(func.count()).select_from(Event).where(
        Event.id > before, Event.type.in_(("TransactionCorrected", "DisbursementRecorded")))) == 0
    _assert_everything_agrees(app, session, tmp_path)

    replayed = _cli(app, "events", "replay", "budget_totals")
    assert replayed.exit_code == 0, replayed.output
    session.expire_all()
    mwi = session.scalar(select(Programme).where(Programme.code == "MWI-CSP4"))
    assert session.get(ProgrammeYearTotal, (mwi.id, 2024)).disbursed == sum(
        l.amount_eur for l in lines if l.activity.programme_id == mwi.id and l.kind == "disbursement")


def test_the_imf_file_keeps_the_officers_dac_rate_and_revalues_for_its_new_eur_rate(
        app, session, spent_before_the_rates):
    tmp_path = spent_before_the_rates
    _import(app, "rates", workbook(tmp_path / "koersen-2024.xlsx", RATE_HEADERS, DAC_RATES))
    curated_eur = session.scalar(select(ExchangeRate).where(ExchangeRate.year == 2024, ExchangeRate.currency == "EUR"))
    assert curated_eur.origin == "curated"

    loaded = _cli(app, "reference", "load", REFERENCE_DATA)
    assert loaded.exit_code == 0, loaded.output

    session.expire_all()
    rates = {r.currency: r for r in session.scalars(select(ExchangeRate).where(ExchangeRate.year == 2024))}
    assert (rates["ZAR"].units_per_usd, rates["ZAR"].origin) == (Decimal("18.33"), "officer"), \
        "the IMF's 18.3286575505 does not replace the officer's DAC rate"
    assert rates["ZAR"].source == "DAC annual average 2024"
    assert (rates["EUR"].units_per_usd, rates["EUR"].origin) == (Decimal("0.9238895461"), "imf")
    out = _assert_everything_agrees(app, session, tmp_path)
    metadata = dict(read_sheets(out)["Metadata"][1:])
    assert metadata["Exchange rate source"] == ("IMF file: IMF annual average, Euro Area (EA) "
                                                "(imf-annual-average-per-usd.csv, codeforIATI/imf-exchangerates)")
    assert metadata["Exchange rates of other currencies"] == (
        "MWK 1734.5000000000 per USD, DAC rate entered by an officer: DAC annual average 2024; "
        "ZAR 18.3300000000 per USD, DAC rate entered by an officer: DAC annual average 2024")


def test_a_rates_file_with_a_bad_row_is_refused_and_the_ledger_keeps_waiting(app, session, spent_before_the_rates):
    tmp_path = spent_before_the_rates
    rows = DAC_RATES + [[2024, "MZN", "0", "typo"], [2024, "=1+1", "63,9", "hostile"], [2024, "EUR", "1,2,3", "x"]]
    result = _cli(app, "import", "rates", workbook(tmp_path / "koersen-fout.xlsx", RATE_HEADERS, rows))
    assert result.exit_code == 2 and result.stdout.startswith("rejected: Nothing was imported")
    assert "an exchange rate must be positive" in result.stderr
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(ExchangeRate).where(ExchangeRate.currency == "MWK")) == 0
    assert [l.amount_eur for l in _lines(session) if l.currency != "EUR"] == [None] * 5
    assert session.scalar(select(func.count()).select_from(Event).where(Event.type == "TransactionsRevalued")) == 0
