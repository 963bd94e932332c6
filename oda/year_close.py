"""The year's status as data for the API and ``flask oda year-status --json`` (one shape,
``oda.schemas.YearStatusSchema``), with each item's text in the current language and its
link as a path."""
from __future__ import annotations

from decimal import Decimal

from flask import url_for
from flask_babel import gettext as _

from oda.services.year_status import BlockerItem, Link, YearStatus

SHARE = Decimal("0.0001")


def link_path(link: Link) -> str:
    return url_for(link.endpoint, **link.params)


def item_data(item: BlockerItem) -> dict:
    return {"kind": item.kind, "title": _(item.title), "fix": _(item.fix), "count": item.count, "unit": item.unit,
            "lines": item.lines, "blocks": item.blocking, "link": link_path(item.link),
            "examples": [{"label": e.label, "link": link_path(e.link)} for e in item.examples]}


def _share(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(SHARE)


def status_data(status: YearStatus) -> dict:
    progress = status.progress
    return {
        "year": status.year, "ready": status.ready,
        "blocking": [item.kind for item in status.blockers],
        "items": [item_data(item) for item in status.items],
        "totals": {"oda": status.totals.oda, "not_oda": status.totals.not_oda, "open": status.totals.open,
                   "total": status.totals.total, "currency": "EUR"},
        "progress": {"lines": progress.lines, "lines_decided": progress.lines_decided,
                     "lines_share": _share(progress.lines_share), "amount": progress.amount,
                     "amount_decided": progress.amount_decided, "amount_share": _share(progress.amount_share)},
    }
