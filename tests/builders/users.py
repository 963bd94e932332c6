from __future__ import annotations

from app.auth.roles import Role
from app.auth.services import create_user

PASSWORD = "correct horse battery staple"


def user_with_role(session, role: Role, programme_id: int | None = None, email: str | None = None):
    email = email or f"{role.value}{'-' + str(programme_id) if programme_id else ''}@vlaanderen.test"
    return create_user(session, email, role.value.replace("_", " ").title(), PASSWORD,
                       [(role, programme_id)])
