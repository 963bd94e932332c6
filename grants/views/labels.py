"""The words the grants pages show for stored values (statuses, kinds, outcomes), in the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from grants.models.enums import (ApplicationStatus as S, CallStatus, CommitmentChangeKind, ReminderKind, ReportKind,
                                 TrancheCondition, TrancheStatus)

WORDS = {
    "application": {
        S.DRAFT: _l("Draft"), S.SUBMITTED: _l("Submitted"), S.IN_ASSESSMENT: _l("In assessment"),
        S.APPROVED: _l("Approved"), S.REJECTED: _l("Rejected"), S.COMMITTED: _l("Committed"),
        S.FINAL_REPORT_DUE: _l("Final report due"), S.CLOSED: _l("Closed"), S.WITHDRAWN: _l("Withdrawn"),
    },
    "call": {CallStatus.OPEN: _l("open"), CallStatus.CLOSED: _l("closed")},
    "tranche": {TrancheStatus.PLANNED: _l("planned"), TrancheStatus.PAID: _l("paid"),
                TrancheStatus.CANCELLED: _l("cancelled")},
    "condition": {TrancheCondition.NONE: _l("none"),
                  TrancheCondition.INTERIM_REPORT_RECEIVED: _l("after the interim report"),
                  TrancheCondition.FINAL_REPORT_RECEIVED: _l("after the final report")},
    "report": {ReportKind.INTERIM: _l("interim report"), ReportKind.FINAL: _l("final report")},
    "change": {CommitmentChangeKind.DECREASE: _l("decrease"), CommitmentChangeKind.WITHDRAWAL: _l("withdrawal"),
               CommitmentChangeKind.CLOSURE: _l("closure")},
    "reminder": {ReminderKind.TRANCHE_DUE: _l("tranche due"), ReminderKind.REPORT_DUE: _l("report due"),
                 ReminderKind.REPORT_OVERDUE: _l("report overdue")},
    "decision": {"approved": _l("approved"), "rejected": _l("rejected")},
    "recommendation": {"approve": _l("approve"), "reject": _l("reject")},
}

#: the colour of each application status (the shared status-pill classes)
STATUS_TONE = {S.DRAFT: "", S.SUBMITTED: "status-pipeline", S.IN_ASSESSMENT: "status-pipeline",
               S.APPROVED: "status-active", S.COMMITTED: "status-active", S.FINAL_REPORT_DUE: "status-pipeline",
               S.REJECTED: "status-cancelled", S.WITHDRAWN: "status-cancelled", S.CLOSED: "status-completed"}


def grant_word(kind: str, value) -> str:
    """The word for ``value`` of ``kind`` ("application", "call", …); the value itself when unknown."""
    if value is None:
        return ""
    return str(WORDS.get(kind, {}).get(value, value))
