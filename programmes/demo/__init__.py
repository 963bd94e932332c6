"""The Flemish demo portfolio: programmes, partners, activities, a 2019–2025 ledger, users.

``load(session)`` writes everything through the services, so every change is an
event, and skips what exists already: a second run adds nothing. The caller
owns the transaction and dispatches the events afterwards (``flask demo load``).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from programmes.demo import data_bilateral, data_portfolio
from programmes.demo.data_programmes import ORGANISATIONS, PROGRAMMES
from programmes.demo.loaders import (load_activities, load_organisations, load_programmes, load_rates,
                                     load_transactions)
from programmes.demo.users import DEMO_PASSWORD, DEMO_USERS, load_users  # noqa: F401 - public

ACTIVITIES = data_bilateral.ACTIVITIES + data_portfolio.ACTIVITIES


def load(session: Session) -> dict[str, int]:
    """Load what is missing of the demo; returns how many of each kind were added."""
    counts = {"exchange rates": load_rates(session)}
    organisation_ids, counts["organisations"] = load_organisations(session, ORGANISATIONS)
    programmes, counts["programmes"], counts["budget lines"] = load_programmes(session, PROGRAMMES)
    activities, counts["activities"] = load_activities(session, ACTIVITIES, programmes, organisation_ids)
    specs = {p.code: p for p in PROGRAMMES}
    counts["transactions"] = sum(
        load_transactions(session, spec, activities[spec.code], specs[spec.programme]) for spec in ACTIVITIES)
    counts["users"] = load_users(session, {code: p.id for code, p in programmes.items()})
    return counts
