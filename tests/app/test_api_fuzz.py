"""The API keeps its contract under fuzzing: schemathesis with every check, in the suite.

For every operation, requests built from the document (its examples, random valid and invalid
data) must get answers the document declares (status, content type, headers, body schema), no
server error, valid data accepted and invalid data refused, a missing or spoiled token 401, an
undeclared method 405; chains of calls (create, then read, change, delete what was created,
through the links schemathesis infers) likewise. Deterministic (a fixed seed), so CI sends the
same requests every run.

The suite's run is bounded: ``AIDLEDGER_FUZZ_EXAMPLES`` generated requests per operation
(default 5) and no coverage phase (schemathesis builds its boundary cases of every parameter
while collecting: minutes for this API). ``make fuzz`` raises the budget and turns the
coverage phase on (``AIDLEDGER_FUZZ_COVERAGE=1``).
"""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from app.auth.roles import Role
from tests.builders.fuzz import fuzz_schema, send, with_token, world  # noqa: F401 - fixture

EXAMPLES = int(os.environ.get("AIDLEDGER_FUZZ_EXAMPLES", "5"))
COVERAGE = os.environ.get("AIDLEDGER_FUZZ_COVERAGE") == "1"
HYPOTHESIS = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
schema = fuzz_schema(EXAMPLES, coverage=COVERAGE)


@schema.parametrize()
@HYPOTHESIS
def test_every_operation_keeps_the_contract_for_an_administrator(case, world):
    send(case, world, Role.ADMIN)


#: not ``include(method="GET")``: schemathesis joins includes with OR, and the per-operation
#: settings of STATE_RULES are one already (it would take every operation)
@schema.exclude(method=["POST", "PUT", "PATCH", "DELETE"]).parametrize()
@HYPOTHESIS
def test_every_read_keeps_the_contract_for_a_programme_manager(case, world):
    """Scoped: Malawi's manager reads; Mozambique's records answer 404 like missing ones."""
    send(case, world, Role.PROGRAMME_MANAGER, world.programmes["malawi"])


@pytest.fixture
def state_machine(world):
    world.act_as(Role.ADMIN)

    class AsAnAdministrator(schema.as_state_machine()):
        def before_call(self, case):
            with_token(case, world, Role.ADMIN)

        def get_call_kwargs(self, case):
            return {"app": world.app}

    return AsAnAdministrator


def test_chains_of_calls_keep_the_contract(state_machine):
    """Created records are read back, changed and deleted through the links the document implies."""
    state_machine.run(settings=settings(HYPOTHESIS, max_examples=EXAMPLES, stateful_step_count=5))
