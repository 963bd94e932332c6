"""Tables of the grants domain (all prefixed ``grants_``)."""
from grants.models.application import Application
from grants.models.assessment import Assessment, CommitmentChange, Decision
from grants.models.call import Call
from grants.models.person import Person
from grants.models.payment import LedgerMismatch, Payment, Tranche
from grants.models.report import Reminder, Report
from grants.models.scheme import AllowanceRate, Scheme

__all__ = ["AllowanceRate", "Application", "Assessment", "Call", "CommitmentChange", "Decision",
           "LedgerMismatch", "Payment", "Person", "Reminder", "Report", "Scheme", "Tranche"]
