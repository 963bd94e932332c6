"""The year at a glance: what stands between the ODA officer and the final CRS file of a
reporting year, with totals and progress.

One service for the Year close page, ``flask oda year-status`` and
``GET /api/v1/oda/years/<year>/status``. The status is a list of items, each from a
small provider (one per kind of blocker) registered with :func:`register_blocker`:
oda registers its own (``oda.services.year_blockers``), other packages theirs from their
``init_app`` (the CRS ids: ``exports``). A provider reads aggregates (evaluations,
projections, reference tables), never every line of the year, so the status costs the
same on a ledger of a thousand lines as on one of a million.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Callable, NamedTuple

from sqlalchemy.orm import Session

from app.errors import ValidationError

FIRST_YEAR, LAST_YEAR = 1990, 2100


class Link(NamedTuple):
    """Where a person fixes an item: a Flask endpoint and its arguments."""

    endpoint: str
    params: dict


class Example(NamedTuple):
    """One thing an item is about (an activity, a currency), with its own link."""

    label: str
    link: Link


class BlockerItem(NamedTuple):
    #: stable key (the JSON's ``kind``)
    kind: str
    #: what it is about, an English msgid (translated where it is shown)
    title: str
    #: what to do about it, an English msgid
    fix: str
    #: how many groups, lines, activities … (``unit`` says which)
    count: int
    #: "groups", "lines", "activities", "currencies" or "lists"
    unit: str
    link: Link
    #: False: worth knowing, but the final file can be produced anyway
    blocks: bool = True
    #: a few of the things counted, each with its link
    examples: tuple[Example, ...] = ()
    #: lines concerned, where the count is not lines
    lines: int | None = None

    @property
    def blocking(self) -> bool:
        return self.blocks and self.count > 0


class YearTotals(NamedTuple):
    """Net disbursements of the year in EUR, by what their classification says."""

    oda: Decimal
    not_oda: Decimal
    open: Decimal

    @property
    def total(self) -> Decimal:
        return self.oda + self.not_oda + self.open


class Progress(NamedTuple):
    lines: int
    lines_decided: int
    amount: Decimal
    amount_decided: Decimal

    @property
    def lines_share(self) -> Decimal | None:
        return Decimal(self.lines_decided) / self.lines if self.lines else None

    @property
    def amount_share(self) -> Decimal | None:
        return self.amount_decided / self.amount if self.amount else None


class YearStatus(NamedTuple):
    year: int
    items: list[BlockerItem]
    totals: YearTotals
    progress: Progress

    @property
    def blockers(self) -> list[BlockerItem]:
        return [item for item in self.items if item.blocking]

    @property
    def ready(self) -> bool:
        """Nothing blocks the final CRS file."""
        return not self.blockers


Provider = Callable[[Session, int], BlockerItem]
#: {kind: (order, provider)}; registering a kind again replaces it (apps are created many times in tests)
_PROVIDERS: dict[str, tuple[int, Provider]] = {}


def register_blocker(kind: str, provider: Provider, order: int = 50) -> None:
    """Add a kind of blocker to every year's status; ``order`` places it on the page."""
    _PROVIDERS[kind] = (order, provider)


def registered_kinds() -> list[str]:
    return [kind for kind, _ in sorted(_PROVIDERS.items(), key=lambda entry: (entry[1][0], entry[0]))]


def checked_year(value) -> int:
    """The reporting year asked about, or a ValidationError that says what is wrong."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(f"{str(value)[:20]!r} is not a year; give a reporting year such as 2024", "year") \
            from None
    if not (FIRST_YEAR <= year <= LAST_YEAR):
        raise ValidationError(f"the reporting year must be between {FIRST_YEAR} and {LAST_YEAR}", "year")
    return year


def year_status(session: Session, year) -> YearStatus:
    """What blocks the final CRS file of ``year``, its totals and progress (reads only)."""
    from oda.services import year_blockers  # noqa: F401 - registers oda's own kinds
    from oda.services.year_totals import progress, year_totals

    year = checked_year(year)
    items = [_PROVIDERS[kind][1](session, year) for kind in registered_kinds()]
    totals = year_totals(session, year)
    open_lines = next((item.lines for item in items if item.kind == "open_review_groups"), None)
    return YearStatus(year, items, totals, progress(session, year, totals, open_lines))
