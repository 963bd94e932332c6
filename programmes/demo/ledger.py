"""How each demo activity's ledger is drawn: deterministic plans of transactions.

Every plan draws from a ``random.Random`` seeded with the activity code, so an
activity's ledger never changes when other activities are added to the demo, and
a re-run produces exactly the same document numbers (which is how the loader
recognises what it booked before).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from random import Random

LEDGER_START = date(2019, 1, 1)
LEDGER_END = date(2025, 12, 31)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Planned:
    """One transaction the demo books (before it has a document number)."""

    kind: str
    when: date
    amount: Decimal
    currency: str = "EUR"
    description: str | None = None


@dataclass(frozen=True)
class Window:
    """What a plan needs to know about its activity and programme."""

    code: str
    committed_on: date | None
    amount: Decimal | None
    start: date | None
    end: date | None
    first_year: int
    last_year: int

    @property
    def years(self) -> range:
        return range(max(self.first_year, LEDGER_START.year), min(self.last_year, LEDGER_END.year) + 1)


def rng_for(code: str) -> Random:
    return Random(f"aidledger-demo:{code}")


def cents(rng: Random, low, high) -> Decimal:
    """A random amount between ``low`` and ``high`` with exactly two decimals."""
    return Decimal(rng.randint(int(Decimal(low) * 100), int(Decimal(high) * 100))).scaleb(-2)


def whole(rng: Random, low: int, high: int, step: int = 1) -> Decimal:
    """A round amount (local-currency invoices are rarely in cents)."""
    return Decimal(rng.randint(low // step, high // step) * step * 100).scaleb(-2)


def split(total: Decimal, weights: list[float]) -> list[Decimal]:
    """Split ``total`` along ``weights`` in whole cents; the parts add up exactly."""
    total_cents = int(total * 100)
    scale = sum(weights)
    parts = [int(total_cents * w / scale) for w in weights]
    parts[-1] += total_cents - sum(parts)
    return [Decimal(p).scaleb(-2) for p in parts]


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, min(day.day, 28))


def in_ledger(planned: list[Planned]) -> list[Planned]:
    return [p for p in planned if LEDGER_START <= p.when <= LEDGER_END]


@dataclass(frozen=True)
class Project:
    """A signed agreement: full commitment, an advance, then regular tranches.

    The advance weighs ``advance`` times an average tranche (1 = equal tranches).
    ``unspent`` is the share of the commitment never disbursed; with ``refund``
    the partner pays back part of the last advance after closure. ``decrease``
    books a negative commitment (scope reduced) as ``(date, amount)``.
    """

    per_year: int = 2
    advance: float = 2.5
    unspent: Decimal = Decimal("0.01")
    refund: bool = False
    decrease: tuple[date, Decimal] | None = None

    def transactions(self, w: Window, rng: Random) -> list[Planned]:
        out = [Planned("commitment", w.committed_on, w.amount, description="Grant agreement signed")]
        if self.decrease:
            out.append(Planned("commitment", self.decrease[0], self.decrease[1],
                               description="Commitment reduced: scope revised"))
            total = w.amount + self.decrease[1]
        else:
            total = w.amount
        dates = self._tranche_dates(w)
        disbursed = total - (total * self.unspent * Decimal(rng.uniform(0.3, 1.0))).quantize(CENT)
        weights = [self.advance] + [rng.uniform(0.8, 1.2) for _ in dates[1:]]
        for number, (when, amount) in enumerate(zip(dates, split(disbursed, weights)), start=1):
            label = "Advance" if number == 1 else f"Tranche {number} of {len(dates)}"
            out.append(Planned("disbursement", when, amount, description=label))
        if self.refund:
            refund = (disbursed * Decimal(rng.uniform(0.003, 0.015))).quantize(CENT)
            out.append(Planned("refund", add_months(w.end, 3), refund,
                               description="Unspent balance returned at closure"))
        return in_ledger(out)

    def _tranche_dates(self, w: Window) -> list[date]:
        step = 12 // self.per_year
        dates, when = [], add_months(w.start, 0)
        while when <= w.end:
            dates.append(when)
            when = add_months(when, step)
        return dates


@dataclass(frozen=True)
class Single:
    """Emergency aid: committed and paid on the same day (DAC rule for humanitarian aid)."""

    def transactions(self, w: Window, rng: Random) -> list[Planned]:
        return in_ledger([
            Planned("commitment", w.committed_on, w.amount, description="Emergency grant decision"),
            Planned("disbursement", w.committed_on, w.amount, description="Emergency grant paid in full"),
        ])


@dataclass(frozen=True)
class Yearly:
    """A yearly pledge (core contribution), paid in one or more instalments."""

    amount: Decimal
    pledge: tuple[int, int] = (1, 20)
    pay: tuple[tuple[int, int], ...] = ((3, 15),)
    early: dict[int, tuple[int, int]] = field(default_factory=dict)

    def transactions(self, w: Window, rng: Random) -> list[Planned]:
        out = []
        for year in w.years:
            out.append(Planned("commitment", date(year, *self.pledge), self.amount,
                               description=f"Pledge {year}"))
            pay_days = (self.early[year],) if year in self.early else self.pay
            for when, amount in zip(pay_days, split(self.amount, [1] * len(pay_days))):
                out.append(Planned("disbursement", date(year, *when), amount,
                                   description=f"Contribution {year}"))
        return in_ledger(out)


@dataclass(frozen=True)
class LocalCosts:
    """Studies and local consultancies paid by a country office in local currency.

    Each year starts with a commitment in EUR (the office's allocation); the
    office then pays several invoices a month. Years after ``local_until`` are
    paid in EUR (no annual rate for the local currency yet).
    """

    currency: str
    invoice: tuple[int, int]
    allocation: Decimal
    local_until: int = LEDGER_END.year
    per_month: tuple[int, int] = (5, 9)
    eur_invoice: tuple[int, int] = (400, 6000)

    def transactions(self, w: Window, rng: Random) -> list[Planned]:
        out = []
        for year in w.years:
            out.append(Planned("commitment", date(year, 1, 10), self.allocation,
                               description=f"Office allocation {year}"))
            for month in range(1, 13):
                for _ in range(rng.randint(*self.per_month)):
                    when = date(year, month, rng.randint(1, 28))
                    if year <= self.local_until:
                        amount, currency = whole(rng, *self.invoice, step=500), self.currency
                    else:
                        amount, currency = cents(rng, *self.eur_invoice), "EUR"
                    out.append(Planned("disbursement", when, amount, currency, "Local consultancy invoice"))
        return in_ledger(out)


@dataclass(frozen=True)
class Trainees:
    """Flanders Trainee Programme: a grant per trainee, paid in two instalments.

    Lump-sum travel (EUR 200 in Europe, 500 outside) plus a monthly allowance for
    2–6 months; a trainee who stops early pays back the months not done.
    """

    per_year: dict[int, int]

    def transactions(self, w: Window, rng: Random) -> list[Planned]:
        out = []
        for year in w.years:
            for number in range(1, self.per_year.get(year, 0) + 1):
                out.extend(self._trainee(rng, year, number))
        return in_ledger(out)

    def _trainee(self, rng: Random, year: int, number: int) -> list[Planned]:
        ref = f"FTP-{year}-{number:03d}"
        months = rng.randint(2, 6)
        allowance = whole(rng, 900, 1700, step=25)
        travel = Decimal("500.00") if rng.random() < 0.6 else Decimal("200.00")
        awarded = date(year, rng.choice((2, 5, 9)), rng.randint(1, 28))
        total = travel + allowance * months
        first = travel + allowance * ((months + 1) // 2)
        out = [
            Planned("commitment", awarded, total, description=f"Trainee grant {ref} awarded"),
            Planned("disbursement", add_months(awarded, 1), first,
                    description=f"Trainee grant {ref}: travel and first months"),
            Planned("disbursement", add_months(awarded, 1 + (months + 1) // 2), total - first,
                    description=f"Trainee grant {ref}: remaining months"),
        ]
        if rng.random() < 0.03:
            out.append(Planned("refund", add_months(awarded, 2 + months), allowance,
                               description=f"Trainee grant {ref}: internship ended a month early"))
        return out


@dataclass(frozen=True)
class SmallGrants:
    """Small project grants (awareness, UN promotion): award, advance, balance."""

    per_year: tuple[int, int]
    amount: tuple[int, int]

    def transactions(self, w: Window, rng: Random) -> list[Planned]:
        out = []
        for year in w.years:
            for number in range(1, rng.randint(*self.per_year) + 1):
                awarded = date(year, rng.randint(2, 10), rng.randint(1, 28))
                amount = whole(rng, *self.amount, step=250)
                advance, balance = split(amount, [4, 1])
                ref = f"{w.code}-{year}-{number:02d}"
                out += [
                    Planned("commitment", awarded, amount, description=f"Grant {ref} awarded"),
                    Planned("disbursement", add_months(awarded, 1), advance,
                            description=f"Grant {ref}: advance 80%"),
                    Planned("disbursement", add_months(awarded, 10), balance,
                            description=f"Grant {ref}: balance after report"),
                ]
        return in_ledger(out)


@dataclass(frozen=True)
class Administration:
    """In-donor administrative costs: a yearly commitment, monthly staff costs, quarterly audits and travel."""

    allocation: Decimal
    monthly: tuple[int, int]
    quarterly: tuple[int, int]

    def transactions(self, w: Window, rng: Random) -> list[Planned]:
        out = []
        for year in w.years:
            out.append(Planned("commitment", date(year, 1, 5), self.allocation,
                               description=f"Administrative budget {year}"))
            for month in range(1, 13):
                out.append(Planned("disbursement", date(year, month, 25), cents(rng, *self.monthly),
                                   description="Staff costs, development cooperation team"))
                if month % 3 == 0:
                    out.append(Planned("disbursement", date(year, month, rng.randint(5, 20)),
                                       cents(rng, *self.quarterly),
                                       description="Monitoring missions, audits and evaluations"))
        return in_ledger(out)
