"""The CRS export's kind of blocker of a reporting year (``oda.services.year_status``):
activities with (possible) ODA in the year that have no CRS id yet."""
from __future__ import annotations

from sqlalchemy.orm import Session

from exports.crs.queries import candidate_counts
from oda.mandatory import N_
from oda.services.year_status import BlockerItem, Link, register_blocker


def activities_without_crs_id(session: Session, year: int) -> BlockerItem:
    """Not blocking: the CRS export of the year (draft or final) hands the ids out itself."""
    _, missing = candidate_counts(session, year)
    return BlockerItem("activities_without_crs_id", N_("Activities without a CRS id yet"),
                       N_("The next CRS export of the year (draft or final) gives them their id."),
                       int(missing), "activities", Link("exports.reports", {}), blocks=False)


def register() -> None:
    register_blocker("activities_without_crs_id", activities_without_crs_id, order=40)
