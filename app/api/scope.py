"""Which programmes a permission reaches for the current user."""
from __future__ import annotations

from flask import g

from app.auth.roles import ROLE_PERMISSIONS, SCOPED_ROLES, Permission, Role


def programme_scope(permission: Permission) -> set[int] | None:
    """None when a role grants ``permission`` everywhere; otherwise the programmes
    of the scoped roles that grant it (possibly none).

    ``visible_programme_ids()`` answers for "any role at all", which is right for
    viewing the portfolio (every role may) but too wide for permissions that only
    some roles hold, such as reading the audit trail.
    """
    scope: set[int] = set()
    for assignment in g.user.roles:
        role = Role(assignment.role)
        if permission not in ROLE_PERMISSIONS[role]:
            continue
        if role not in SCOPED_ROLES:
            return None
        if assignment.programme_id is not None:
            scope.add(assignment.programme_id)
    return scope
