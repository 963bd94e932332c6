"""What an administrator does with users: create (with a first password or an invitation link),
give roles and programme scopes, deactivate and reactivate. Every change is an event (never a
password or a link); a role change or a deactivation ends the user's sessions (app/auth/sessions.py).
Services take the session and never commit.
"""
from __future__ import annotations

import re
import secrets
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import RoleAssignment, User, UserInvitation
from app.auth.roles import SCOPED_ROLES, Role
from app.auth.services import create_user, get_user_by_email
from app.db import utcnow
from app.events import publish

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_NAME = 120
MAX_EMAIL = 254


class UserAdminError(ValueError):
    """A refused change, with the form field it concerns."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


class Grant(NamedTuple):
    """One role, with its programme for a scoped role (None otherwise)."""

    role: Role
    programme_id: int | None = None


class NewUser(NamedTuple):
    user: User
    invitation_secret: str | None  # the one-time link's secret, shown once; None with a first password


def _roles_payload(grants) -> list[dict]:
    return sorted(({"role": g.role.value if isinstance(g.role, Role) else g.role, "programme_id": g.programme_id}
                   for g in grants), key=lambda r: (r["role"], r["programme_id"] or 0))


def check_grants(grants: list[Grant], known_programmes: set[int]) -> list[Grant]:
    """At least one role; a programme manager needs programmes, the other roles take none."""
    if not grants:
        raise UserAdminError(_("Give at least one role."), "roles")
    for grant in grants:
        scoped = grant.role in SCOPED_ROLES
        if scoped and grant.programme_id is None:
            raise UserAdminError(_("A programme manager needs at least one programme."), "programmes")
        if not scoped and grant.programme_id is not None:
            raise UserAdminError(_("Only programme managers are limited to programmes."), "programmes")
        if scoped and grant.programme_id not in known_programmes:
            raise UserAdminError(_("There is no programme with number %(id)s.", id=grant.programme_id), "programmes")
    return sorted(set(grants), key=lambda g: (g.role.value, g.programme_id or 0))


def _check_identity(session: Session, email: str, name: str) -> tuple[str, str]:
    email, name = (email or "").strip().lower(), (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise UserAdminError(_("Give a name of at most %(n)d characters.", n=MAX_NAME), "name")
    if len(email) > MAX_EMAIL or not EMAIL.match(email):
        raise UserAdminError(_("Give a valid e-mail address, such as an.peeters@vlaanderen.be."), "email")
    if get_user_by_email(session, email) is not None:
        raise UserAdminError(_("A user with this e-mail address exists already."), "email")
    return email, name


def add_user(session: Session, email: str, name: str, locale: str, grants: list[Grant],
             known_programmes: set[int], password: str | None = None) -> NewUser:
    """A new user with a first password, or (``password`` None) with an invitation link to choose one."""
    email, name = _check_identity(session, email, name)
    grants = check_grants(grants, known_programmes)
    if locale not in ("en", "nl"):
        raise UserAdminError(_("Choose Dutch or English."), "locale")
    if password is not None and len(password) < 10:
        raise UserAdminError(_("A password needs at least 10 characters."), "password")
    user = create_user(session, email, name, password or secrets.token_urlsafe(32),
                       [(g.role, g.programme_id) for g in grants], locale=locale)
    if password is not None:
        return NewUser(user, None)
    return NewUser(user, invite(session, user))


def invite(session: Session, user: User) -> str:
    """A new one-time link for ``user`` (earlier unused links stop working); returns its secret."""
    for earlier in session.scalars(select(UserInvitation).where(UserInvitation.user_id == user.id,
                                                                UserInvitation.used_at.is_(None))):
        earlier.used_at = utcnow()
    invitation, secret = UserInvitation.issue(user)
    session.add(invitation)
    session.flush()
    publish(session, "UserInvited", "User", user.id, {"email": user.email,
                                                      "expires_at": invitation.expires_at.isoformat()})
    return secret


def open_invitation(session: Session, secret: str) -> UserInvitation | None:
    """The unused, unexpired invitation with this secret, or None."""
    invitation = session.scalar(select(UserInvitation).where(UserInvitation.token_hash == UserInvitation.hash(secret)))
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= utcnow():
        return None
    return invitation


def accept_invitation(session: Session, secret: str, password: str) -> User:
    """The invited user chooses a password; the link is used up."""
    invitation = open_invitation(session, secret)
    if invitation is None:
        raise UserAdminError(_("This invitation link has been used or has expired: ask an administrator for a "
                               "new one."))
    user = session.get(User, invitation.user_id)
    if not user.active:
        raise UserAdminError(_("This account is deactivated: ask an administrator."))
    if len(password) < 10:
        raise UserAdminError(_("A password needs at least 10 characters."), "password")
    user.set_password(password)
    invitation.used_at = utcnow()
    session.flush()
    publish(session, "InvitationAccepted", "User", user.id, {"email": user.email})
    return user


def set_roles(session: Session, user: User, grants: list[Grant], known_programmes: set[int], by: User) -> bool:
    """Replace the user's roles and scopes (``UserRolesChanged``); False when nothing changes.

    An administrator cannot take away their own administrator role (someone must be left to do it).
    """
    grants = check_grants(grants, known_programmes)
    before = _roles_payload(Grant(r.role, r.programme_id) for r in user.roles)
    after = _roles_payload(grants)
    if before == after:
        return False
    if user.id == by.id and Role.ADMIN in user.role_names and all(g.role != Role.ADMIN for g in grants):
        raise UserAdminError(_("You cannot take away your own administrator role."), "roles")
    user.roles = [RoleAssignment(role=g.role.value, programme_id=g.programme_id) for g in grants]
    session.flush()
    publish(session, "UserRolesChanged", "User", user.id, {"email": user.email, "before": before, "after": after})
    return True


def set_active(session: Session, user: User, active: bool, by: User) -> bool:
    """Deactivate (``UserDeactivated``, the sessions end) or reactivate (``UserReactivated``)."""
    if user.active == active:
        return False
    if not active and user.id == by.id:
        raise UserAdminError(_("You cannot deactivate yourself."))
    user.active = active
    session.flush()
    publish(session, "UserReactivated" if active else "UserDeactivated", "User", user.id, {"email": user.email})
    return True


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.active.desc(), User.name)))


def open_invitations(session: Session) -> set[int]:
    """The users who have an unused, unexpired invitation."""
    return set(session.scalars(select(UserInvitation.user_id).where(UserInvitation.used_at.is_(None),
                                                                   UserInvitation.expires_at > utcnow())))
