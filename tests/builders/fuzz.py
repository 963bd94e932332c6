"""schemathesis against the app, shared by the bounded run in the suite (tests/app/test_api_fuzz.py)
and the long one of ``make fuzz`` (tests/app/fuzz_api_contract.py).

Requests are sent in-process to the WSGI app on the test database (SQLite, or PostgreSQL with
AIDLEDGER_TEST_DATABASE_URL), on a small Flemish portfolio with grants, with a valid token of the
role the test acts as: an administrator (who may do everything) or a programme manager of one
programme (reads only).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from app.auth.models import ApiToken
from app.auth.roles import Role
from app.db import get_db
from app.events.dispatcher import dispatch
from tests.builders import grants as gb
from tests.builders.api import ApiWorld
from tests.builders.contract import load_schema
from tests.builders.web import seed_portfolio

#: Operations whose valid requests can still be refused (422) by a rule the document cannot
#: express, because it depends on the data stored (an unknown code or id named in the body, a
#: call that is not open today, a report not yet received, a ceiling below what is approved, a
#: year outside the programme's period) or on another field of the same body (an organisation's
#: application needs a title, an approval the amount, a change the date after the commitment, a CRS
#: export its year, a report its years in order,
#: a reopened year a submission).
#: Each rule is described in the operation's documentation and answers 422 naming the field.
STATE_RULES = (
    "POST /api/v1/activities", "PATCH /api/v1/activities/{activity_id}",
    "POST /api/v1/transactions", "PATCH /api/v1/transactions/{transaction_id}",
    "PUT /api/v1/programmes/{code}/budget-lines",
    "POST /api/v1/imports", "POST /api/v1/exports/runs", "POST /api/v1/exports/years/{year}/reopen",
    "POST /api/v1/grants/schemes", "PATCH /api/v1/grants/schemes/{scheme_id}",
    "POST /api/v1/grants/calls", "PATCH /api/v1/grants/calls/{call_id}",
    "POST /api/v1/grants/applications", "PATCH /api/v1/grants/applications/{application_id}",
    "POST /api/v1/grants/applications/{application_id}/submit",
    "POST /api/v1/grants/applications/{application_id}/decision",
    "POST /api/v1/grants/applications/{application_id}/decrease",
    "POST /api/v1/grants/applications/{application_id}/withdraw",
    "POST /api/v1/grants/applications/{application_id}/close",
)
ACCEPTED_OR_REFUSED_BY_A_STATE_RULE = ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]
#: fixed, so that a run in CI sends the same requests as the run that passed before it
SEED = 20261207
#: the token the requests carry: set by each test for the role it acts as; cases made while
#: the tests are collected carry the placeholder, replaced when they are sent
PLACEHOLDER = "token-of-the-role-the-test-acts-as"


def fuzz_schema(examples: int, *, coverage: bool):
    """The document with every check, ``examples`` generated requests per operation and a
    deterministic seed. ``coverage``: schemathesis' boundary cases of every parameter, built
    while the tests are collected (minutes for this API, so only ``make fuzz`` has them)."""
    schema = load_schema({
        "seed": SEED,
        "generation": {"max-examples": examples, "deterministic": True},
        "phases": {"coverage": {"enabled": coverage}},
        "operations": [{"include-name": name, "checks": {"positive_data_acceptance": {
            "expected-statuses": ACCEPTED_OR_REFUSED_BY_A_STATE_RULE}}} for name in STATE_RULES],
    })
    schema.auth(refresh_interval=None)(BearerToken)
    return schema


_acting: dict = {}


class BearerToken:
    """Sent like a client's token, so that the checks that leave it out (or spoil it) know it is there."""

    def get(self, case, context):
        return _acting["token"]() if "token" in _acting else PLACEHOLDER

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


def send(case, world: World, role: Role, programme_id: int | None = None) -> None:
    """Send the case as a user of that role and run every check on the answer."""
    world.act_as(role, programme_id)
    with_token(case, world, role, programme_id)
    case.call_and_validate(app=world.app)


def with_token(case, world: World, role: Role, programme_id: int | None = None) -> None:
    if (case.headers or {}).get("Authorization") == f"Bearer {PLACEHOLDER}":
        case.headers["Authorization"] = f"Bearer {world.token(role, programme_id)}"


def _grants(session) -> dict:
    """UN promoters (a call, an application by an organisation, one committed), trainees
    (an intern's application)."""
    unp = gb.un_promoters_scheme(session)
    call = gb.awareness_call(session, unp)
    assessor, approver = gb.managers(session, unp)
    draft = gb.vvn_application(session, unp, call)
    gb.committed(session, gb.vvn_application(session, unp, call, amount="30000.00", name="Oxfam België"),
                 assessor, approver)
    ftp = gb.trainee_scheme(session)
    gb.intern_application(session, ftp)
    return {"application": draft.id}


@dataclass
class World:
    """The app on the module's connection, and a way to act as a user of one role."""

    app: object
    api: ApiWorld
    programmes: dict
    _tokens: dict = field(default_factory=dict)

    def token(self, role: Role, programme_id: int | None = None) -> str:
        """A valid token of that role: the fuzzing may revoke the one in use (DELETE /auth/tokens/{id})."""
        key = (role, programme_id)
        secret = self._tokens.get(key)
        if secret is None or not self.api.query(lambda s: _usable(s, secret)):
            secret = self._tokens[key] = self.api.token(
                role, programme_id, email=f"fuzz-{role.value}-{uuid.uuid4().hex[:8]}@vlaanderen.test")
        return secret

    def act_as(self, role: Role, programme_id: int | None = None) -> None:
        _acting["token"] = lambda: self.token(role, programme_id)


def _usable(session, secret: str) -> bool:
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(secret)))
    return token is not None and not token.revoked


@pytest.fixture(scope="module")
def world(app, engine):
    """Seeded once for the module on its own connection; rolled back at the end."""
    conn = engine.connect()
    outer = conn.begin()
    db = get_db(app)
    db.bind_to(conn)
    try:
        api = ApiWorld(app, app.test_client())
        programmes = api.seed(seed_portfolio)
        api.seed(_grants)
        dispatch(db.Session)
        yield World(app, api, programmes)
    finally:
        _acting.clear()
        db.Session.configure(bind=engine, join_transaction_mode="conservative_savepoint")
        outer.rollback()
        conn.close()
