"""The kinds of upload, each with its columns (and Dutch aliases) and how rows become data."""
from __future__ import annotations

from importers.kinds.activities import ActivitiesKind
from importers.kinds.base import Kind
from importers.kinds.budgets import BudgetsKind
from importers.kinds.iati import IatiKind
from importers.kinds.programmes import ProgrammesKind
from importers.kinds.rates import RatesKind
from importers.kinds.spending import SpendingKind

KINDS: dict[str, Kind] = {k.name: k for k in (ProgrammesKind(), SpendingKind(), ActivitiesKind(),
                                                BudgetsKind(), RatesKind(), IatiKind())}


def get_kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown kind {name!r}: one of {', '.join(KINDS)}") from None
