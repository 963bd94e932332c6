"""Roles and what each may do: one table, meant to be read and reviewed."""
from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    PROGRAMME_MANAGER = "programme_manager"
    FINANCE = "finance"
    ODA_OFFICER = "oda_officer"
    VIEWER = "viewer"


class Permission(StrEnum):
    VIEW_PORTFOLIO = "view_portfolio"
    EDIT_PROGRAMME = "edit_programme"
    EDIT_BUDGET = "edit_budget"
    EDIT_ACTIVITY = "edit_activity"
    RECORD_TRANSACTION = "record_transaction"
    MANAGE_RATES = "manage_rates"
    VIEW_AUDIT = "view_audit"
    VIEW_JOBS = "view_jobs"
    RUN_IMPORTS = "run_imports"
    REVIEW_ODA = "review_oda"
    #: the department-wide ODA status of a reporting year (the Year close page): not for
    #: programme-scoped roles, since it counts every programme
    VIEW_ODA_STATUS = "view_oda_status"
    EXPORT_REPORTS = "export_reports"
    MANAGE_GRANTS = "manage_grants"
    MANAGE_USERS = "manage_users"


P = Permission
#: Which permission each role holds. Programme managers hold theirs only for the
#: programmes they are assigned to (scope checked by the guards).
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.PROGRAMME_MANAGER: frozenset({
        P.VIEW_PORTFOLIO, P.EDIT_BUDGET, P.EDIT_ACTIVITY, P.VIEW_AUDIT, P.MANAGE_GRANTS,
    }),
    Role.FINANCE: frozenset({
        P.VIEW_PORTFOLIO, P.RECORD_TRANSACTION, P.MANAGE_RATES, P.VIEW_AUDIT, P.RUN_IMPORTS,
        P.VIEW_JOBS, P.VIEW_ODA_STATUS,
    }),
    Role.ODA_OFFICER: frozenset({
        P.VIEW_PORTFOLIO, P.REVIEW_ODA, P.EXPORT_REPORTS, P.VIEW_AUDIT, P.VIEW_JOBS, P.VIEW_ODA_STATUS,
    }),
    Role.VIEWER: frozenset({P.VIEW_PORTFOLIO, P.VIEW_ODA_STATUS}),
}

#: Roles whose permissions apply only inside the programmes they are assigned to.
SCOPED_ROLES = frozenset({Role.PROGRAMME_MANAGER})
