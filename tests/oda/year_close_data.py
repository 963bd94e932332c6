"""A 2024 portfolio entered as a new user enters it, for the year-close tests: programmes,
activities and spending imported with Dutch headers and Belgian notation, the official
reference files loaded, classified. What stands between it and the final file:

- MWI-2024-LIL, the Lilongwe liaison office, imported without codes: its lines need review
  and its CRS row lacks mandatory items; no commitment anywhere;
- a 17.500.000,00 MWK line of MWI-2024-AGRI: no 2024 kwacha rate yet;
- MWI-2024-AGRI's commitment: 1.200.000,00 on the activity, 1.000.000,00 in the ledger.
"""
from __future__ import annotations

import os
from pathlib import Path

from app import REPO_ROOT
from tests.builders.importers import workbook

SHARED = Path(os.environ.get("AIDLEDGER_REFERENCE_DATA") or REPO_ROOT.parent / "shared" / "reference-data")

PROGRAMMES = (
    ["Programmacode", "Naam", "Soort", "Landcode", "Beginjaar", "Eindjaar", "Beleidsdomein"],
    [["MWI-CSP4", "Landenprogramma Malawi 2023-2027", "landenprogramma", "253", 2023, 2027,
      "ontwikkelingssamenwerking"],
     ["VN-KERN", "Bijdragen aan de Verenigde Naties", "multilateraal", None, 2024, 2028,
      "ontwikkelingssamenwerking"]],
)
ACTIVITY_HEADERS = ["Activiteitscode", "Titel", "Programmacode", "Ontvanger", "Sectorcode", "Hulptype",
                    "Kanaalcode", "Financieringstype", "Hoofddoel", "Vastleggingsdatum", "Vastgelegd bedrag", "Munt"]
AGRI = ["MWI-2024-AGRI", "Landbouwvoorlichting in het noorden van Malawi", "MWI-CSP4", "253", "31166", "C01",
        "12001", "110", "development", "01/02/2024", "1.200.000,00", "EUR"]
LIAISON = ["MWI-2024-LIL", "Verbindingsbureau Lilongwe: personeelskosten 2024", "MWI-CSP4", "", "", "", "", "",
           "development", "", "", "EUR"]
LIAISON_COMPLETE = ["MWI-2024-LIL", "Verbindingsbureau Lilongwe: personeelskosten 2024", "MWI-CSP4", "253",
                    "15110", "C01", "11000", "110", "development", "01/01/2024", "84.000,00", "EUR"]
CERF = ["CERF-2024", "Kernbijdrage aan CERF 2024", "VN-KERN", "998", "72010", "B02", "41147", "110", "humanitarian",
        "01/03/2024", "600.000,00", "EUR"]
SPENDING_HEADERS = ["Boekstuknummer", "Boekingsdatum", "Projectcode", "Bedrag", "Munt", "Omschrijving",
                    "Begrotingsartikel", "Soort"]
SPENDING = [
    ["V-2024-0001", "01/02/2024", "MWI-2024-AGRI", "1.000.000,00", "EUR", "Vastlegging", "QB0-1QAD2MZ", "vastlegging"],
    ["B-2024-0001", "15/03/2024", "MWI-2024-AGRI", "400.000,00", "EUR", "Eerste schijf", "QB0-1QAD2MZ", "uitbetaling"],
    ["B-2024-0002", "10/07/2024", "MWI-2024-AGRI", "17.500.000,00", "MWK", "Lokale kosten Mzuzu", "QB0-1QAD2MZ",
     "uitbetaling"],
    ["B-2024-0003", "15/03/2024", "MWI-2024-LIL", "42.000,00", "EUR", "Personeelskosten Q1", "QB0-1QAD2MZ",
     "uitbetaling"],
    ["B-2024-0004", "15/06/2024", "MWI-2024-LIL", "42.000,00", "EUR", "Personeelskosten Q2", "QB0-1QAD2MZ",
     "uitbetaling"],
    ["B-2024-0005", "05/04/2024", "CERF-2024", "600.000,00", "EUR", "Kernbijdrage", "QB0-1QAD2VN", "uitbetaling"],
]
MWK_RATE = [["Jaar", "Munt", "Eenheden per USD", "Bron"], [[2024, "MWK", "1.734,50", "DAC-koers 2024 (ODA-dienst)"]]]


def cli(app, *args, code: int = 0):
    result = app.test_cli_runner().invoke(args=[str(a) for a in args])
    assert result.exit_code == code, result.output
    return result


def import_portfolio(app, session, folder: Path) -> None:
    session.commit()
    cli(app, "import", "programmes", workbook(folder / "programmas.xlsx", *PROGRAMMES))
    cli(app, "import", "activities", workbook(folder / "activiteiten.xlsx", ACTIVITY_HEADERS, [AGRI, LIAISON, CERF]))
    cli(app, "import", "spending", workbook(folder / "boekingen-2024.xlsx", SPENDING_HEADERS, SPENDING))
    cli(app, "reference", "load", SHARED)
    cli(app, "oda", "classify", "--year", "2024")
    cli(app, "events", "dispatch")


def import_rows(app, folder: Path, kind: str, name: str, headers: list, rows: list) -> None:
    cli(app, "import", kind, workbook(folder / name, headers, rows))
    cli(app, "oda", "classify", "--year", "2024")
    cli(app, "events", "dispatch")
