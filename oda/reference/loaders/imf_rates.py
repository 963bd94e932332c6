"""IMF annual-average exchange rates (national currency per USD), as republished by
codeforIATI/imf-exchangerates: Date (year end), Rate, Currency, Frequency, Source,
Country code, Country.

A currency shared by several countries (GBP in Guernsey, Jersey …; ZAR in Lesotho,
Namibia …) appears once per country, sometimes with slightly different figures: the
issuing country's row is used (GB for GBP, ZA for ZAR, the euro area U2 for EUR).
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from oda.reference.batch import LoadError, ParsedFile, RateRow, sha256_of
from oda.reference.loaders.common import csv_rows

HEADER = {"Date", "Rate", "Currency", "Frequency", "Country code"}
ISSUER_OVERRIDES = {"EUR": "U2"}


def recognises(data: bytes) -> bool:
    head = data[:200].decode("utf-8-sig", errors="replace").splitlines()[0:1]
    return bool(head) and HEADER <= {c.strip() for c in head[0].split(",")}


def parse(path: Path, data: bytes) -> ParsedFile:
    rows = csv_rows(path, data)
    chosen: dict[tuple[int, str], tuple[int, RateRow]] = {}
    for line, row in enumerate(rows, start=2):
        if row.get("Frequency") != "A":
            continue
        rate = _rate_row(path, line, row)
        priority = 0 if _issuer(rate.currency) == row.get("Country code") else 1
        key = (rate.year, rate.currency)
        if key not in chosen or priority < chosen[key][0]:
            chosen[key] = (priority, rate)
    parsed = ParsedFile(str(path), sha256=sha256_of(data))
    parsed.rates = [rate for _, rate in sorted(chosen.values(), key=lambda p: (p[1].year, p[1].currency != "EUR",
                                                                              p[1].currency))]
    if not parsed.rates:
        raise LoadError(f"{path.name}: no annual rates found")
    return parsed


def _issuer(currency: str) -> str:
    return ISSUER_OVERRIDES.get(currency, currency[:2])


def _rate_row(path: Path, line: int, row: dict) -> RateRow:
    where = f"{path.name}, line {line}"
    try:
        year = int(row["Date"][:4])
        value = Decimal(row["Rate"])
    except (ValueError, InvalidOperation, KeyError):
        raise LoadError(f"{where}: expected a year-end date and a rate, got {row.get('Date')!r}, "
                        f"{row.get('Rate')!r}") from None
    currency = row.get("Currency", "").upper()
    if len(currency) != 3 or not currency.isalpha() or not (1950 <= year <= 2100):
        raise LoadError(f"{where}: not a currency and year: {currency!r}, {year}")
    if not value.is_finite() or value <= 0:
        raise LoadError(f"{where}: the rate must be a positive number")
    country = row.get("Country") or row.get("Country code") or "?"
    source = f"IMF annual average, {country} ({path.name}, codeforIATI/imf-exchangerates)"
    return RateRow(year, currency, str(value.quantize(Decimal("1e-10"))), source[:200])
