"""Partner organisations of grants (the programme domain's organisation register)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.services.common import clean_text
from grants.services.errors import GrantsError
from programmes.models import Organisation
from programmes.models.enums import OrganisationKind


def get_organisation(session: Session, organisation_id) -> Organisation:
    organisation = session.get(Organisation, organisation_id) if isinstance(organisation_id, int) else None
    if organisation is None:
        raise GrantsError("unknown organisation", "organisation_id")
    return organisation


def organisation_named(session: Session, name: str, kind: str, short_name: str | None = None,
                       country: str | None = None, channel_code: str | None = None) -> Organisation:
    """The organisation with this name, registered first when it is new."""
    name = clean_text(name, "organisation", 200, required=True)
    found = session.scalar(select(Organisation).where(Organisation.name == name))
    if found is not None:
        return found
    if kind not in set(OrganisationKind):
        raise GrantsError(f"unknown organisation kind {kind!r}", "organisation_kind")
    organisation = Organisation(name=name, kind=kind, short_name=short_name, country=country,
                                channel_code=channel_code)
    session.add(organisation)
    session.flush()
    return organisation
