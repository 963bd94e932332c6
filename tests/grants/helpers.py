"""Helpers shared by the grants tests."""
from sqlalchemy import select

from app.auth.models import ApiToken
from app.events.models import Event
from tests.builders.users import PASSWORD


def grant_events(session, application, type_=None) -> list[Event]:
    stmt = select(Event).where(Event.aggregate_type == "GrantApplication",
                               Event.aggregate_id == str(application.id)).order_by(Event.id)
    if type_:
        stmt = stmt.where(Event.type == type_)
    return list(session.scalars(stmt))


def bearer(session, user) -> dict:
    token, secret = ApiToken.issue(user, "tests")
    session.add(token)
    session.flush()
    return {"Authorization": f"Bearer {secret}"}


def login(client, user):
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.data[:300]
    return client
