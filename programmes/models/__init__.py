from programmes.models.activity import Activity
from programmes.models.activity_totals import ActivityYearTotal
from programmes.models.organisation import Organisation
from programmes.models.programme import BudgetLine, Programme, ProgrammeYearTotal
from programmes.models.transaction import Transaction

__all__ = ["Activity", "ActivityYearTotal", "BudgetLine", "Organisation", "Programme", "ProgrammeYearTotal",
           "Transaction"]
