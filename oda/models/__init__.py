from oda.models.annex2 import Annex2Coefficient
from oda.models.classification import (ClassificationRun, Evaluation, Explanation, LineChange, PendingActivity,
                                       PendingTransaction, Status)
from oda.models.lines import Classification, LineOutcome
from oda.models.overrides import Override, OverrideAction, OverrideState
from oda.models.reviews import DecisionState, GroupDecision
from oda.models.recipients import Recipient, RecipientEligibility
from oda.models.reference import (AidType, BiMultiCode, Channel, FinanceType, FlowType, PolicyMarker,
                                  PolicySignificance, PurposeCode, ReferenceSet, SectorCategory)
from oda.models.reporting import ReportingYear

__all__ = [
    "AidType", "Annex2Coefficient", "BiMultiCode", "Channel", "Classification", "ClassificationRun",
    "DecisionState", "Evaluation", "Explanation", "FinanceType", "FlowType", "GroupDecision", "LineChange",
    "LineOutcome", "Override", "OverrideAction", "OverrideState",
    "PendingActivity", "PendingTransaction", "PolicyMarker", "PolicySignificance", "PurposeCode", "Recipient",
    "RecipientEligibility", "ReferenceSet", "ReportingYear", "SectorCategory", "Status",
]
