"""The shapes the demo data is written in (plain data, no database)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from programmes.models.enums import CRS_FLAGS, POLICY_MARKERS

#: every policy marker screened and "not targeted" unless an activity says otherwise
SCREENED = {marker: 0 for marker in POLICY_MARKERS}


@dataclass(frozen=True)
class DemoProgramme:
    code: str
    name: str
    kind: str
    start_year: int
    end_year: int
    yearly_budget: dict[int, Decimal]
    budget_article: str
    policy_area: str = "development_cooperation"
    partner_country: str | None = None
    focus_sectors: tuple[str, ...] = ()
    description: str | None = None


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    kind: str
    short_name: str | None = None
    country: str | None = None
    channel_code: str | None = None


@dataclass(frozen=True)
class DemoActivity:
    programme: str
    organisation: str | None
    plan: object
    fields: dict = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.fields["code"]


def budget(years: range | tuple, amount: str, **exceptions: str) -> dict[int, Decimal]:
    """The same plan every year, except ``y2020="250000.00"``-style exceptions."""
    plan = {year: Decimal(amount) for year in years}
    plan.update({int(key[1:]): Decimal(value) for key, value in exceptions.items()})
    return plan


def activity(code: str, programme: str, organisation: str | None, title: str, *, plan,
             recipient: str | None, purpose: str | None, aid: str | None, channel: str | None,
             bi_multi: str | None = "1", objective: str = "development",
             committed: tuple[date, str] | None = None, period: tuple[date, date] | None = None,
             geography: str | None = None, description: str | None = None,
             markers: dict | None = None, screened: bool = True, flags: tuple[str, ...] = ()) -> DemoActivity:
    """One activity with its CRS attributes, written the way an ODA officer reads them.

    Markers default to screened-and-not-targeted (0); ``screened=False`` leaves
    them blank, as for core contributions and spending not yet classified. ``flags``
    names the CRS flags that apply (``"ftc"``, ``"pba"``, …; the others are off).
    """
    scores = ({**SCREENED, **(markers or {})} if screened else {})
    fields = dict(
        code=code, title=title, description=description, recipient_code=recipient, purpose_code=purpose,
        aid_type=aid, channel_code=channel, bi_multi=bi_multi, main_objective=objective, geography=geography,
        commitment_date=committed[0] if committed else None,
        commitment_amount=Decimal(committed[1]) if committed else None,
        start_date=period[0] if period else None, end_date=period[1] if period else None,
        status="completed" if period and period[1] < date(2025, 12, 31) else "active",
        **{f"marker_{name}": score for name, score in scores.items()},
        **{f"flag_{name}": name in flags for name in CRS_FLAGS},
    )
    return DemoActivity(programme=programme, organisation=organisation, plan=plan, fields=fields)
