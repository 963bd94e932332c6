"""Users and their roles; every change is an event (never with the password)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.models import RoleAssignment, User
from app.auth.roles import ROLE_PERMISSIONS, Permission, Role
from app.events import publish


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def users_who_can(session: Session, permission: Permission, programme_id: int | None = None) -> list[User]:
    """The active users holding ``permission`` (inside ``programme_id`` for scoped roles), by name."""
    roles = [role.value for role, permissions in ROLE_PERMISSIONS.items() if permission in permissions]
    users = session.scalars(select(User).join(RoleAssignment)
                            .where(User.active.is_(True), RoleAssignment.role.in_(roles))
                            .distinct().order_by(User.name))
    return [user for user in users if user.can(permission, programme_id=programme_id)]


def create_user(session: Session, email: str, name: str, password: str,
                roles: list[tuple[Role, int | None]], locale: str = "en") -> User:
    if get_user_by_email(session, email) is not None:
        raise ValueError(f"user {email} exists already")
    user = User(email=email.strip().lower(), name=name, locale=locale)
    user.set_password(password)
    user.roles = [RoleAssignment(role=Role(role).value, programme_id=scope) for role, scope in roles]
    session.add(user)
    session.flush()
    publish(session, "UserCreated", "User", user.id, {
        "email": user.email, "name": name, "locale": locale,
        "roles": [{"role": r.role, "programme_id": r.programme_id} for r in user.roles],
    })
    return user


def set_locale(session: Session, user: User, locale: str) -> None:
    """A preference, not a fact about money or data: remembered on the user, kept out of the audit trail."""
    if locale not in ("en", "nl"):
        raise ValueError(f"unsupported language {locale!r}")
    if user.locale == locale:
        return
    user.locale = locale
    session.flush()
