"""Exchange rate: a transaction in another currency needs the year's rate to be
converted to EUR. Without it the line is never converted to zero or skipped: it
needs review, naming the missing rate."""
from __future__ import annotations

from oda.rules.base import LOAD_COMMAND, PASS, UNKNOWN, RuleContext, RuleResult
from oda.rules.messages import N_, msg

NAME = "exchange_rate"
READS = ()


def check(ctx: RuleContext) -> RuleResult:
    currency, year = ctx.currency, ctx.year
    if currency == "EUR":
        return RuleResult(NAME, PASS, msg(N_("Booked in EUR: no conversion needed.")), facts={"currency": "EUR"})
    rate = ctx.ref.units_per_eur(currency, year)
    if rate is not None:
        return RuleResult(NAME, PASS, msg(N_("Converted to EUR at the %(year)s annual average rate: 1 EUR = "
                                             "%(rate)s %(currency)s."), year=year, rate=f"{rate.normalize():f}",
                                          currency=currency),
                          facts={"currency": currency, "units_per_eur": str(rate)})
    missing = [c for c in (currency, "EUR") if not ctx.ref.has_usd_rate(c, year)]
    return RuleResult(NAME, UNKNOWN, msg(N_("No exchange rate to convert %(currency)s to EUR for %(year)s: set "
                                            "%(named)s (units per USD): load the IMF annual-average file with "
                                            "`%(command)s FILE`, or import the rates with `flask --app wsgi import "
                                            "rates FILE`."), currency=currency, year=year,
                                         named=_rates_named(missing or [currency], year), command=LOAD_COMMAND),
                      facts={"currency": currency, "missing": missing})


def _rates_named(currencies: list[str], year: int):
    rates = [msg(N_("the %(year)s %(currency)s rate"), year=year, currency=c) for c in currencies]
    return rates[0] if len(rates) == 1 else msg(N_("%(first)s and %(second)s"), first=rates[0], second=rates[1])
