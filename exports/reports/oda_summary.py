"""ODA by policy area over a range of years, and climate finance from the Rio markers."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from flask_babel import gettext
from sqlalchemy.orm import Session

from app.messages import N_
from exports.reports import queries
from exports.words import share_text

ZERO = Decimal("0.00")
DEVELOPMENT = "development_cooperation"


@dataclass
class PolicyAreaYear:
    """One year of the department's standard chart: development cooperation vs other ODA."""

    year: int
    by_area: dict[str, Decimal] = field(default_factory=dict)
    still_open: Decimal = ZERO

    @property
    def development(self) -> Decimal:
        return self.by_area.get(DEVELOPMENT, ZERO)

    @property
    def other(self) -> Decimal:
        return sum((v for k, v in self.by_area.items() if k != DEVELOPMENT), ZERO)

    @property
    def total(self) -> Decimal:
        return self.development + self.other

    @property
    def development_share(self) -> Decimal | None:
        """Share of development cooperation in total ODA; None when there is no ODA."""
        if self.total <= 0:
            return None
        return self.development / self.total


def oda_by_policy_area(session: Session, first: int, last: int) -> list[PolicyAreaYear]:
    """Every year of the range, including years without ODA (shown as zero)."""
    data = queries.oda_by_policy_area(session, first, last)
    years = []
    for year in range(first, last + 1):
        item = PolicyAreaYear(year)
        for area, figures in sorted(data.get(year, {}).items()):
            if figures["oda"] or area == DEVELOPMENT:
                item.by_area[area] = figures["oda"]
            item.still_open += figures["open"]
        years.append(item)
    return years


def policy_areas(years: list[PolicyAreaYear]) -> list[str]:
    """The areas met, development cooperation first."""
    areas = {area for y in years for area in y.by_area}
    return [DEVELOPMENT] + sorted(areas - {DEVELOPMENT})


#: climate categories; an activity marked for both objectives is counted once, as cross-cutting
ADAPTATION_ONLY, MITIGATION_ONLY, CROSS_CUTTING, TOTAL = "adaptation_only", "mitigation_only", "cross_cutting", "total"
CATEGORY_LABELS = {
    ADAPTATION_ONLY: N_("Adaptation only"),
    MITIGATION_ONLY: N_("Mitigation only"),
    CROSS_CUTTING: N_("Adaptation and mitigation (cross-cutting, counted once)"),
    TOTAL: N_("Total climate-related (no double counting)"),
}
#: overlapping views, as the OECD also shows them: each objective with the cross-cutting part
OVERLAP_LABELS = {
    "adaptation_all": N_("Adaptation-related, including cross-cutting (overlaps mitigation)"),
    "mitigation_all": N_("Mitigation-related, including cross-cutting (overlaps adaptation)"),
}
PRINCIPAL, SIGNIFICANT = 2, 1
CENT = Decimal("0.01")


@dataclass(frozen=True)
class RioCoefficients:
    """The share of a Rio-marked activity's ODA counted as climate finance, by marker:
    principal (2) and significant (1). Set per installation (AIDLEDGER_RIO_*_PERCENT)."""

    principal: Decimal = Decimal("1")
    significant: Decimal = Decimal("0.4")

    @classmethod
    def from_config(cls, config) -> "RioCoefficients":
        return cls(config["AIDLEDGER_RIO_PRINCIPAL_PERCENT"] / 100, config["AIDLEDGER_RIO_SIGNIFICANT_PERCENT"] / 100)

    def of(self, score: int) -> Decimal:
        return self.principal if score >= PRINCIPAL else self.significant

    def counted(self, score: int, amount: Decimal) -> Decimal:
        """``amount`` at the coefficient of ``score``, to the cent (half to even)."""
        return (amount * self.of(score)).quantize(CENT, ROUND_HALF_EVEN)

    def statement(self) -> str:
        """The coefficients in words, in the current language."""
        return gettext("principal (marker 2) counted at %(principal)s, significant (marker 1) at %(significant)s",
                       principal=share_text(self.principal), significant=share_text(self.significant))


@dataclass
class ClimateYear:
    year: int
    coefficients: RioCoefficients = field(default_factory=RioCoefficients)
    #: {category: {"principal", "significant" (full ODA), "principal_counted", "significant_counted"}}
    figures: dict[str, dict[str, Decimal]] = field(default_factory=dict)

    def add(self, category: str, score: int, amount: Decimal) -> None:
        """``amount`` of ODA marked ``score``: in full, and at the score's coefficient."""
        level = "principal" if score >= PRINCIPAL else "significant"
        cell = self.figures.setdefault(category, dict.fromkeys(LEVELS, ZERO))
        cell[level] += amount
        cell[f"{level}_counted"] += self.coefficients.counted(score, amount)

    def get(self, category: str, level: str) -> Decimal:
        return self.figures.get(category, {}).get(level, ZERO)

    def counted(self, category: str) -> Decimal:
        """Climate finance of ``category``: principal and significant, each at its coefficient."""
        return self.get(category, "principal_counted") + self.get(category, "significant_counted")


LEVELS = ("principal", "significant", "principal_counted", "significant_counted")


def climate_finance(session: Session, first: int, last: int,
                    coefficients: RioCoefficients | None = None) -> list[ClimateYear]:
    """Per year: ODA of Rio-marked activities, principal and significant, each objective apart,
    in full and at the installation's coefficients (principal 100 %, significant 40 % by default).

    The coefficient is applied to each year's ODA of one marker combination (the query's
    groups), rounded to the cent; categories and totals add those up, so the total equals
    the sum of its categories to the cent. An activity marked for both objectives is counted
    once, as cross-cutting, at the higher score (and so the higher coefficient); the two
    overlapping rows show each objective with its own score.
    """
    coefficients = coefficients or RioCoefficients()
    years = {year: ClimateYear(year, coefficients) for year in range(first, last + 1)}
    for year, adaptation, mitigation, amount in queries.climate_marked_oda(session, first, last):
        item = years[year]
        if adaptation and mitigation:
            item.add(CROSS_CUTTING, max(adaptation, mitigation), amount)
        elif adaptation:
            item.add(ADAPTATION_ONLY, adaptation, amount)
        else:
            item.add(MITIGATION_ONLY, mitigation, amount)
        item.add(TOTAL, max(adaptation, mitigation), amount)
        if adaptation:
            item.add("adaptation_all", adaptation, amount)
        if mitigation:
            item.add("mitigation_all", mitigation, amount)
    return [years[y] for y in sorted(years)]


CLIMATE_ROWS = (ADAPTATION_ONLY, MITIGATION_ONLY, CROSS_CUTTING, TOTAL, "adaptation_all", "mitigation_all")


def climate_label(category: str) -> str:
    """The category's words (a msgid)."""
    return CATEGORY_LABELS.get(category) or OVERLAP_LABELS[category]
