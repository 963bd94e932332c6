"""Value sets of the grants domain (stored as text)."""
from enum import StrEnum


class SchemeKind(StrEnum):
    UN_PROMOTERS = "un_promoters"
    INTERNSHIPS = "internships"
    HUMANITARIAN = "humanitarian"
    MULTILATERAL = "multilateral"
    PROJECT_GRANTS = "project_grants"


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_ASSESSMENT = "in_assessment"
    APPROVED = "approved"
    REJECTED = "rejected"
    COMMITTED = "committed"
    FINAL_REPORT_DUE = "final_report_due"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class CallStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class TrancheStatus(StrEnum):
    PLANNED = "planned"
    PAID = "paid"
    CANCELLED = "cancelled"


class TrancheCondition(StrEnum):
    NONE = "none"
    INTERIM_REPORT_RECEIVED = "interim_report_received"
    FINAL_REPORT_RECEIVED = "final_report_received"


class ReportKind(StrEnum):
    INTERIM = "interim"
    FINAL = "final"


class CommitmentChangeKind(StrEnum):
    DECREASE = "decrease"
    WITHDRAWAL = "withdrawal"
    CLOSURE = "closure"


class PaymentSource(StrEnum):
    MANUAL = "manual"
    LEDGER = "ledger"


class ReminderKind(StrEnum):
    TRANCHE_DUE = "tranche_due"
    REPORT_DUE = "report_due"
    REPORT_OVERDUE = "report_overdue"


#: CRS attributes a scheme may preset for the activities of its grants.
CRS_DEFAULT_FIELDS = ("recipient_code", "purpose_code", "aid_type", "flow_type", "finance_type",
                      "channel_code", "bi_multi", "main_objective")
