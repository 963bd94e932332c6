from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.roles import ROLE_PERMISSIONS, SCOPED_ROLES, Permission, Role
from app.db import Base, UTCDateTime, utcnow


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(5), default="en")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    roles: Mapped[list["RoleAssignment"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": version}

    def set_password(self, password: str) -> None:
        if len(password) < 10:
            raise ValueError("a password needs at least 10 characters")
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def role_names(self) -> set[Role]:
        return {Role(r.role) for r in self.roles}

    def has_role(self, role: Role) -> bool:
        return role in self.role_names

    def can(self, permission: Permission, programme_id: int | None = None) -> bool:
        """True when a role grants ``permission`` (inside ``programme_id`` for scoped roles)."""
        for assignment in self.roles:
            role = Role(assignment.role)
            if permission not in ROLE_PERMISSIONS[role]:
                continue
            if role not in SCOPED_ROLES:
                return True
            if programme_id is None or assignment.programme_id == programme_id:
                return True
        return False

    def sees_all_programmes(self) -> bool:
        return any(Role(r.role) not in SCOPED_ROLES for r in self.roles)

    def programme_scope(self) -> set[int]:
        return {r.programme_id for r in self.roles if r.programme_id is not None}


@lru_cache(maxsize=1)
def _dummy_password_hash() -> str:
    """A hash made the way ``set_password`` makes them, of a password nobody knows."""
    return generate_password_hash(secrets.token_urlsafe(24))


def password_matches(user: User | None, password: str) -> bool:
    """True for an active user with this password. Every path computes exactly one hash of
    the real kind (a dummy one for an unknown address, the real one for a deactivated user),
    so the time of the answer does not tell which e-mail addresses exist."""
    if user is None:
        check_password_hash(_dummy_password_hash(), password)
        return False
    return user.check_password(password) and user.active


class RoleAssignment(Base):
    __tablename__ = "role_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))

    user: Mapped[User] = relationship(back_populates="roles")

    __table_args__ = (UniqueConstraint("user_id", "role", "programme_id"),)


#: every token expires: 90 days unless its issuer says otherwise, at most ten years
DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 3650


class ApiToken(Base):
    """A bearer token for the API. Only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship(lazy="joined")

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str, expires_at: datetime | None = None) -> tuple["ApiToken", str]:
        """A new token and its secret (shown once); ``DEFAULT_TOKEN_DAYS`` from now unless ``expires_at``."""
        expires_at = expires_at or utcnow() + timedelta(days=DEFAULT_TOKEN_DAYS)
        secret = "al_" + secrets.token_urlsafe(32)
        token = cls(user=user, name=name, token_hash=cls.hash(secret), prefix=secret[:10], expires_at=expires_at)
        return token, secret


class UserSession(Base):
    """A signed-in browser, server-side: the cookie holds only a random key whose SHA-256 is here.

    Ending the row ends the session whatever the cookie says (logout, password change,
    deactivation, role change, idle timeout); see app/auth/sessions.py.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_because: Mapped[str | None] = mapped_column(String(20))


class LoginThrottle(Base):
    """Recent failed sign-ins of one account (typed e-mail) or one client address; see app/auth/throttle.py."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


#: an invitation link works once, within this many days
INVITATION_DAYS = 7


class UserInvitation(Base):
    """A one-time link with which a new user chooses their first password. Only its SHA-256 is stored."""

    __tablename__ = "user_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User) -> tuple["UserInvitation", str]:
        """A new invitation and its secret (shown once, in the link)."""
        secret = secrets.token_urlsafe(32)
        invitation = cls(user_id=user.id, token_hash=cls.hash(secret),
                         expires_at=utcnow() + timedelta(days=INVITATION_DAYS))
        return invitation, secret
