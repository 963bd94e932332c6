from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

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


class RoleAssignment(Base):
    __tablename__ = "role_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))

    user: Mapped[User] = relationship(back_populates="roles")

    __table_args__ = (UniqueConstraint("user_id", "role", "programme_id"),)


class ApiToken(Base):
    """A bearer token for the API. Only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship(lazy="joined")

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str, expires_at: datetime | None = None) -> tuple["ApiToken", str]:
        secret = "al_" + secrets.token_urlsafe(32)
        token = cls(user=user, name=name, token_hash=cls.hash(secret), prefix=secret[:10], expires_at=expires_at)
        return token, secret
