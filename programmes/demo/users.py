"""Demo users, one per role, all with the same documented password.

The password is public (it is in the README): the demo refuses to load when
AIDLEDGER_ENV=production (see ``flask demo load``).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.auth.roles import Role
from app.auth.services import create_user, get_user_by_email
from programmes.models import Programme

DEMO_DOMAIN = "aidledger.demo"
DEMO_PASSWORD = "aidledger-demo"


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: Role
    locale: str
    programmes: tuple[str, ...] = ()


DEMO_USERS = (
    DemoUser(f"admin@{DEMO_DOMAIN}", "An Peeters", Role.ADMIN, "nl"),
    DemoUser(f"programme.manager@{DEMO_DOMAIN}", "Pieter Janssens", Role.PROGRAMME_MANAGER, "en",
             programmes=("MWI-CSP3", "MOZ-CSP4")),
    DemoUser(f"finance@{DEMO_DOMAIN}", "Sofie Maes", Role.FINANCE, "nl"),
    DemoUser(f"oda.officer@{DEMO_DOMAIN}", "Lotte Claes", Role.ODA_OFFICER, "en"),
    DemoUser(f"viewer@{DEMO_DOMAIN}", "Wim Jacobs", Role.VIEWER, "nl"),
)


def load_users(session: Session, programme_ids: dict[str, int]) -> int:
    """Create the demo users that do not exist yet; an existing user is left as it is."""
    added = 0
    for user in DEMO_USERS:
        if get_user_by_email(session, user.email) is not None:
            continue
        scopes = [programme_ids[code] for code in user.programmes] or [None]
        create_user(session, user.email, user.name, DEMO_PASSWORD,
                    [(user.role, scope) for scope in scopes], locale=user.locale)
        added += 1
    return added


def demo_logins(session: Session) -> list[dict]:
    """Every user of the demo domain with roles and scopes, for ``flask demo logins``."""
    codes = dict(session.execute(select(Programme.id, Programme.code)).all())
    users = session.scalars(select(User).where(User.email.like(f"%@{DEMO_DOMAIN}")).order_by(User.id))
    logins = []
    for user in users:
        roles = sorted(
            r.role + (f" ({codes.get(r.programme_id, r.programme_id)})" if r.programme_id else "")
            for r in user.roles)
        logins.append({"email": user.email, "name": user.name, "roles": roles, "active": user.active})
    return logins
