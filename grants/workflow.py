"""Which step may follow which, and who may take it.

One table, meant to be read and reviewed. Every step needs MANAGE_GRANTS on the
scheme's programme (programme managers of that programme, admins). Two extra
rules: with the four-eyes setting whoever created, submitted or assessed an
application cannot decide it (grants/services/guards.py), and only an admin may approve above a call's remaining budget.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.auth.roles import Permission
from grants.models.enums import ApplicationStatus as S
from grants.services.errors import NotAllowed, WrongStatus


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[S]
    target: S | None  # None: the status stays, the step is recorded
    label: str


def _t(action, sources, target, label):
    return action, Transition(action, frozenset(sources), target, label)


OPEN_GRANT = (S.COMMITTED, S.FINAL_REPORT_DUE)
TRANSITIONS: dict[str, Transition] = dict([
    _t("edit", {S.DRAFT}, None, "Edit the draft"),
    _t("submit", {S.DRAFT}, S.SUBMITTED, "Submit"),
    _t("start_assessment", {S.SUBMITTED}, S.IN_ASSESSMENT, "Start the assessment"),
    _t("record_assessment", {S.IN_ASSESSMENT}, None, "Record an assessment"),
    _t("approve", {S.IN_ASSESSMENT}, S.APPROVED, "Approve"),
    _t("reject", {S.IN_ASSESSMENT}, S.REJECTED, "Reject"),
    _t("commit", {S.APPROVED}, S.COMMITTED, "Create the commitment"),
    _t("schedule_tranche", OPEN_GRANT, None, "Schedule a tranche"),
    _t("record_payment", OPEN_GRANT, None, "Record a payment"),
    _t("decrease", OPEN_GRANT, None, "Decrease the commitment"),
    _t("add_report", OPEN_GRANT, None, "Ask for an interim report"),
    _t("request_final_report", {S.COMMITTED}, S.FINAL_REPORT_DUE, "Ask for the final report"),
    _t("receive_report", OPEN_GRANT, None, "Record a report as received"),
    _t("close", OPEN_GRANT, S.CLOSED, "Close"),
    _t("withdraw", {S.DRAFT, S.SUBMITTED, S.IN_ASSESSMENT, S.APPROVED, *OPEN_GRANT}, S.WITHDRAWN,
       "Withdraw"),
])

#: schemes decided quickly (humanitarian grants) may skip the assessment
FAST_TRACK_SOURCES = {"approve": {S.SUBMITTED}, "reject": {S.SUBMITTED}}


def sources(application, action: str) -> frozenset[S]:
    allowed = set(TRANSITIONS[action].sources)
    if not application.scheme.requires_assessment:
        allowed |= FAST_TRACK_SOURCES.get(action, set())
    return frozenset(allowed)


def may_manage(user, application) -> bool:
    return user is not None and user.can(Permission.MANAGE_GRANTS, programme_id=application.programme_id)


def ensure(application, action: str, user=None) -> Transition:
    """Raise unless ``action`` may be taken now, by ``user`` (None: the system or the CLI)."""
    transition = TRANSITIONS[action]
    if application.status not in sources(application, action):
        raise WrongStatus(f"cannot {transition.label.lower()} an application that is "
                          f"{application.status.replace('_', ' ')}")
    if user is not None and not may_manage(user, application):
        raise NotAllowed("you do not manage the programme of this scheme")
    return transition


def allowed_actions(application, user) -> list[str]:
    """The steps a user may take now (buttons on the detail page)."""
    if not may_manage(user, application):
        return []
    return [name for name in TRANSITIONS if application.status in sources(application, name)]


def move(application, action: str) -> tuple[str, str]:
    """Apply the transition's target status; returns (before, after)."""
    before = application.status
    target = TRANSITIONS[action].target
    if target is not None:
        application.status = target.value
    return before, application.status
