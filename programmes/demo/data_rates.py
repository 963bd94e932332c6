"""Annual-average exchange rates the demo needs, in units per USD (as the IMF publishes them).

EUR: the IMF table of shared/domain/oda-reference.md §6 (euro area, six decimals).
MWK, MZN, ZAR: the same IMF series rounded to four decimals, for the country
offices' local payments. No MWK rate for 2024 was published, so the demo pays
nothing in MWK after 2023.
"""
from __future__ import annotations

from decimal import Decimal

EUR_SOURCE = "IMF IFS annual average, euro area (U2), EUR per USD"
LOCAL_SOURCE = "IMF IFS annual average, national currency per USD (rounded to 4 decimals)"

EUR_PER_USD = {
    2018: "0.846773", 2019: "0.893276", 2020: "0.875506", 2021: "0.845494",
    2022: "0.949624", 2023: "0.924840", 2024: "0.923890",
}

LOCAL_PER_USD = {
    "MWK": {2018: "732.3333", 2019: "745.5407", 2020: "749.5275", 2021: "805.8997",
            2022: "949.0390", 2023: "1161.0944"},
    "MZN": {2018: "60.3262", 2019: "62.5483", 2020: "69.4650", 2021: "65.4650",
            2022: "63.8508", 2023: "63.8858", 2024: "63.9050"},
    "ZAR": {2018: "13.2339", 2019: "14.4484", 2020: "16.4591", 2021: "14.7787",
            2022: "16.3559", 2023: "18.4502", 2024: "18.3287"},
}


def demo_rates() -> list[tuple[int, str, Decimal, str]]:
    """(year, currency, units per USD, source); EUR first so cross rates fill at once."""
    rates = [(year, "EUR", Decimal(value), EUR_SOURCE) for year, value in EUR_PER_USD.items()]
    for currency, per_year in LOCAL_PER_USD.items():
        rates += [(year, currency, Decimal(value), LOCAL_SOURCE) for year, value in per_year.items()]
    return rates
