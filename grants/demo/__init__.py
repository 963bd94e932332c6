"""Demo data: the four Flemish grant schemes with calls and applications in every state.

Dates of the current year's stories are set relative to today, so the overview
always shows something due, something overdue and something to decide. Loading
twice changes nothing: a scheme that exists already keeps what it has.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from app.auth.roles import Role
from app.auth.services import create_user, get_user_by_email
from grants.demo.schemes import ensure_schemes
from grants.services.common import today as _today
from grants.services.reminders import issue_reminders
from programmes.demo.users import DEMO_DOMAIN, DEMO_PASSWORD

#: two managers of every grant programme who sign in with the demo password: one assesses (or
#: registers and submits), the other decides, so the four-eyes rule can be completed in every scheme
DEMO_USERS = ((f"grants.assessor@{DEMO_DOMAIN}", "Griet Wouters"),
              (f"grants.approver@{DEMO_DOMAIN}", "Bart Willems"))


@dataclass
class DemoContext:
    session: Session
    today: date
    assessor: object
    approver: object
    counts: dict = field(default_factory=lambda: {"schemes": 0, "calls": 0, "applications": 0, "payments": 0})

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    @property
    def year(self) -> int:
        return self.today.year


def _demo_users(session: Session, programme_ids: list[int]) -> list:
    """Two managers of the grant programmes, so a four-eyes decision can be completed in every scheme."""
    users = []
    for email, name in DEMO_USERS:
        user = get_user_by_email(session, email) or create_user(
            session, email, name, DEMO_PASSWORD, [(Role.PROGRAMME_MANAGER, pid) for pid in programme_ids],
            locale="nl")
        users.append(user)
    return users


def load(session: Session) -> dict:
    from grants.demo import stories

    schemes_before = {code for code in ("UNP", "FTP", "HUM", "MLT")
                      if _scheme_exists(session, code)}
    schemes, created = ensure_schemes(session)
    assessor, approver = _demo_users(session, sorted({s.programme_id for s in schemes.values()}))
    ctx = DemoContext(session, _today(), assessor, approver)
    ctx.counts["schemes"] = created
    for code, story in (("UNP", stories.un_promoters), ("FTP", stories.trainees),
                        ("HUM", stories.humanitarian), ("MLT", stories.multilateral)):
        if code not in schemes_before:
            story(ctx, schemes[code])
    ctx.counts["reminders"] = sum(issue_reminders(session, ctx.today).values())
    return ctx.counts


def _scheme_exists(session: Session, code: str) -> bool:
    from grants.services.schemes import get_scheme_by_code

    return get_scheme_by_code(session, code) is not None
