from datetime import date
from types import SimpleNamespace

import pytest

from app.auth.roles import Role
from tests.builders.grants import (awareness_call, humanitarian_scheme, managers, multilateral_scheme,
                                   trainee_scheme, un_promoters_scheme)
from tests.builders.users import user_with_role


@pytest.fixture
def unp(session):
    """UN promoters: a scheme, a 2024 call of EUR 150,000 and two managers of its programme."""
    scheme = un_promoters_scheme(session)
    call = awareness_call(session, scheme)
    assessor, approver = managers(session, scheme)
    return SimpleNamespace(scheme=scheme, call=call, assessor=assessor, approver=approver,
                           opens=date(2024, 2, 1))


@pytest.fixture
def ftp(session):
    scheme = trainee_scheme(session)
    from grants.services.calls import open_call
    from decimal import Decimal

    call = open_call(session, scheme, "FTP-2024", "Flanders Trainee Programme 2024", 2024, Decimal("400000.00"),
                     date(2024, 1, 1), date(2024, 12, 31))
    assessor, approver = managers(session, scheme)
    return SimpleNamespace(scheme=scheme, call=call, assessor=assessor, approver=approver)


@pytest.fixture
def hum(session):
    scheme = humanitarian_scheme(session)
    assessor, approver = managers(session, scheme)
    return SimpleNamespace(scheme=scheme, assessor=assessor, approver=approver)


@pytest.fixture
def mlt(session):
    scheme = multilateral_scheme(session)
    assessor, approver = managers(session, scheme)
    return SimpleNamespace(scheme=scheme, assessor=assessor, approver=approver)


@pytest.fixture
def admin(session):
    return user_with_role(session, Role.ADMIN)


@pytest.fixture
def viewer(session):
    return user_with_role(session, Role.VIEWER)


@pytest.fixture(autouse=True)
def quick_password_hashing(monkeypatch):
    """Test users need a password, not a slow key derivation: the suite shares two cores."""
    from werkzeug.security import generate_password_hash

    monkeypatch.setattr("app.auth.models.generate_password_hash",
                        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"))
