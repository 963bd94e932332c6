"""The API keeps its contract under fuzzing: schemathesis with every check it has.

For every operation, requests built from the document (its examples, boundary cases, random
valid and invalid data) must get answers the document declares (status, content type,
headers, body schema), no server error, valid data accepted and invalid data refused, a
missing or spoiled token 401, an undeclared method 405. Run in-process against the WSGI app
on the test database (SQLite, or PostgreSQL with AIDLEDGER_TEST_DATABASE_URL), on a small
portfolio with grants, as an administrator (who may do everything) and, for reads, as a
programme manager of one programme.

Not collected by the suite (the file name does not start with ``test_``): ``make fuzz`` runs
it with ``AIDLEDGER_FUZZ_EXAMPLES`` examples per operation (default 100).
"""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import select

from app.auth.models import ApiToken
from app.auth.roles import Role
from app.db import get_db
from app.events.dispatcher import dispatch
from tests.builders import grants as gb
from tests.builders.api import ApiWorld
from tests.builders.contract import load_schema
from tests.builders.web import seed_portfolio

EXAMPLES = int(os.environ.get("AIDLEDGER_FUZZ_EXAMPLES", "100"))
HYPOTHESIS = settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))

#: Operations whose valid requests can still be refused (422) by a rule the document cannot
#: express, because it depends on the data stored (an unknown code or id named in the body, a
#: call that is not open today, a report not yet received, a ceiling below what is approved, a
#: year outside the programme's period) or on another field of the same body (an organisation's
#: application needs a title, an approval the amount, a change the date after the commitment).
#: Each rule is described in the operation's documentation and answers 422 naming the field.
STATE_RULES = (
    "POST /api/v1/activities", "PATCH /api/v1/activities/{activity_id}",
    "POST /api/v1/transactions", "PATCH /api/v1/transactions/{transaction_id}",
    "PUT /api/v1/programmes/{code}/budget-lines",
    "POST /api/v1/imports",
    "POST /api/v1/grants/schemes", "PATCH /api/v1/grants/schemes/{scheme_id}",
    "POST /api/v1/grants/calls", "PATCH /api/v1/grants/calls/{call_id}",
    "POST /api/v1/grants/applications", "PATCH /api/v1/grants/applications/{application_id}",
    "POST /api/v1/grants/applications/{application_id}/submit",
    "POST /api/v1/grants/applications/{application_id}/decrease",
    "POST /api/v1/grants/applications/{application_id}/withdraw",
    "POST /api/v1/grants/applications/{application_id}/close",
)
ACCEPTED_OR_REFUSED_BY_A_STATE_RULE = ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]

schema = load_schema({
    "generation": {"max-examples": EXAMPLES},
    "operations": [{"include-name": name, "checks": {"positive_data_acceptance": {
        "expected-statuses": ACCEPTED_OR_REFUSED_BY_A_STATE_RULE}}} for name in STATE_RULES],
})
#: the token the requests carry: set by each test for the role it acts as; cases made while
#: the tests are collected carry the placeholder, replaced when they are sent
_acting: dict = {}
PLACEHOLDER = "token-of-the-role-the-test-acts-as"


@schema.auth(refresh_interval=None)
class BearerToken:
    """Sent like a client's token, so that the checks that leave it out (or spoil it) know it is there."""

    def get(self, case, context):
        return _acting["token"]() if "token" in _acting else PLACEHOLDER

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


def _send(case, world, role: Role, programme_id: int | None = None) -> None:
    world.act_as(role, programme_id)
    if (case.headers or {}).get("Authorization") == f"Bearer {PLACEHOLDER}":
        case.headers["Authorization"] = f"Bearer {world.token(role, programme_id)}"
    case.call_and_validate(app=world.app)


# --- a portfolio to work on ------------------------------------------------------------------

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

    def token(self, role: Role, programme_id: int | None = None) -> str:
        """A valid token of that role: the fuzzing may revoke the one in use (DELETE /auth/tokens/{id})."""
        key = (role, programme_id)
        secret = self._tokens.get(key)
        if secret is None or not self.api.query(lambda s: _usable(s, secret)):
            secret = self._tokens[key] = self.api.token(role, programme_id,
                                                        email=f"fuzz-{role.value}-{uuid.uuid4().hex[:8]}@vlaanderen.test")
        return secret

    def act_as(self, role: Role, programme_id: int | None = None) -> None:
        _acting["token"] = lambda: self.token(role, programme_id)

    def __post_init__(self):
        self._tokens: dict = {}


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
        db.Session.configure(bind=engine, join_transaction_mode="conservative_savepoint")
        outer.rollback()
        conn.close()


# --- every operation, every check ------------------------------------------------------------

@schema.parametrize()
@HYPOTHESIS
def test_every_operation_keeps_the_contract_for_an_administrator(case, world):
    _send(case, world, Role.ADMIN)


@schema.include(method="GET").parametrize()
@HYPOTHESIS
def test_every_read_keeps_the_contract_for_a_programme_manager(case, world):
    """Scoped: Malawi's manager reads; Mozambique's records answer 404 like missing ones."""
    _send(case, world, Role.PROGRAMME_MANAGER, world.programmes["malawi"])


