"""Planned, committed and disbursed figures as the read side passes them around."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Totals:
    planned: Decimal = ZERO
    committed: Decimal = ZERO
    disbursed: Decimal = ZERO

    @property
    def burn_rate(self) -> Decimal | None:
        """Share of the plan already disbursed; None when nothing is planned."""
        if not self.planned or self.planned <= 0:
            return None
        return self.disbursed / self.planned

    @property
    def largest(self) -> Decimal:
        return max(self.planned, self.committed, self.disbursed, ZERO)

    def __add__(self, other: "Totals") -> "Totals":
        return Totals(self.planned + other.planned, self.committed + other.committed,
                      self.disbursed + other.disbursed)


def totals(planned, committed, disbursed) -> Totals:
    """Totals from nullable columns (an outer join without a row gives None)."""
    return Totals(planned or ZERO, committed or ZERO, disbursed or ZERO)
