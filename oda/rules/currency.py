"""Exchange rate: a transaction in another currency needs the year's rate to be
converted to EUR. Without it the line is never converted to zero or skipped: it
needs review, naming the missing rate."""
from __future__ import annotations

from oda.rules.base import LOAD_COMMAND, PASS, UNKNOWN, RuleContext, RuleResult

NAME = "exchange_rate"
READS = ()


def check(ctx: RuleContext) -> RuleResult:
    currency, year = ctx.currency, ctx.year
    if currency == "EUR":
        return RuleResult(NAME, PASS, "Booked in EUR: no conversion needed.", facts={"currency": "EUR"})
    rate = ctx.ref.units_per_eur(currency, year)
    if rate is not None:
        return RuleResult(NAME, PASS, f"Converted to EUR at the {year} annual average rate: 1 EUR = "
                                      f"{rate.normalize():f} {currency}.",
                          facts={"currency": currency, "units_per_eur": str(rate)})
    missing = [c for c in (currency, "EUR") if not ctx.ref.has_usd_rate(c, year)]
    named = " and ".join(f"the {year} {c} rate" for c in missing) or f"the {year} {currency} rate"
    return RuleResult(NAME, UNKNOWN, f"No exchange rate to convert {currency} to EUR for {year}: set {named} "
                                     f"(units per USD): load the IMF annual-average file with `{LOAD_COMMAND} "
                                     "FILE`, or import the rates with `flask --app wsgi import rates FILE`.",
                      facts={"currency": currency, "missing": missing})
