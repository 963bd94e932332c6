"""The CRS export's kinds of item in a reporting year's status (``oda.services.year_status``):
activities with (possible) ODA in the year that have no CRS id yet, and the year's
submission (the final file that locks it)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from exports.crs.queries import candidate_counts
from exports.services.submission import SHA_PREFIX, submitted
from oda.mandatory import N_
from oda.services.year_status import BlockerItem, Example, Link, register_blocker


def activities_without_crs_id(session: Session, year: int) -> BlockerItem:
    """Not blocking: the CRS export of the year (draft or final) hands the ids out itself."""
    _, missing = candidate_counts(session, year)
    return BlockerItem("activities_without_crs_id", N_("Activities without a CRS id yet"),
                       N_("The next CRS export of the year (draft or final) gives them their id."),
                       int(missing), "activities", Link("exports.reports", {}), blocks=False)


def submission(session: Session, year: int) -> BlockerItem:
    """Not blocking: the final file that locks the year, if any, with its hash."""
    link = Link("exports.submission_page", {"year": year})
    found = submitted(session, year)
    if found is None:
        return BlockerItem("submitted", N_("Final CRS file not submitted yet"),
                           N_("Produce it once nothing blocks: the final export of the year submits and locks it."),
                           0, "files", link, blocks=False)
    label = f"#{found.run_id} · {found.submitted_at:%Y-%m-%d} · SHA-256 {found.sha256[:SHA_PREFIX]}…"
    return BlockerItem("submitted", N_("Submitted final CRS file (the year is locked)"),
                       N_("Changes to the year's figures are refused; the ODA officer reopens the year with a "
                          "reason on its submission page."),
                       1, "files", link, blocks=False, examples=(Example(label, link),))


def register() -> None:
    register_blocker("activities_without_crs_id", activities_without_crs_id, order=40)
    register_blocker("submitted", submission, order=5)
